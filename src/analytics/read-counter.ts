/**
 * Where the most-read counts live: the database (read.store.ts) by default,
 * Redis (read-counter.redis.ts) when REDIS_URL is set. Both are shared by
 * every app process.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import * as readStore from './read.store.js';

/** Where the counts live: the database or Redis (see read.store.ts and read-counter.redis.ts). */
export interface ReadCounter {
  salt(day: string, fresh: string): Promise<{ salt: string; created: boolean }>;
  /** Forgets days before `day` and hours before `keepHoursFrom`. */
  prune(day: string, keepHoursFrom: string): Promise<void>;
  record(read: { articleId: number; readerHash: string; day: string; hour: string }): Promise<boolean>;
  top(hours: string[], limit: number): Promise<Array<{ articleId: number; reads: number }>>;
  readsOf(ids: number[], hours: string[]): Promise<Map<number, number>>;
  close(): Promise<void>;
}

export function databaseReadCounter(db: Kysely<Database>, now: () => Date): ReadCounter {
  return {
    salt: (day, fresh) => readStore.saltFor(db, day, fresh, now().toISOString()),
    prune: (day, keepHoursFrom) => readStore.pruneBefore(db, day, keepHoursFrom),
    record: (read) => readStore.recordRead(db, read),
    top: (hours, limit) => readStore.topSince(db, hours[0]!, limit),
    readsOf: (ids, hours) => readStore.readsOf(db, ids, hours[0]!),
    close: async () => {},
  };
}

