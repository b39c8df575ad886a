import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Curated fronts: the home page and each section front may carry a layout an
// editor arranged. A front is named by text ("home", or "section:<id>", so a
// renamed section keeps its layout). A layout is a draft (one per front, being
// arranged), scheduled (goes live at go_live_at), live (one per front, what
// readers see) or retired (replaced, kept for the record). Its slots are
// stories in order: the first is the lead, the next few the top stories, the
// rest pinned; `latest_count` of the newest stories fill the front after them.
export function frontsMigration(ctx: MigrationContext) {
  const serialId = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
    ctx.dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await serialId(db.schema.createTable('front_layouts'))
        .addColumn('front', 'text', (c) => c.notNull())
        /** draft | scheduled | live | retired */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('latest_count', 'integer', (c) => c.notNull())
        /** When a scheduled layout goes live. */
        .addColumn('go_live_at', 'text')
        /** When it went live (live and retired layouts). */
        .addColumn('went_live_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
      // A front's live layout and draft (read on every render of a front), and the scheduler's due list.
      await db.schema.createIndex('front_layouts_front').on('front_layouts').columns(['front', 'status']).execute();
      await db.schema.createIndex('front_layouts_due').on('front_layouts').columns(['status', 'go_live_at']).execute();

      await db.schema
        .createTable('front_slots')
        .addColumn('layout_id', 'integer', (c) => c.notNull().references('front_layouts.id').onDelete('cascade'))
        /** 0 is the lead. */
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('front_slots_pk', ['layout_id', 'position'])
        .execute();
      // Which fronts pin a story (a story taken down must leave them at once).
      await db.schema.createIndex('front_slots_article').on('front_slots').columns(['article_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('front_slots').execute();
      await db.schema.dropTable('front_layouts').execute();
    },
  };
}
