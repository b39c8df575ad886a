import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { fastlyPurger, keyBatches, varnishPurger, withEdgePurge } from './edge-purge.js';
import { localPurgeBus, redisPurgeBus, type PurgeBus } from './purge-bus.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A real HTTP server standing in for Varnish or Fastly's API: records every request and answers with the next status of `statuses` (then 200). */
async function recorder(statuses: number[] = []): Promise<{ url: string; requests: Recorded[]; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers });
      res.statusCode = statuses.shift() ?? 200;
      res.end('{"status":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

class MemoryLog {
  lines: { level: string; obj: object; msg: string }[] = [];
  warn(obj: object, msg: string) { this.lines.push({ level: 'warn', obj, msg }); }
  error(obj: object, msg: string) { this.lines.push({ level: 'error', obj, msg }); }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function started(statuses?: number[]) {
  const r = await recorder(statuses);
  cleanups.push(r.close);
  return r;
}

describe('varnishPurger', () => {
  it('sends PURGE with the keys in xkey-purge (soft) or xkey-purge-hard', async () => {
    const varnish = await started();
    await varnishPurger(varnish.url).purge(['article:7', 'home']);
    await varnishPurger(varnish.url, { soft: false }).purge(['section:africa']);
    expect(varnish.requests.map((r) => [r.method, r.url, r.headers['xkey-purge'], r.headers['xkey-purge-hard']])).toEqual([
      ['PURGE', '/', 'article:7 home', undefined],
      ['PURGE', '/', undefined, 'section:africa'],
    ]);
  });

  it('throws when the cache refuses (a purge not taken is not a purge)', async () => {
    const varnish = await started([403]);
    await expect(varnishPurger(varnish.url).purge(['home'])).rejects.toThrow(/403/);
  });
});

describe('fastlyPurger', () => {
  it('posts a soft purge by surrogate key to the service, with the token', async () => {
    const api = await started();
    await fastlyPurger('SU1Z0isxPaozGVKXdv0eY', 's3cret', { apiUrl: api.url }).purge(['article:7', 'home']);
    await fastlyPurger('SU1Z0isxPaozGVKXdv0eY', 's3cret', { apiUrl: api.url, soft: false }).purge(['home']);
    const [soft, hard] = api.requests;
    expect([soft!.method, soft!.url]).toEqual(['POST', '/service/SU1Z0isxPaozGVKXdv0eY/purge']);
    expect(soft!.headers['surrogate-key']).toBe('article:7 home');
    expect(soft!.headers['fastly-key']).toBe('s3cret');
    expect(soft!.headers['fastly-soft-purge']).toBe('1');
    expect(hard!.headers['fastly-soft-purge']).toBeUndefined();
  });
});

describe('keyBatches', () => {
  it('joins distinct keys by spaces, drops ones a header cannot carry, and splits long lists', () => {
    expect(keyBatches(['a', 'b', 'a', '', 'bad key', 'x\ny'])).toEqual(['a b']);
    const many = Array.from({ length: 1000 }, (_, i) => `article:${i}`);
    const batches = keyBatches(many);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((b) => b.length <= 4000)).toBe(true);
    expect(batches.join(' ').split(' ')).toEqual(many);
  });
});

describe('withEdgePurge', () => {
  it('purges the processes first, then every edge cache, without making the publisher wait for the edge', async () => {
    const varnish = await started();
    const api = await started();
    const applied: string[][] = [];
    const purge = withEdgePurge(localPurgeBus((k) => applied.push(k)), [varnishPurger(varnish.url), fastlyPurger('svc', 't', { apiUrl: api.url })], { log: new MemoryLog(), sweepAfterMs: 0 });
    await purge.publish(['article:7']);
    expect(applied).toEqual([['article:7']]);
    await purge.settled();
    expect(varnish.requests.map((r) => r.headers['xkey-purge'])).toEqual(['article:7']);
    expect(api.requests.map((r) => r.headers['surrogate-key'])).toEqual(['article:7']);
    await purge.close();
  });

  it('sends the purges of one change (published together) as one request', async () => {
    const varnish = await started();
    const purge = withEdgePurge(localPurgeBus(() => {}), [varnishPurger(varnish.url)], { log: new MemoryLog(), sweepAfterMs: 0 });
    await Promise.all([purge.publish(['article:7', 'home']), purge.publish(['search']), purge.publish(['feeds', 'home'])]);
    await purge.settled();
    expect(varnish.requests.map((r) => r.headers['xkey-purge'])).toEqual(['article:7 home search feeds']);
    await purge.close();
  });

  it('sends a purge still waiting for its batch when closed', async () => {
    const varnish = await started();
    const purge = withEdgePurge(localPurgeBus(() => {}), [varnishPurger(varnish.url)], { log: new MemoryLog(), batchMs: 10_000 });
    await purge.publish(['home']);
    await purge.close();
    expect(varnish.requests.map((r) => r.headers['xkey-purge'])).toEqual(['home']);
  });

  it('retries a failing cache, then logs; the publish itself never fails', async () => {
    const varnish = await started([503, 500]);
    const log = new MemoryLog();
    const purge = withEdgePurge(localPurgeBus(() => {}), [varnishPurger(varnish.url)], { log, retryDelayMs: 5, sweepAfterMs: 0 });
    await purge.publish(['home']);
    await purge.settled();
    expect(varnish.requests).toHaveLength(3); // two refusals, then taken
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'warn']);

    const down = withEdgePurge(localPurgeBus(() => {}), [varnishPurger('http://127.0.0.1:9', { timeoutMs: 500 })], { log, attempts: 3, retryDelayMs: 5, sweepAfterMs: 0 });
    await expect(down.publish(['home'])).resolves.toBeUndefined();
    await down.settled();
    expect(log.lines.slice(2).map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
    expect(log.lines.at(-1)!.obj).toMatchObject({ keys: ['home'], attempts: 3 });
    await Promise.all([purge.close(), down.close()]);
  });

  it('sweeps a second time shortly after, for a refetch that raced the bus', async () => {
    const varnish = await started();
    const purge = withEdgePurge(localPurgeBus(() => {}), [varnishPurger(varnish.url)], { log: new MemoryLog(), sweepAfterMs: 30 });
    const sent = Date.now();
    await purge.publish(['home']);
    await purge.settled();
    expect(varnish.requests.map((r) => r.headers['xkey-purge'])).toEqual(['home', 'home']);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(30);
    await purge.close();
  });
});

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

// Every process hears every purge over Redis; only the one where the content changed may purge the edge.
describe.skipIf(!(await redisAvailable()) && !process.env.CI)('withEdgePurge over the Redis purge bus', () => {
  it('sends one edge purge per change, from the originating process only', async () => {
    const varnish = await started();
    const prefix = `edge-purge-test-${process.pid}-${Date.now()}`;
    const seen: Record<'a' | 'b', string[][]> = { a: [], b: [] };
    const buses: PurgeBus[] = [];
    for (const name of ['a', 'b'] as const) {
      const bus = await redisPurgeBus(REDIS_URL, (k) => seen[name].push(k), () => {}, prefix);
      buses.push(withEdgePurge(bus, [varnishPurger(varnish.url)], { log: new MemoryLog(), sweepAfterMs: 0 }));
    }
    cleanups.push(async () => { await Promise.all(buses.map((b) => b.close())); });
    await buses[0]!.publish(['article:7']);
    await expect.poll(() => seen.b).toEqual([['article:7']]);
    await expect.poll(() => seen.a.length).toBe(2); // at once, then its own message back
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(varnish.requests.map((r) => r.headers['xkey-purge'])).toEqual(['article:7']);
  });
});
