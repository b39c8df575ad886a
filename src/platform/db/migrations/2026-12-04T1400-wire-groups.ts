import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Wire stories: items about one event, across agencies and versions, grouped
// at ingest. `wire_groups` holds each group's summary; `wire_items.group_id`
// says which group an item is in. Each item's fingerprint (the sorted 32-bit
// hashes of its headline and lead words, and their 128-position MinHash
// signature, both little-endian uint32 bytes) is kept so a candidate can be
// verified without reading its copy again, and its 48 LSH band keys are
// filed under a time bucket (one per 72-hour window) so candidates come from
// `WHERE band_key IN (…) AND bucket IN (…)`.
export function wireGroupsMigration(ctx: MigrationContext) {
  const pg = ctx.dialect === 'postgres';
  const bytes = pg ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const groups = db.schema.createTable('wire_groups');
      await (pg ? groups.addColumn('id', 'serial', (c) => c.primaryKey()) : groups.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
        /** When the group's first and latest item or version arrived. */
        .addColumn('first_seen_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        /** The representative item (the first one) and its current headline. */
        .addColumn('representative_item_id', 'integer')
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('item_count', 'integer', (c) => c.notNull())
        .addColumn('provider_count', 'integer', (c) => c.notNull())
        .execute();
      // The desk's list: newest activity first, keyset on (last_seen_at, id).
      await db.schema.createIndex('wire_groups_activity').on('wire_groups').columns(['last_seen_at', 'id']).execute();

      await db.schema.alterTable('wire_items').addColumn('group_id', 'integer', (c) => c.references('wire_groups.id').onDelete('set null')).execute();
      await db.schema.createIndex('wire_items_group').on('wire_items').column('group_id').execute();

      await db.schema.createTable('wire_item_fingerprints')
        .addColumn('item_id', 'integer', (c) => c.primaryKey().references('wire_items.id').onDelete('cascade'))
        /** The item's group, as on wire_items: here too so the candidate lookup reads this table only (an item never changes group). */
        .addColumn('group_id', 'integer', (c) => c.notNull().references('wire_groups.id').onDelete('cascade'))
        /** The item's time as grouping saw it (agency version time, else when received): the 72-hour window is measured on it. */
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('bucket', 'integer', (c) => c.notNull())
        .addColumn('shingles', bytes, (c) => c.notNull())
        .addColumn('signature', bytes, (c) => c.notNull())
        .execute();

      const bands = db.schema.createTable('wire_item_bands')
        .addColumn('band_key', 'text', (c) => c.notNull())
        .addColumn('bucket', 'integer', (c) => c.notNull())
        .addColumn('item_id', 'integer', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
        // The key is the lookup: (band_key, bucket) first, the item last, so the candidate query reads the index only.
        .addPrimaryKeyConstraint('wire_item_bands_pk', ['band_key', 'bucket', 'item_id']);
      // SQLite: the primary key is the table (no rowid b-tree beside it).
      await (pg ? bands : bands.modifyEnd(sql`without rowid`)).execute();
      // For the cascade when an item (or its provider) is removed.
      await db.schema.createIndex('wire_item_bands_item').on('wire_item_bands').column('item_id').execute();
      // PostgreSQL: the lookup is an index-only scan where the visibility map says so; vacuum this
      // insert-only table after every ~10,000 new band rows (about 200 items), not after 20% of it.
      if (pg) await sql`alter table wire_item_bands set (autovacuum_vacuum_insert_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0.01)`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('wire_item_bands').execute();
      await db.schema.dropTable('wire_item_fingerprints').execute();
      await db.schema.dropIndex('wire_items_group').execute();
      await db.schema.alterTable('wire_items').dropColumn('group_id').execute();
      await db.schema.dropTable('wire_groups').execute();
    },
  };
}
