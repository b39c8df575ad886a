import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// The newsroom: what the editorial workflow needs on a story (a scheduled
// time, who created and last changed it, SEO fields, a correction note shown
// to readers), every save as a revision, API tokens (only their SHA-256 is
// kept), the audit log of staff actions, and the old slugs of renamed
// sections, tags and authors so their old addresses answer 301.
export function newsroomMigration(ctx: MigrationContext) {
  const serial = (name: string) => (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
    ctx.dialect === 'postgres'
      ? t.addColumn(name, 'serial', (c) => c.primaryKey())
      : t.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      await db.schema.alterTable('articles').addColumn('scheduled_at', 'text').execute();
      await db.schema.alterTable('articles').addColumn('seo_title', 'text').execute();
      await db.schema.alterTable('articles').addColumn('seo_description', 'text').execute();
      await db.schema.alterTable('articles').addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null')).execute();
      await db.schema.alterTable('articles').addColumn('modified_by', 'integer', (c) => c.references('users.id').onDelete('set null')).execute();
      await db.schema.alterTable('articles').addColumn('correction_note', 'text').execute();
      await db.schema.alterTable('articles').addColumn('correction_at', 'text').execute();
      // The scheduler asks "which scheduled stories are due?" every few seconds.
      await db.schema.createIndex('articles_status_scheduled').on('articles').columns(['status', 'scheduled_at']).execute();
      await db.schema.createIndex('articles_created_by').on('articles').column('created_by').execute();
      await db.schema.createIndex('articles_modified').on('articles').column('modified_at').execute();

      await serial('id')(db.schema.createTable('article_revisions'))
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('token_id', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        /** JSON: the story's full editable state after the save. */
        .addColumn('snapshot', 'text', (c) => c.notNull())
        /** e.g. "restored from revision 12". */
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('article_revisions_article').on('article_revisions').columns(['article_id', 'id']).execute();

      await serial('id')(db.schema.createTable('api_tokens'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_created_by').on('api_tokens').column('created_by').execute();

      // No foreign keys: the log outlives the users and tokens it names.
      await serial('id')(db.schema.createTable('audit_log'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_user_id', 'integer')
        .addColumn('actor_token_id', 'integer')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject', 'id']).execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_user_id', 'id']).execute();

      await db.schema
        .createTable('slug_redirects')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('old_slug', 'text', (c) => c.notNull())
        /** The section, tag or author now: its current slug is looked up, so chains of renames resolve in one hop. */
        .addColumn('target_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('slug_redirects_pk', ['kind', 'old_slug'])
        .execute();
      await db.schema.createIndex('slug_redirects_target').on('slug_redirects').columns(['kind', 'target_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['slug_redirects', 'audit_log', 'api_tokens', 'article_revisions']) await db.schema.dropTable(t).execute();
      for (const i of ['articles_modified', 'articles_created_by', 'articles_status_scheduled']) await db.schema.dropIndex(i).execute();
      for (const c of ['correction_at', 'correction_note', 'modified_by', 'created_by', 'seo_description', 'seo_title', 'scheduled_at']) {
        await db.schema.alterTable('articles').dropColumn(c).execute();
      }
    },
  };
}
