import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { PageCache, etagOf, type CachedPage } from './page-cache.js';
import { createSharedPageStore, type SharedPageStore, type SharedPageStoreOptions } from './shared-page-store.js';
import { redisPurgeBus, type PurgeBus } from './purge-bus.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const page = (body: string, keys: string[], status = 200): CachedPage => ({ status, contentType: 'text/html', body, etag: etagOf(body), keys, sMaxAge: 60 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Each test run has its own namespace in the shared Redis, removed afterwards.
const prefix = `test-shared-pages-${randomUUID()}`;
const open: { close(): Promise<void> }[] = [];
const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
admin.on('error', () => {});

/** One app process's view of the shared tier. */
async function processStore(opts: Partial<SharedPageStoreOptions> = {}): Promise<SharedPageStore> {
  const store = await createSharedPageStore({ url: REDIS_URL, prefix, ttlMs: 30_000, onError: (err) => { throw err; }, ...opts });
  open.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length) await admin.del(...keys);
});
afterAll(() => admin.disconnect());

describe.skipIf(!(await redisAvailable()) && !process.env.CI)('the shared page store (Redis)', () => {
  it('renders a URL once for concurrent misses in several processes', async () => {
    const [a, b, c] = await Promise.all([processStore(), processStore(), processStore()]);
    let renders = 0;
    const render = async () => {
      renders++;
      await sleep(50);
      return page('<h1>Storm makes landfall</h1>', ['article:1', 'home']);
    };
    const results = await Promise.all([a, b, c].flatMap((s) => Array.from({ length: 10 }, () => s.getOrRender('/storm', render))));
    expect(renders).toBe(1);
    expect(new Set(results.map((r) => r.page.body))).toEqual(new Set(['<h1>Storm makes landfall</h1>']));
    expect(results.filter((r) => r.source === 'rendered')).toHaveLength(1);
    // The copy keeps its keys and the time of its render, in every process.
    const later = await b.getOrRender('/storm', render);
    expect(later).toMatchObject({ source: 'shared', page: { keys: ['article:1', 'home'], etag: etagOf('<h1>Storm makes landfall</h1>') } });
    expect(later.storedAt).toBe(results.find((r) => r.source === 'rendered')!.storedAt);
    expect(renders).toBe(1);
  });

  it('keeps a copy for its lifetime only', async () => {
    const a = await processStore({ ttlMs: 80 });
    let renders = 0;
    const render = async () => page(`v${++renders}`, ['home']);
    expect((await a.getOrRender('/', render)).page.body).toBe('v1');
    expect((await a.getOrRender('/', render)).page.body).toBe('v1');
    await sleep(120);
    expect((await a.getOrRender('/', render)).page.body).toBe('v2');
  });

  it('purges exactly the copies carrying a key', async () => {
    const [a, b] = await Promise.all([processStore(), processStore()]);
    await a.getOrRender('/africa/story', async () => page('africa', ['article:1', 'section:africa']));
    await a.getOrRender('/asia/story', async () => page('asia', ['article:2', 'section:asia']));
    await b.purge(['section:africa']);
    expect((await a.getOrRender('/africa/story', async () => page('africa, edited', ['article:1']))).page.body).toBe('africa, edited');
    expect((await a.getOrRender('/asia/story', async () => page('asia, again', []))).page.body).toBe('asia');
  });

  it('does not store a render that a purge in another process overtook', async () => {
    const [a, b] = await Promise.all([processStore(), processStore()]);
    let release!: () => void;
    const slow = a.getOrRender('/', () => new Promise<CachedPage>((r) => (release = () => r(page('before the edit', ['home'])))));
    await expect.poll(async () => admin.exists(`${prefix}:page-lock:/`)).toBe(1);
    await b.purge(['home']);
    release();
    expect((await slow).page.body).toBe('before the edit'); // the reader who asked first still gets an answer
    expect((await b.getOrRender('/', async () => page('after the edit', ['home']))).page.body).toBe('after the edit');
  });

  it('renders itself when the process holding the lock died', async () => {
    const a = await processStore({ lockMs: 300 });
    // A process took the lock and was killed before it stored anything.
    await admin.set(`${prefix}:page-lock:/orphan`, 'a dead process', 'PX', 200, 'NX');
    const started = Date.now();
    const result = await a.getOrRender('/orphan', async () => page('rendered by the survivor', ['home']));
    expect(result).toMatchObject({ source: 'rendered', page: { body: 'rendered by the survivor' } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('keeps no error page, and lets the waiters render at once', async () => {
    const [a, b] = await Promise.all([processStore(), processStore()]);
    let renders = 0;
    const missing = async () => {
      renders++;
      await sleep(30);
      return page('not found', [], 404);
    };
    const started = Date.now();
    const [first, second] = await Promise.all([a.getOrRender('/nowhere', missing), b.getOrRender('/nowhere', missing)]);
    expect([first.page.status, second.page.status]).toEqual([404, 404]);
    expect(renders).toBe(2);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await admin.exists(`${prefix}:page:/nowhere`)).toBe(0);
  });

  it('with the page cache and the purge bus: one render across processes, and a publish purges every copy', async () => {
    const [sa, sb] = await Promise.all([processStore(), processStore()]);
    const a = new PageCache({ shared: sa });
    const b = new PageCache({ shared: sb });
    const buses: PurgeBus[] = await Promise.all([
      redisPurgeBus(REDIS_URL, (k) => a.purgeLocal(k), () => {}, prefix, sa.purge),
      redisPurgeBus(REDIS_URL, (k) => b.purgeLocal(k), () => {}, prefix, sb.purge),
    ]);
    open.push(...buses);
    let version = 1;
    const render = async () => {
      await sleep(20);
      return page(`headline v${version}`, ['article:9']);
    };
    await Promise.all([a, b].flatMap((cache) => Array.from({ length: 20 }, () => cache.getOrRender('/story', render))));
    expect(a.renders + b.renders).toBe(1);

    version = 2;
    await buses[0]!.publish(['article:9']);
    await expect.poll(() => b.size).toBe(0); // the purge reached the other process
    const after = await Promise.all([b.getOrRender('/story', render), a.getOrRender('/story', render)]);
    expect(after.map((p) => p.body)).toEqual(['headline v2', 'headline v2']);
    expect(a.renders + b.renders).toBe(2);
  });
});
