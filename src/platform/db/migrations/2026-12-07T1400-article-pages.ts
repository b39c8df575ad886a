import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// The article page's read model: one row per published story with what its page shows
// (the story, its section and parent, authors, tags, body HTML, corrections, translations)
// as one JSON document, the card other pages show of it, and its related stories in order.
// Built by the content service when a story is published or edited (and, for stories that
// have none yet, on start and on a cache miss); body HTML needs the application's renderer,
// so the rows are not backfilled here.
export function articlePagesMigration(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('article_pages')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
        /** JSON: the Article as its page shows it, its comment count left out (read live from articles). */
        .addColumn('doc', 'text', (c) => c.notNull())
        /** JSON: the ArticleSummary other pages' cards show (hero variants resolved), comment count left out. */
        .addColumn('card', 'text', (c) => c.notNull())
        /** articles.modified_at when the row was built: a row behind its story is rebuilt on read. */
        .addColumn('source_modified_at', 'text', (c) => c.notNull())
        .addColumn('built_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('article_page_related')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('related_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('article_page_related_pk', ['article_id', 'position'])
        .execute();
      // Which pages list a story: refreshed when it goes away.
      await db.schema.createIndex('article_page_related_related').on('article_page_related').columns(['related_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('article_page_related').execute();
      await db.schema.dropTable('article_pages').execute();
    },
  };
}
