import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// The media library: one row per uploaded image. The files themselves (only
// re-encoded variants; the upload as sent is never kept) live under
// <data>/media/uploads/, named by their content hash; `variants` lists them.
export function mediaMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      let table = db.schema.createTable('media');
      table = ctx.dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await table
        /** The content hash the variant file names start with (the same bytes uploaded twice share it). */
        .addColumn('file_base', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        /** The format the image came in as (jpeg, png, webp, avif), found from its content. */
        .addColumn('format', 'text', (c) => c.notNull())
        /** Size of the upload as sent. */
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('caption', 'text')
        .addColumn('credit', 'text')
        .addColumn('uploaded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        /** JSON array of { path, width, height, format, bytes }. */
        .addColumn('variants', 'text', (c) => c.notNull())
        .execute();
      // The library lists newest first.
      await db.schema.createIndex('media_created').on('media').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('media_file_base').on('media').column('file_base').execute();
      await db.schema.createIndex('media_uploaded_by').on('media').column('uploaded_by').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('media').execute();
    },
  };
}
