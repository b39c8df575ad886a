import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// The corrections log: every correction, clarification or update of a story
// is its own dated entry, kept forever (an editor may fix a typo in a note,
// recorded as edited, but never delete one). The single note a story carried
// until now becomes its first entry, and the two old columns go.
//
// And the pages an organisation needs (About, Contact, Corrections policy,
// Privacy, Terms): one row per fixed slug, the body in the stories' format.
export function correctionsMigration(ctx: MigrationContext) {
  const serialId = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
    ctx.dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await serialId(db.schema.createTable('article_corrections'))
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id'))
        /** correction | clarification | update */
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        /** When it was published: the date readers see, never changed by an edit. */
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        /** The last fix of the note's wording, if any. */
        .addColumn('edited_at', 'text')
        .addColumn('edited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
      // A story's entries in order, and the site's newest first (the /corrections page and feed).
      await db.schema.createIndex('article_corrections_article').on('article_corrections').columns(['article_id', 'id']).execute();
      await db.schema.createIndex('article_corrections_created').on('article_corrections').columns(['created_at', 'id']).execute();

      await sql`INSERT INTO article_corrections (article_id, kind, note, created_at, created_by)
        SELECT id, 'correction', correction_note, correction_at, NULL FROM articles
        WHERE correction_note IS NOT NULL AND correction_at IS NOT NULL ORDER BY correction_at, id`.execute(db);
      await db.schema.alterTable('articles').dropColumn('correction_note').execute();
      await db.schema.alterTable('articles').dropColumn('correction_at').execute();

      await db.schema
        .createTable('site_pages')
        /** about | contact | corrections-policy | privacy | terms */
        .addColumn('slug', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
        /** The body as a JSON document (see content/body.ts), like a story's. */
        .addColumn('body', 'text', (c) => c.notNull())
        /** The Markdown it was written in (the newsroom's form), when it was. */
        .addColumn('markdown', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('site_pages').execute();
      await db.schema.alterTable('articles').addColumn('correction_note', 'text').execute();
      await db.schema.alterTable('articles').addColumn('correction_at', 'text').execute();
      // The latest entry of each story becomes its single note again.
      await sql`UPDATE articles SET
        correction_note = (SELECT note FROM article_corrections c WHERE c.article_id = articles.id ORDER BY c.id DESC LIMIT 1),
        correction_at = (SELECT created_at FROM article_corrections c WHERE c.article_id = articles.id ORDER BY c.id DESC LIMIT 1)`.execute(db);
      await db.schema.dropTable('article_corrections').execute();
    },
  };
}
