import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Where a story came from on the wire desk: one row per wire item a story was
// made from ("Use this"), with the version (our seq) it was made from and the
// version an editor last looked at (an item moved past it shows "update
// available"). Owned by wires; a story or an item removed takes its rows along.
export function wireStorySourcesMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      let t = db.schema.createTable('wire_story_sources');
      t = ctx.dialect === 'postgres' ? t.addColumn('id', 'serial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await t
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('item_id', 'integer', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
        /** The item's version (seq) the story was made from. */
        .addColumn('seq', 'integer', (c) => c.notNull())
        /** The latest version an editor has seen; below the item's current one means "update available". */
        .addColumn('seen_seq', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('wire_story_sources_article_item', ['article_id', 'item_id'])
        .execute();
      await db.schema.createIndex('wire_story_sources_item').on('wire_story_sources').column('item_id').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('wire_story_sources').execute();
    },
  };
}
