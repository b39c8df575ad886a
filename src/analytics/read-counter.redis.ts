/**
 * Most read in Redis (when REDIS_URL is set), shared by every app process:
 * the day's salt (SET NX, so every process uses the same one), a HyperLogLog
 * of the day's hashed readers per story (PFADD answers 1 when the reader is
 * new, so each reader is counted once per story per day, give or take the
 * HyperLogLog's ~1% error), and a sorted set of reads per story per hour.
 * Keys expire on their own: a day's readers at the end of the day, hours
 * after two days.
 */
import { redisClass } from '../platform/redis.js';
import type { ReadCounter } from './read-counter.js';

const TWO_DAYS = 2 * 86_400;

export function redisReadCounter(redisUrl: string, prefix: string, onError: (err: unknown) => void): ReadCounter {
  const client = new (redisClass())(redisUrl, { enableOfflineQueue: true, maxRetriesPerRequest: 2 });
  client.on('error', (err) => onError(err));
  const key = (...parts: string[]) => [prefix, 'reads', ...parts].join(':');
  /** Seconds since the epoch when a UTC day ends. */
  const endOf = (day: string) => Math.floor(Date.parse(`${day}T00:00:00.000Z`) / 1000) + 86_400;

  async function union(hours: string[]): Promise<Array<{ articleId: number; reads: number }>> {
    const flat = (await client.zunion(hours.length, ...hours.map((h) => key('hour', h)), 'WITHSCORES')) as string[];
    const out: Array<{ articleId: number; reads: number }> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ articleId: Number(flat[i]), reads: Number(flat[i + 1]) });
    return out;
  }

  return {
    async salt(day, fresh) {
      const k = key('salt', day);
      const set = await client.set(k, fresh, 'EX', TWO_DAYS, 'NX');
      return { salt: set === 'OK' ? fresh : ((await client.get(k)) ?? fresh), created: set === 'OK' };
    },
    async prune() {
      // Redis forgets on its own: every key has an expiry.
    },
    async record({ articleId, readerHash, day, hour }) {
      const seen = key('seen', day, String(articleId));
      const [[err, added]] = (await client.multi().pfadd(seen, readerHash).expireat(seen, endOf(day)).exec()) as [[Error | null, number]];
      if (err) throw err;
      if (added !== 1) return false;
      const h = key('hour', hour);
      await client.multi().zincrby(h, 1, String(articleId)).expire(h, TWO_DAYS).exec();
      return true;
    },
    async top(hours, limit) {
      return (await union(hours)).sort((a, b) => b.reads - a.reads || a.articleId - b.articleId).slice(0, limit);
    },
    async readsOf(ids, hours) {
      if (!ids.length) return new Map();
      const wanted = new Set(ids);
      return new Map((await union(hours)).filter((r) => wanted.has(r.articleId)).map((r) => [r.articleId, r.reads]));
    },
    async close() {
      client.disconnect();
    },
  };
}
