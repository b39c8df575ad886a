import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
// Replies are looked up by their parent (threads, "has replies" for deleted
// comments); PostgreSQL does not index a foreign key by itself.
export function commentsMigration(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('comments_parent').on('comments').columns(['parent_id', 'status']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('comments_parent').execute();
    },
  };
}
