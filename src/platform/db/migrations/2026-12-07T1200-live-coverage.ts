import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Live coverage: a story becomes a live story when an editor starts its
// coverage (one row in live_coverages, ended_at set when it ends), and
// carries a stream of short posts. A deleted post keeps its row (deleted_at)
// so the updates endpoint and the audit can tell it went, but readers never
// see it again.
export function liveCoverageMigration(ctx: MigrationContext) {
  const serialId = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
    ctx.dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('live_coverages')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('started_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        /** Bumped by every change of the stream: the updates endpoint's version. */
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await serialId(db.schema.createTable('live_posts'))
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        /** text | image | embed | quote */
        .addColumn('kind', 'text', (c) => c.notNull())
        /** The body as a JSON document (see content/body.ts), like a story's. */
        .addColumn('body', 'text', (c) => c.notNull())
        /** The Markdown it was written in (the newsroom's edit form shows it again). */
        .addColumn('markdown', 'text', (c) => c.notNull().defaultTo(''))
        /** image: its URL and alt text; embed: the URL; quote: who said it. */
        .addColumn('media_url', 'text')
        .addColumn('media_alt', 'text')
        .addColumn('attribution', 'text')
        /** embed: the link card read once, through the safe fetcher, when the post was saved. */
        .addColumn('card_title', 'text')
        .addColumn('card_description', 'text')
        .addColumn('card_site', 'text')
        .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('key_event', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('key_event_title', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('edited_at', 'text')
        .addColumn('deleted_at', 'text')
        .execute();
      // The stream newest first, and its pages (?before=<post id>).
      await db.schema.createIndex('live_posts_article').on('live_posts').columns(['article_id', 'id']).execute();

      // A special-coverage tag's page is a hub; editors choose the story it leads with.
      await db.schema
        .createTable('special_coverage_hubs')
        .addColumn('tag_id', 'integer', (c) => c.primaryKey().references('tags.id').onDelete('cascade'))
        .addColumn('lead_article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('special_coverage_hubs').execute();
      await db.schema.dropTable('live_posts').execute();
      await db.schema.dropTable('live_coverages').execute();
    },
  };
}
