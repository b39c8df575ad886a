import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** A rendered public response, as stored and replayed by the page cache. */
export interface CachedPage {
  status: number;
  contentType: string;
  body: string;
  etag: string;
  /** Surrogate keys (e.g. `article:42`, `section:africa`, `home`) a purge may name. */
  keys: string[];
  /** Seconds a shared cache may keep the response. */
  sMaxAge: number;
  /** Target of a redirect. */
  location?: string;
  /** Response heads of the cache-hit path (hit-path.ts), built on first use, one per encoding and for 304. */
  heads?: Partial<Record<'identity' | 'br' | 'gzip' | 'notModified', string[]>>;
  /** Compressed copies of `body`, made once on the first request that accepts them. */
  gzip?: Buffer;
  br?: Buffer;
  /** `body` as UTF-8 bytes, encoded once for clients that take no compression. */
  raw?: Buffer;
}

/** The tier every process shares (Redis: shared-page-store.ts), asked on a local miss. */
export interface SharedPageStore {
  /**
   * The URL's page from Redis, or rendered by this process under the lock and
   * stored there; `source` says which (for the render counter).
   */
  getOrRender(url: string, render: () => Promise<CachedPage>): Promise<SharedResult>;
  /** Deletes every copy carrying one of `keys`, in Redis (once per purge, by the process that purges). */
  purge(keys: string[]): Promise<void>;
  close(): Promise<void>;
}

export interface SharedResult {
  page: CachedPage;
  /** When the page was rendered (ms since the epoch), so its age counts from its render in every process. */
  storedAt: number;
  source: 'rendered' | 'shared';
}

export interface PageCacheOptions {
  /** Most entries kept per process. */
  max?: number;
  /**
   * Most memory the entries may take, about: each counts three times its body
   * (the text, its bytes and its compressed copies). Default 32 MiB
   * (PAGE_CACHE_MB): about 300 article pages, the hot set of a spike. The
   * process around it takes about 170 MB at rest; with Redis, a page
   * this process has dropped costs a GET from the shared tier, not a render.
   */
  maxBytes?: number;
  /** How long an entry is served as it is, in ms. */
  ttlMs?: number;
  /**
   * How long after that a stale entry is still served while one request renders
   * its replacement in the background, so no reader waits for a re-render.
   */
  staleMs?: number;
  /**
   * The tier shared by every process (Redis), asked on a local miss: a page
   * another process rendered is taken from there instead of rendered again.
   */
  shared?: SharedPageStore;
  /** Told where each page a miss needed came from: rendered here, or the shared tier (the render counter). */
  onMiss?: (url: string, source: 'rendered' | 'shared') => void;
}

/** How long a page is served as it is, by default (and kept in the shared tier). */
export const DEFAULT_TTL_MS = 30_000;

/** The page cache's default memory budget, in MiB. */
export const DEFAULT_PAGE_CACHE_MB = 32;

interface Entry {
  page: CachedPage;
  storedAt: number;
}

export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Rendered responses by URL, in this process's memory. Concurrent misses for
 * the same URL render once (request coalescing). Entries are dropped by
 * surrogate key when content changes; in a cluster the purge bus carries each
 * purge to every process, so a process's memory is never the only copy of anything.
 */
export class PageCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly ttlMs: number;
  private readonly inflight = new Map<string, Promise<CachedPage>>();
  private readonly urlsByKey = new Map<string, Set<string>>();
  /** Bumped by every purge, so a render that started before it is not stored after it. */
  private generation = 0;
  private readonly shared: SharedPageStore | undefined;
  private readonly onMiss: PageCacheOptions['onMiss'];
  hits = 0;
  misses = 0;
  /** Pages rendered by this process (a miss the shared tier answered is not one). */
  renders = 0;
  /** Of the hits, those peek found (the cache-hit path answers them before routing). */
  peekHits = 0;

  constructor({ max = 5000, maxBytes = DEFAULT_PAGE_CACHE_MB * 1024 * 1024, ttlMs = DEFAULT_TTL_MS, staleMs = 300_000, shared, onMiss }: PageCacheOptions = {}) {
    this.ttlMs = ttlMs;
    this.shared = shared;
    this.onMiss = onMiss;
    this.entries = new LRUCache<string, Entry>({
      max,
      maxSize: maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.page.body.length * 3),
      ttl: ttlMs + staleMs,
      dispose: (entry, url) => this.unindex(url, entry.page.keys),
    });
  }

  /**
   * The fresh page stored under `url`, or undefined: nothing stored, or only a
   * stale copy (which getOrRender serves while it renders the replacement).
   * Synchronous, so the cache-hit path (hit-path.ts) can answer before routing.
   */
  peek(url: string): CachedPage | undefined {
    const entry = this.entries.get(url);
    if (!entry || Date.now() - entry.storedAt > this.ttlMs) return undefined;
    this.hits++;
    this.peekHits++;
    return entry.page;
  }

  async getOrRender(url: string, render: () => Promise<CachedPage>): Promise<CachedPage> {
    const hit = this.entries.get(url);
    if (hit) {
      this.hits++;
      if (Date.now() - hit.storedAt > this.ttlMs && !this.inflight.has(url)) {
        // Stale: this reader gets the copy at hand; the replacement renders meanwhile.
        this.render(url, render).catch(() => {});
      }
      return hit.page;
    }
    const pending = this.inflight.get(url);
    if (pending) {
      this.hits++;
      return pending;
    }
    this.misses++;
    return this.render(url, render);
  }

  private render(url: string, render: () => Promise<CachedPage>): Promise<CachedPage> {
    const generation = this.generation;
    const produced = this.shared
      ? this.shared.getOrRender(url, render)
      : render().then((page) => ({ page, storedAt: Date.now(), source: 'rendered' as const }));
    const promise = produced
      .then(({ page, storedAt, source }) => {
        if (source === 'rendered') this.renders++;
        this.onMiss?.(url, source);
        if (page.status === 200 && generation === this.generation) {
          this.entries.set(url, { page, storedAt });
          for (const key of page.keys) {
            let urls = this.urlsByKey.get(key);
            if (!urls) this.urlsByKey.set(key, (urls = new Set()));
            urls.add(url);
          }
        }
        return page;
      })
      .finally(() => this.inflight.delete(url));
    this.inflight.set(url, promise);
    return promise;
  }

  /** Drops every entry carrying one of `keys` in this process. */
  purgeLocal(keys: string[]): number {
    this.generation++;
    let dropped = 0;
    for (const key of keys) {
      for (const url of [...(this.urlsByKey.get(key) ?? [])]) {
        if (this.entries.delete(url)) dropped++;
      }
    }
    return dropped;
  }

  /** Empties this process's memory; the shared tier keeps its copies until they expire or are purged. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private unindex(url: string, keys: string[]): void {
    for (const key of keys) {
      const urls = this.urlsByKey.get(key);
      if (!urls) continue;
      urls.delete(url);
      if (!urls.size) this.urlsByKey.delete(key);
    }
  }
}
