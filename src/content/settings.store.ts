import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** Site-wide settings kept as JSON under a key (the breaking-news strip, the discussion's defaults, two-step sign-in). */
export const settingsStore = {
  async getJson<T>(db: Conn, key: string): Promise<T | null> {
    const row = await db.selectFrom('site_settings').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return null;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return null;
    }
  },

  async setJson(db: Conn, key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await db
      .insertInto('site_settings')
      .values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
      .execute();
  },

  async delete(db: Conn, key: string): Promise<void> {
    await db.deleteFrom('site_settings').where('key', '=', key).execute();
  },
};

/** The breaking-news strip, kept as the site setting `breaking` (read by content.service.breaking()). */
export interface BreakingSetting {
  text: string;
  path: string | null;
  expiresAt: string | null;
}

const BREAKING = 'breaking';

export const breakingStore = {
  async get(db: Conn): Promise<BreakingSetting | null> {
    const b = await settingsStore.getJson<Partial<BreakingSetting>>(db, BREAKING);
    return b && typeof b.text === 'string' ? { text: b.text, path: b.path ?? null, expiresAt: b.expiresAt ?? null } : null;
  },

  set(db: Conn, value: BreakingSetting): Promise<void> {
    return settingsStore.setJson(db, BREAKING, value);
  },

  async clear(db: Conn): Promise<boolean> {
    const r = await db.deleteFrom('site_settings').where('key', '=', BREAKING).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  /**
   * Removes the strip if it has expired, only if it is still the one read (an
   * editor may have just set a new one). True when this call removed it.
   */
  async removeIfExpired(db: Conn, now: string): Promise<boolean> {
    const row = await db.selectFrom('site_settings').select('value').where('key', '=', BREAKING).executeTakeFirst();
    if (!row) return false;
    let expiresAt: unknown;
    try {
      expiresAt = (JSON.parse(row.value) as { expiresAt?: unknown }).expiresAt;
    } catch {
      return false;
    }
    if (typeof expiresAt !== 'string' || expiresAt > now) return false;
    const r = await db.deleteFrom('site_settings').where('key', '=', BREAKING).where('value', '=', row.value).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },
};
