import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Staff invitations: an admin invites an address to a staff role; the emailed
// one-time link (only its SHA-256 is kept) lets the invitee set a name and a
// password, or accept with the password of the account they already have.
export function invitationsMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      let t = db.schema.createTable('staff_invitations');
      t = ctx.dialect === 'postgres'
        ? t.addColumn('id', 'serial', (c) => c.primaryKey())
        : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await t
        /** Lowercased, trimmed. */
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('invited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('accepted_at', 'text')
        .addColumn('accepted_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('revoked_at', 'text')
        .execute();
      // "Is there a pending invitation for this address?" and the admin's list of pending ones.
      await db.schema.createIndex('staff_invitations_email').on('staff_invitations').columns(['email', 'id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('staff_invitations').execute();
    },
  };
}
