import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
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

const buses: PurgeBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

// Two app processes share one Redis: a purge published by one reaches both.
describe.skipIf(!(await redisAvailable()) && !process.env.CI)('redisPurgeBus', () => {
  it('carries a purge to every process', async () => {
    const seenA: string[][] = [];
    const seenB: string[][] = [];
    const a = await redisPurgeBus(REDIS_URL, (k) => seenA.push(k), () => {});
    const b = await redisPurgeBus(REDIS_URL, (k) => seenB.push(k), () => {});
    buses.push(a, b);
    await a.publish(['article:7', 'home']);
    await expect.poll(() => seenB).toEqual([['article:7', 'home']]);
    // The publisher purges at once, then again when its own message comes back.
    expect(seenA[0]).toEqual(['article:7', 'home']);
  });
});
