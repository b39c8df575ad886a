import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** SQL for staff TOTP: secrets, recovery codes, pending sign-ins. */
export const totpStore = {
  get(db: Conn, userId: number) {
    return db.selectFrom('staff_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
  },

  /** Starts (or restarts) enrolment with a new secret; TOTP stays off until confirmed. */
  async begin(db: Conn, userId: number, secret: string, at: string) {
    // One statement: a delete and then an insert let two setups at once (a double click) collide on user_id.
    const fresh = { secret, enabled_at: null, last_step: null, created_at: at };
    await db.insertInto('staff_totp').values({ user_id: userId, ...fresh }).onConflict((oc) => oc.column('user_id').doUpdateSet(fresh)).execute();
  },

  enable(db: Conn, userId: number, at: string) {
    return db.updateTable('staff_totp').set({ enabled_at: at }).where('user_id', '=', userId).execute();
  },

  /** Records `step` as used, only if it is newer than the last used one; false when it was not (a replay). */
  async useStep(db: Conn, userId: number, step: number): Promise<boolean> {
    const r = await db
      .updateTable('staff_totp')
      .set({ last_step: step })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async remove(db: Conn, userId: number) {
    await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
    await db.deleteFrom('totp_pending').where('user_id', '=', userId).execute();
    await db.deleteFrom('staff_totp').where('user_id', '=', userId).execute();
  },

  async replaceRecoveryCodes(db: Conn, userId: number, hashes: string[], at: string) {
    await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
    await db.insertInto('totp_recovery_codes').values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: at }))).execute();
  },

  /** Deletes the matching recovery code; true when there was one (so it works once). */
  async useRecoveryCode(db: Conn, userId: number, hash: string): Promise<boolean> {
    const r = await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).where('code_hash', '=', hash).executeTakeFirst();
    return Number(r.numDeletedRows) >= 1;
  },

  async countRecoveryCodes(db: Conn, userId: number): Promise<number> {
    const r = await db.selectFrom('totp_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  insertPending(db: Conn, row: { token_hash: string; user_id: number; created_at: string; expires_at: string }) {
    return db.insertInto('totp_pending').values(row).execute();
  },

  findPending(db: Conn, tokenHash: string, now: string) {
    return db.selectFrom('totp_pending').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst();
  },

  async deletePending(db: Conn, tokenHash: string, now?: string) {
    await db.deleteFrom('totp_pending').where('token_hash', '=', tokenHash).execute();
    if (now) await db.deleteFrom('totp_pending').where('expires_at', '<=', now).execute();
  },
};
