import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The breaking-news strip, kept as the site setting `breaking` (read by content.service.breaking()). */
export interface BreakingSetting {
  text: string;
  path: string | null;
  expiresAt: string | null;
}

const KEY = 'breaking';

export const breakingStore = {
  async get(db: Conn): Promise<BreakingSetting | null> {
    const row = await db.selectFrom('site_settings').select('value').where('key', '=', KEY).executeTakeFirst();
    if (!row) return null;
    try {
      const b = JSON.parse(row.value) as Partial<BreakingSetting>;
      return typeof b.text === 'string' ? { text: b.text, path: b.path ?? null, expiresAt: b.expiresAt ?? null } : null;
    } catch {
      return null;
    }
  },

  async set(db: Conn, value: BreakingSetting): Promise<void> {
    const json = JSON.stringify(value);
    await db
      .insertInto('site_settings')
      .values({ key: KEY, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
      .execute();
  },

  async clear(db: Conn): Promise<boolean> {
    const r = await db.deleteFrom('site_settings').where('key', '=', KEY).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  /**
   * Removes the strip if it has expired, only if it is still the one read (an
   * editor may have just set a new one). True when this call removed it.
   */
  async removeIfExpired(db: Conn, now: string): Promise<boolean> {
    const row = await db.selectFrom('site_settings').select('value').where('key', '=', KEY).executeTakeFirst();
    if (!row) return false;
    let expiresAt: unknown;
    try {
      expiresAt = (JSON.parse(row.value) as { expiresAt?: unknown }).expiresAt;
    } catch {
      return false;
    }
    if (typeof expiresAt !== 'string' || expiresAt > now) return false;
    const r = await db.deleteFrom('site_settings').where('key', '=', KEY).where('value', '=', row.value).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },
};
