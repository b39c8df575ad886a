import type { Kysely, Transaction } from 'kysely';
import type { Database, EmailTokenPurpose } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export const tokenStore = {
  /** Replaces any earlier token of the same purpose: only the newest link works. */
  async issue(db: Conn, row: { token_hash: string; user_id: number; purpose: EmailTokenPurpose; created_at: string; expires_at: string }) {
    await db.deleteFrom('email_tokens').where('user_id', '=', row.user_id).where('purpose', '=', row.purpose).execute();
    await db.insertInto('email_tokens').values(row).execute();
  },

  /** Marks a live token used and returns its user, in one statement so it can be used once only. */
  async use(db: Conn, tokenHash: string, purpose: EmailTokenPurpose, now: string): Promise<number | null> {
    const row = await db
      .updateTable('email_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst();
    return row?.user_id ?? null;
  },
};
