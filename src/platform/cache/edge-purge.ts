import type { PurgeBus } from './purge-bus.js';

/**
 * Purges surrogate keys in a shared cache in front of the app (Varnish, a
 * CDN). The page cache of each process is purged by the purge bus; an edge
 * cache is one copy for every process, so it is purged once, by the process
 * where the change happened (see withEdgePurge).
 */
export interface EdgePurger {
  /** Where the purge goes, for logs (no secrets). */
  readonly name: string;
  /** Sends one purge of `keys`; throws when the cache did not take it. */
  purge(keys: string[]): Promise<void>;
}

export interface EdgePurgeLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface EdgePurgeOptions {
  log: EdgePurgeLog;
  /** Tries per purge, first included (default 4). */
  attempts?: number;
  /** Wait before the first retry, doubled for each next one (default 200 ms). */
  retryDelayMs?: number;
  /**
   * A second purge this long after the first (default 300 ms; 0: none). The
   * bus reaches the other processes a little after the edge purge may have
   * gone out; a refetch in that gap could store a process's old copy at the
   * edge for a whole lifetime, and the second sweep removes it.
   */
  sweepAfterMs?: number;
  /**
   * Purges published within this long of each other go out as one request
   * (default 10 ms): one save purges its story's pages, search and the feeds
   * as separate events.
   */
  batchMs?: number;
}

/** Longest a surrogate-key header line may be, under the usual 8 KB header limits of caches. */
const MAX_KEY_HEADER = 4000;

/**
 * Varnish with vmod_xkey (deploy/varnish/dispatch.vcl): a `PURGE` request
 * carrying the keys in `xkey-purge`, soft by default (the objects go stale
 * and are refetched in the background while readers get the stale copy for
 * the grace period), or hard (`xkey-purge-hard`, for caches without grace).
 */
export function varnishPurger(baseUrl: string, { soft = true, timeoutMs = 5000 }: { soft?: boolean; timeoutMs?: number } = {}): EdgePurger {
  const url = new URL('/', baseUrl).toString();
  return {
    name: `varnish ${new URL(baseUrl).host}`,
    async purge(keys) {
      for (const batch of keyBatches(keys)) {
        const res = await fetch(url, {
          method: 'PURGE',
          headers: { [soft ? 'xkey-purge' : 'xkey-purge-hard']: batch },
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`varnish answered ${res.status} to PURGE`);
      }
    },
  };
}

/**
 * Fastly's purge by surrogate key (`POST /service/{id}/purge` with the keys in
 * `Surrogate-Key`), soft by default (`Fastly-Soft-Purge: 1`: marked stale, not
 * deleted). `apiUrl` is Fastly's API, or a stand-in in tests.
 */
export function fastlyPurger(serviceId: string, token: string, { apiUrl = 'https://api.fastly.com', soft = true, timeoutMs = 5000 }: { apiUrl?: string; soft?: boolean; timeoutMs?: number } = {}): EdgePurger {
  const url = new URL(`/service/${encodeURIComponent(serviceId)}/purge`, apiUrl).toString();
  return {
    name: `fastly ${serviceId}`,
    async purge(keys) {
      for (const batch of keyBatches(keys)) {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'Fastly-Key': token,
            'Surrogate-Key': batch,
            Accept: 'application/json',
            ...(soft ? { 'Fastly-Soft-Purge': '1' } : {}),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`fastly answered ${res.status} to purge`);
      }
    },
  };
}

/** Keys joined by spaces, split into header lines no longer than MAX_KEY_HEADER. */
export function keyBatches(keys: string[]): string[] {
  const batches: string[] = [];
  let line = '';
  for (const key of new Set(keys)) {
    if (!key || /[\s\u0000-\u001f\u007f]/.test(key)) continue; // a header value cannot carry it, and no response is tagged with it
    if (line && line.length + 1 + key.length > MAX_KEY_HEADER) {
      batches.push(line);
      line = '';
    }
    line = line ? `${line} ${key}` : key;
  }
  if (line) batches.push(line);
  return batches;
}

/**
 * The purge bus, plus the edge caches: every publish (made only in the process
 * where content changed; purges arriving from other processes over Redis do
 * not pass here) also goes to each purger, in the background. A purger that
 * fails is retried a few times and then logged: the editor's save has
 * succeeded and is never failed by a cache.
 */
export function withEdgePurge(bus: PurgeBus, purgers: EdgePurger[], opts: EdgePurgeOptions): PurgeBus & { settled(): Promise<void> } {
  const { log, attempts = 4, retryDelayMs = 200, sweepAfterMs = 300, batchMs = 10 } = opts;
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const queued = new Set<string>();
  let closed = false;

  const track = (p: Promise<void>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  async function purgeWithRetries(purger: EdgePurger, keys: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await purger.purge(keys);
        return;
      } catch (err) {
        if (attempt >= attempts || closed) {
          log.error({ err, purger: purger.name, keys, attempts: attempt }, 'edge purge failed; the cache keeps these pages until they expire');
          return;
        }
        log.warn({ err, purger: purger.name, attempt }, 'edge purge failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  const sendAll = (keys: string[]) => {
    for (const purger of purgers) track(purgeWithRetries(purger, keys));
  };

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    timers.add(timer);
    return timer;
  };

  let batch: NodeJS.Timeout | undefined;
  const flush = () => {
    batch = undefined;
    const keys = [...queued];
    queued.clear();
    if (!keys.length) return;
    sendAll(keys);
    if (sweepAfterMs > 0) later(sweepAfterMs, () => sendAll(keys));
  };

  return {
    async publish(keys) {
      // The processes' own caches first, so a refetch by the edge finds fresh pages.
      try {
        await bus.publish(keys);
      } finally {
        if (purgers.length && keys.length && !closed) {
          for (const key of keys) queued.add(key);
          batch ??= later(batchMs, flush);
        }
      }
    },
    async settled() {
      while (pending.size || timers.size) {
        await Promise.all([...pending]);
        if (timers.size) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      // Purges already due go out and finish (a shutdown must not lose the last edit's purge); sweeps not yet due are dropped.
      if (batch) {
        clearTimeout(batch);
        timers.delete(batch);
        flush();
      }
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      closed = true;
      await Promise.all([...pending]);
      await bus.close();
    },
  };
}
