import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// "Most read" without cookies: the day's random salt (shared by every process;
// yesterday's is deleted, so yesterday's hashes cannot be recomputed), the
// day's hashed readers per story (a reader counts once per story per day;
// pruned when the day changes), and reads per story per hour. Used when
// REDIS_URL is not set; with Redis the same figures live there.
export function mostReadMigration(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('read_salts')
        /** UTC day, 2026-12-04. */
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('story_read_seen')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.notNull())
        /** SHA-256 of the day's salt, the client address and its user agent (never the address itself). */
        .addColumn('reader_hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('story_read_seen_pk', ['day', 'article_id', 'reader_hash'])
        .execute();

      await db.schema
        .createTable('story_reads_hourly')
        .addColumn('article_id', 'integer', (c) => c.notNull())
        /** Start of the UTC hour, 2026-12-04T13:00:00.000Z. */
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('reads', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('story_reads_hourly_pk', ['article_id', 'hour'])
        .execute();
      await db.schema.createIndex('story_reads_hourly_hour').on('story_reads_hourly').columns(['hour', 'article_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('story_reads_hourly').execute();
      await db.schema.dropTable('story_read_seen').execute();
      await db.schema.dropTable('read_salts').execute();
    },
  };
}
