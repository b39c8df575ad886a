/**
 * Site settings (the `site_settings` table, owned by content) for the other
 * domains that keep a setting there: the discussion's defaults, the
 * two-step sign-in requirement. They pass their own connection or
 * transaction, so a setting changes in the same transaction as its audit entry.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { settingsStore } from './settings.store.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The setting stored under `key`, or null when there is none (or it is not valid JSON). */
export function readSetting<T>(db: Conn, key: string): Promise<T | null> {
  return settingsStore.getJson<T>(db, key);
}

/** Stores `value` under `key`, replacing what was there. */
export function writeSetting(db: Conn, key: string, value: unknown): Promise<void> {
  return settingsStore.setJson(db, key, value);
}

/** Removes the setting under `key` (its default applies again). */
export function clearSetting(db: Conn, key: string): Promise<void> {
  return settingsStore.delete(db, key);
}
