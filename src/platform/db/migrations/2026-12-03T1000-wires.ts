import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// The wire desk's storage: agency providers (with their polling state), the
// wire items they send (one row per agency guid), every version of each item
// as it arrived, the quarantine of what could not be read, and the recent push
// signatures (replay protection shared by every process).
export function wiresMigration(ctx: MigrationContext) {
  const serialId = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
    ctx.dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await serialId(db.schema.createTable('wire_providers'))
        /** Slug: the folder name and the push path. */
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        /** The credit a story made from its copy carries ("Reuters", "Agencies"). */
        .addColumn('credit', 'text', (c) => c.notNull())
        /** auto | rss | atom | ninjs | newsml-g2 | nitf */
        .addColumn('format', 'text', (c) => c.notNull())
        /** http | folder | push */
        .addColumn('transport', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('interval_seconds', 'integer', (c) => c.notNull())
        /** HMAC key of push providers (shown once, when made). */
        .addColumn('push_secret', 'text')
        .addColumn('etag', 'text')
        .addColumn('last_modified', 'text')
        .addColumn('last_success_at', 'text')
        .addColumn('last_error_at', 'text')
        .addColumn('last_error_code', 'text')
        .addColumn('last_error_message', 'text')
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        /** When the poller next takes it; a claim moves it forward (compare-and-set), so one process polls at a time. */
        .addColumn('next_poll_at', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('wire_providers_due').on('wire_providers').columns(['enabled', 'next_poll_at']).execute();

      await serialId(db.schema.createTable('wire_items'))
        .addColumn('provider_id', 'integer', (c) => c.notNull().references('wire_providers.id').onDelete('cascade'))
        .addColumn('guid', 'text', (c) => c.notNull())
        /** Our count of stored versions: the `seq` of the current version. */
        .addColumn('current_seq', 'integer', (c) => c.notNull())
        /** The agency's version number and time of the current version. */
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('version_time', 'text')
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('language', 'text')
        .addColumn('urgency', 'integer')
        /** `|code|name|…|` of the current version's subjects, for the desk's subject filter. */
        .addColumn('subjects', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('embargo_at', 'text')
        .addColumn('pubstatus', 'text', (c) => c.notNull())
        .addColumn('signal', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('wire_items_provider_guid', ['provider_id', 'guid'])
        .execute();
      // The queue: newest first (keyset on updated_at, id), and items in the last hour per provider.
      await db.schema.createIndex('wire_items_queue').on('wire_items').columns(['updated_at', 'id']).execute();
      await db.schema.createIndex('wire_items_provider_received').on('wire_items').columns(['provider_id', 'received_at']).execute();

      await serialId(db.schema.createTable('wire_item_versions'))
        .addColumn('item_id', 'integer', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
        /** 1, 2, 3… in the order we stored them (RSS versions share the agency number 1 and differ by time). */
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('version_time', 'text')
        /** The normalized WireItem as JSON. */
        .addColumn('item', 'text', (c) => c.notNull())
        /** The payload as it arrived, when the document held this one item. */
        .addColumn('raw', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('wire_item_versions_item_seq', ['item_id', 'seq'])
        .execute();

      await serialId(db.schema.createTable('wire_quarantine'))
        .addColumn('provider_id', 'integer', (c) => c.notNull().references('wire_providers.id').onDelete('cascade'))
        .addColumn('guid', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        /** SHA-256 of the raw payload: the same bad payload polled again is not quarantined twice. */
        .addColumn('raw_hash', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text')
        /** open | retried | discarded */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema.createIndex('wire_quarantine_status').on('wire_quarantine').columns(['status', 'id']).execute();
      await db.schema.createIndex('wire_quarantine_hash').on('wire_quarantine').columns(['provider_id', 'raw_hash']).execute();

      await db.schema
        .createTable('wire_push_signatures')
        /** SHA-256 of the signature header: seen once within the timestamp window. */
        .addColumn('signature_hash', 'text', (c) => c.primaryKey())
        .addColumn('provider_id', 'integer', (c) => c.notNull().references('wire_providers.id').onDelete('cascade'))
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('wire_push_signatures_seen').on('wire_push_signatures').column('seen_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['wire_push_signatures', 'wire_quarantine', 'wire_item_versions', 'wire_items', 'wire_providers']) await db.schema.dropTable(t).execute();
    },
  };
}
