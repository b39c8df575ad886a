import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
// Reader accounts, sessions, one-time email tokens, favorites and comments.
export function readersMigration(ctx: MigrationContext) {
  const serial = (name: string) => (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
    ctx.dialect === 'postgres'
      ? t.addColumn(name, 'serial', (c) => c.primaryKey())
      : t.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await serial('id')(db.schema.createTable('users'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('role', 'text', (c) => c.notNull().defaultTo('reader'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('comment_banned_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('email_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('email_tokens_user').on('email_tokens').columns(['user_id', 'purpose']).execute();

      await db.schema
        .createTable('favorites')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('favorites_pk', ['user_id', 'article_id'])
        .execute();
      await db.schema.createIndex('favorites_article').on('favorites').column('article_id').execute();

      await serial('id')(db.schema.createTable('comments'))
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('parent_id', 'integer', (c) => c.references('comments.id').onDelete('cascade'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('body_html', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('held_reason', 'text')
        .addColumn('featured', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('edited_at', 'text')
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema.createIndex('comments_article').on('comments').columns(['article_id', 'status', 'created_at']).execute();
      await db.schema.createIndex('comments_user').on('comments').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('comments_status').on('comments').columns(['status', 'created_at']).execute();

      await serial('id')(db.schema.createTable('comment_reports'))
        .addColumn('comment_id', 'integer', (c) => c.notNull().references('comments.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema.createIndex('comment_reports_comment').on('comment_reports').columns(['comment_id', 'user_id']).unique().execute();

      // null: the site-wide default; otherwise open | closed | premoderated.
      await db.schema.alterTable('articles').addColumn('comments_mode', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('articles').dropColumn('comments_mode').execute();
      for (const t of ['comment_reports', 'comments', 'favorites', 'email_tokens', 'sessions', 'users']) await db.schema.dropTable(t).execute();
    },
  };
}
