import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Staff second factor (TOTP): one secret per user, its hashed one-time recovery
// codes, and the short-lived pending sign-ins between the password and the code.
export function totpMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('staff_totp')
        .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        /** Base32 secret shared with the authenticator app. */
        .addColumn('secret', 'text', (c) => c.notNull())
        /** null while enrolment awaits its first code. */
        .addColumn('enabled_at', 'text')
        /** The last accepted time step (codes are single-use). */
        .addColumn('last_step', 'bigint')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      let codes = db.schema.createTable('totp_recovery_codes');
      codes = ctx.dialect === 'postgres'
        ? codes.addColumn('id', 'serial', (c) => c.primaryKey())
        : codes.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await codes
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('totp_recovery_codes_user').on('totp_recovery_codes').columns(['user_id', 'code_hash']).execute();

      await db.schema
        .createTable('totp_pending')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('totp_pending_user').on('totp_pending').column('user_id').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('totp_pending').execute();
      await db.schema.dropTable('totp_recovery_codes').execute();
      await db.schema.dropTable('staff_totp').execute();
    },
  };
}
