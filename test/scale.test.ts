import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { buildApp, type App } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { createTestDb, type TestDb } from './helpers/db.js';
import { buildUser } from './helpers/accounts.js';
import { hashPassword } from '../src/accounts/password.js';

// Two app processes behind a load balancer share one database and one Redis.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

let t: TestDb;
const apps: App[] = [];
const urls: string[] = [];
const email = `shared-${randomBytes(4).toString('hex')}@example.org`;
// Each run has its own Redis namespace: counters from an earlier run must not block this one.
const prefix = `test-${randomBytes(4).toString('hex')}`;
const other = `proxied-${randomBytes(4).toString('hex')}@example.org`;

async function start(env: Record<string, string>) {
  const app = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent', REDIS_URL, REDIS_PREFIX: prefix, ...env }), db: t.db, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  apps.push(app);
  urls.push(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
}

describe.skipIf(!(await redisUp()) && !process.env.CI)('several app processes', () => {
  beforeAll(async () => {
    t = await createTestDb();
    await buildUser(t.db.kysely, { email, passwordHash: await hashPassword('the right passphrase') });
    await buildUser(t.db.kysely, { email: other, passwordHash: await hashPassword('the right passphrase') });
    await start({});
    await start({ TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await t?.destroy();
  });

  const signin = (url: string, password: string, headers: Record<string, string> = {}, who = email) =>
    fetch(`${url}/api/v1/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: who, password }) });

  it('share sign-in failure counters through Redis', async () => {
    // Failed tries alternate between the two processes; the block still comes after five.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signin(urls[i % 2]!, `wrong guess ${i} here`)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const blocked = await signin(urls[0]!, 'the right passphrase');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('believe X-Forwarded-For only from a trusted proxy', async () => {
    // A session records the address it was started from.
    expect((await signin(urls[0]!, 'the right passphrase', { 'x-forwarded-for': '203.0.113.9' }, other)).status).toBe(200);
    expect((await signin(urls[1]!, 'the right passphrase', { 'x-forwarded-for': '198.51.100.7' }, other)).status).toBe(200);
    const ips = await t.db.kysely
      .selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.ip').where('users.email', '=', other).orderBy('sessions.created_at').execute();
    // Without TRUST_PROXY the header is ignored; behind the trusted proxy it names the reader.
    expect(ips.map((r) => r.ip).sort()).toEqual(['127.0.0.1', '198.51.100.7']);
  });
});
