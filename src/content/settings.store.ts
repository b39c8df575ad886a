import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** Site-wide settings kept as JSON under a key (breaking-news strip, defaults). */
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
