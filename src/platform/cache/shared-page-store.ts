import { randomUUID } from 'node:crypto';
import { redisClass } from '../redis.js';
import type { CachedPage, SharedPageStore, SharedResult } from './page-cache.js';

export type { SharedPageStore, SharedResult } from './page-cache.js';

/**
 * The page cache's second tier, in Redis, shared by every app process: on a
 * spike at one URL that no process has in memory, one process renders it and
 * the others take its copy, so a URL is rendered once per cache lifetime
 * across the cluster, not once per process.
 *
 * On a local miss a process looks the URL up here. If it is absent, the
 * process takes a short lock (SET NX PX) and renders; the others poll for the
 * copy and, when the lock is gone with no copy (its holder died, or its page
 * was not one to keep), take the lock and render themselves.
 *
 * Purges go through Redis too: each surrogate key has a set of the URLs whose
 * copies carry it, and a purge deletes those copies. A purge also bumps a
 * generation; a render stores its page only if the generation is still the one
 * it read when it started, so a render begun before a purge is never stored
 * after it, whichever process purged (the same rule the page cache keeps in memory).
 */
export interface SharedPageStoreOptions {
  url: string;
  /** Namespace of the keys (REDIS_PREFIX). */
  prefix: string;
  /** How long a copy is kept: the page cache's fresh lifetime. */
  ttlMs: number;
  /** How long a render may hold the lock; a process that died while rendering lets others render after this. */
  lockMs?: number;
  /** How often a process waiting for another's render looks for the copy. */
  pollMs?: number;
  /** Redis problems: the store then renders locally, as if it were not there. */
  onError: (err: unknown) => void;
}

/** The copy as stored: the page without its lazily made compressed and byte copies. */
interface StoredPage {
  page: Pick<CachedPage, 'status' | 'contentType' | 'body' | 'etag' | 'keys' | 'sMaxAge' | 'location'>;
  storedAt: number;
}

// KEYS: page, generation, lock. ARGV: lock token, lock ms.
// Returns the copy, or the generation and whether the lock was taken, in one round trip.
const LOOKUP = `
local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
local gen = redis.call('GET', KEYS[2]) or '0'
local locked = redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2])
if locked then return {0, gen, 1} end
return {0, gen, 0}
`;

// KEYS: page, generation, lock, then one set per surrogate key. ARGV: generation read, lock token, copy, ttl ms, url.
const STORE = `
local stored = 0
if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
  for i = 4, #KEYS do
    redis.call('SADD', KEYS[i], ARGV[5])
    if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
  end
  stored = 1
end
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
return stored
`;

// KEYS: generation, then one set per surrogate key. ARGV: the page keys' prefix.
const PURGE = `
redis.call('INCR', KEYS[1])
local dropped = 0
for i = 2, #KEYS do
  for _, url in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    dropped = dropped + redis.call('DEL', ARGV[1] .. url)
  end
  redis.call('DEL', KEYS[i])
end
return dropped
`;

// KEYS: lock. ARGV: token. Lets the waiters go at once when this process keeps nothing.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export async function createSharedPageStore({ url, prefix, ttlMs, lockMs = 3000, pollMs = 20, onError }: SharedPageStoreOptions): Promise<SharedPageStore> {
  // A Redis that stops answering costs a request at most commandTimeout: it then renders locally.
  const redis = new (redisClass())(url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  redis.on('error', onError);
  await redis.connect();
  const pageKey = (u: string) => `${prefix}:page:${u}`;
  const lockKey = (u: string) => `${prefix}:page-lock:${u}`;
  const setKey = (k: string) => `${prefix}:page-key:${k}`;
  const generationKey = `${prefix}:page-generation`;

  const decode = (raw: string): SharedResult => {
    const stored = JSON.parse(raw) as StoredPage;
    return { page: { ...stored.page, keys: [...stored.page.keys] }, storedAt: stored.storedAt, source: 'shared' };
  };

  async function renderAndStore(u: string, render: () => Promise<CachedPage>, generation: string, token: string): Promise<SharedResult> {
    let page: CachedPage;
    try {
      page = await render();
    } catch (err) {
      await redis.eval(RELEASE, 1, lockKey(u), token).catch(onError);
      throw err;
    }
    const storedAt = Date.now();
    if (page.status !== 200) {
      await redis.eval(RELEASE, 1, lockKey(u), token).catch(onError);
      return { page, storedAt, source: 'rendered' };
    }
    const { status, contentType, body, etag, keys, sMaxAge, location } = page;
    const copy: StoredPage = { page: { status, contentType, body, etag, keys, sMaxAge, ...(location ? { location } : {}) }, storedAt };
    await redis
      .eval(STORE, 3 + keys.length, pageKey(u), generationKey, lockKey(u), ...keys.map(setKey), generation, token, JSON.stringify(copy), ttlMs, u)
      .catch(onError);
    return { page, storedAt, source: 'rendered' };
  }

  async function lookup(u: string, token: string): Promise<{ found: SharedResult } | { generation: string; locked: boolean }> {
    const reply = (await redis.eval(LOOKUP, 3, pageKey(u), generationKey, lockKey(u), token, lockMs)) as [number, string, number?];
    if (reply[0] === 1) return { found: decode(reply[1]) };
    return { generation: String(reply[1]), locked: reply[2] === 1 };
  }

  return {
    async getOrRender(u, render) {
      const token = randomUUID();
      // Waiting is bounded: a holder that outlives its lock (a very slow render) no longer holds anyone up.
      const deadline = Date.now() + lockMs + pollMs;
      for (;;) {
        let found: Awaited<ReturnType<typeof lookup>>;
        try {
          found = await lookup(u, token);
        } catch (err) {
          onError(err);
          return { page: await render(), storedAt: Date.now(), source: 'rendered' };
        }
        if ('found' in found) return found.found;
        if (found.locked) return renderAndStore(u, render, found.generation, token);
        if (Date.now() >= deadline) return { page: await render(), storedAt: Date.now(), source: 'rendered' };
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },

    async purge(keys) {
      if (!keys.length) return;
      await redis.eval(PURGE, 1 + keys.length, generationKey, ...keys.map(setKey), `${prefix}:page:`);
    },

    async close() {
      redis.disconnect();
    },
  };
}
