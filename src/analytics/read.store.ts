/**
 * Most read in the database (used when REDIS_URL is not set): the day's salt,
 * the day's hashed readers per story, and readers per story per hour. Every
 * app process shares these rows, so a reader is counted once whichever
 * process answers the beacon.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The day's salt; the first process to ask makes it (an insert that loses the race reads the winner's). */
export async function saltFor(db: Conn, day: string, fresh: string, at: string): Promise<{ salt: string; created: boolean }> {
  const res = await db.insertInto('read_salts').values({ day, salt: fresh, created_at: at }).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  const row = await db.selectFrom('read_salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow();
  return { salt: row.salt, created: Number(res.numInsertedOrUpdatedRows ?? 0) > 0 };
}

/** Forgets earlier days: their salts and hashed readers, and hourly counts older than `keepHoursFrom`. */
export async function pruneBefore(db: Conn, day: string, keepHoursFrom: string): Promise<void> {
  await db.deleteFrom('read_salts').where('day', '<', day).execute();
  await db.deleteFrom('story_read_seen').where('day', '<', day).execute();
  await db.deleteFrom('story_reads_hourly').where('hour', '<', keepHoursFrom).execute();
}

/** Counts a read unless this reader already read the story today; true when it counted. */
export async function recordRead(db: Kysely<Database>, read: { articleId: number; readerHash: string; day: string; hour: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const seen = await trx
      .insertInto('story_read_seen')
      .values({ day: read.day, article_id: read.articleId, reader_hash: read.readerHash })
      .onConflict((oc) => oc.columns(['day', 'article_id', 'reader_hash']).doNothing())
      .executeTakeFirst();
    if (Number(seen.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await trx
      .insertInto('story_reads_hourly')
      .values({ article_id: read.articleId, hour: read.hour, reads: 1 })
      .onConflict((oc) => oc.columns(['article_id', 'hour']).doUpdateSet({ reads: sql<number>`story_reads_hourly.reads + 1` }))
      .execute();
    return true;
  });
}

/** The most read stories since `fromHour`, most first (ties: the lower id first, so the order is stable). */
export async function topSince(db: Conn, fromHour: string, limit: number): Promise<Array<{ articleId: number; reads: number }>> {
  const rows = await db
    .selectFrom('story_reads_hourly')
    .select(['article_id', (eb) => eb.fn.sum<number | string>('reads').as('total')])
    .where('hour', '>=', fromHour)
    .groupBy('article_id')
    .orderBy('total', 'desc')
    .orderBy('article_id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ articleId: r.article_id, reads: Number(r.total) }));
}

/** Reads since `fromHour` of each of `ids` (absent: none). */
export async function readsOf(db: Conn, ids: number[], fromHour: string): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('story_reads_hourly')
    .select(['article_id', (eb) => eb.fn.sum<number | string>('reads').as('total')])
    .where('hour', '>=', fromHour)
    .where('article_id', 'in', ids)
    .groupBy('article_id')
    .execute();
  return new Map(rows.map((r) => [r.article_id, Number(r.total)]));
}
