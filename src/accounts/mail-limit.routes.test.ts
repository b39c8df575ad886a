/**
 * Sign-up, reset and invitation mail is limited per address and per client:
 * a flood of requests sends a few messages, and the answers do not tell
 * which requests were sent and which were not.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { buildUser, signedInUser, type SignedIn } from '../../test/helpers/accounts.js';
import { outbox } from '../../test/helpers/mail.js';
import type { ApiError } from '../../test/helpers/api-types.js';
import { hashPassword } from './password.js';

const PASSWORD = 'lantern harbour 1987 velvet';
const json = (url: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url + path, { method, headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(body) });
const mailsTo = (t: { dataDir: string }, to: string) => outbox(t).filter((m) => m.includes(`To: ${to}`)).length;

/** What a client sees of an answer: status, content type and body. */
async function seen(res: Response) {
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), body: await res.text() };
}

describe('on one app', () => {
  let t: TestApp;
  let admin: SignedIn;
  const reader = 'Night.Reader@Example.org';

  beforeAll(async () => {
    // The per-client limit is high here: each test below would otherwise share 127.0.0.1's count.
    t = await startTestApp({ build: { mailLimits: { perClient: 1000 } } });
    await buildUser(t.db.kysely, { email: reader.toLowerCase(), passwordHash: await hashPassword(PASSWORD) });
    admin = await signedInUser(t.db.kysely, { role: 'admin' });
  });
  afterAll(async () => t?.close());

  it('sends 3 of 30 reset messages asked for one address, and answers all 30 alike', async () => {
    const answers = [];
    for (let i = 0; i < 30; i++) {
      // The address is matched whatever its case.
      answers.push(await seen(await json(t.url, 'POST', '/api/v1/auth/reset', { email: i % 2 ? reader : reader.toUpperCase() })));
    }
    expect(mailsTo(t, reader.toLowerCase())).toBe(3);
    expect(answers[0]!.status).toBe(202);
    for (const a of answers) expect(a).toEqual(answers[0]);

    // The HTML form answers with the same page as when the message goes.
    const page = await seen(await t.request('POST', '/reset', { form: { email: reader } }));
    expect(page.status).toBe(202);
    expect(page.body).toContain('Check your email');
    expect(mailsTo(t, reader.toLowerCase())).toBe(3);
  });

  it('answers a reset for an address without an account like one with an account, limited or not', async () => {
    const ghost = await seen(await json(t.url, 'POST', '/api/v1/auth/reset', { email: 'ghost@example.org' }));
    const limited = await seen(await json(t.url, 'POST', '/api/v1/auth/reset', { email: reader }));
    expect(ghost).toEqual(limited);
  });

  it('sends sign-up confirmations to one address at most 3 times an hour', async () => {
    const email = 'new.reader@example.org';
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await seen(await json(t.url, 'POST', '/api/v1/auth/signup', { email, displayName: `New ${i}`, password: PASSWORD })));
    expect(mailsTo(t, email)).toBe(3);
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(202);

    // Sign-up with an address that has an account sends a note instead; it is limited alike.
    for (let i = 0; i < 5; i++) await json(t.url, 'POST', '/api/v1/auth/signup', { email: reader, displayName: 'Impostor', password: PASSWORD });
    const notes = outbox(t).filter((m) => m.includes(`To: ${reader.toLowerCase()}`) && m.includes('tried to sign up'));
    expect(notes).toHaveLength(3);

    // The HTML form too: the page a sent message gets, and no fourth message.
    const page = await t.request('POST', '/signup', { form: { email, displayName: 'Form', password: PASSWORD } });
    expect(page.status).toBe(202);
    expect(await page.text()).toContain('Check your email');
    expect(mailsTo(t, email)).toBe(3);
  });

  it('answers a fourth invitation to one address within the hour with 429 too_many_invitations', async () => {
    const email = 'desk.editor@example.org';
    const invite = () => t.request('POST', '/api/admin/invitations', { as: admin, json: { email, role: 'editor' }, headers: { origin: t.url, accept: 'application/json' } });
    for (let i = 0; i < 3; i++) expect((await invite()).status).toBe(201);
    const res = await invite();
    expect(res.status).toBe(429);
    const body = (await res.json()) as ApiError;
    expect(body.error.code).toBe('too_many_invitations');
    expect(body.error.message).toMatch(/too many invitations.*Nothing was sent/);
    expect(mailsTo(t, email)).toBe(3);
  });
});

describe('per client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ build: { mailLimits: { perClient: 5 } } });
  });
  afterAll(async () => t?.close());

  it('sends no more sign-up and reset mail to any address once one client asked for too much', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) {
      const email = `someone${i}@example.org`;
      answers.push(await seen(await json(t.url, 'POST', '/api/v1/auth/signup', { email, displayName: 'Someone', password: PASSWORD })));
    }
    expect(outbox(t)).toHaveLength(5);
    for (const a of answers) expect(a).toEqual(answers[0]);
    const reset = await json(t.url, 'POST', '/api/v1/auth/reset', { email: 'someone0@example.org' });
    expect(reset.status).toBe(202);
    expect(outbox(t)).toHaveLength(5);
  });
});

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

describe.skipIf(!(await redisUp()) && !process.env.CI)('two app processes on one Redis', () => {
  let t: TestDb;
  const apps: App[] = [];
  const urls: string[] = [];
  // Each run has its own Redis namespace, so counts from an earlier run do not carry over.
  const prefix = `test-mail-${randomBytes(4).toString('hex')}`;
  const email = `shared-${randomBytes(4).toString('hex')}@example.org`;

  beforeAll(async () => {
    t = await createTestDb();
    await buildUser(t.db.kysely, { email, passwordHash: await hashPassword(PASSWORD) });
    for (let i = 0; i < 2; i++) {
      const app = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent', REDIS_URL, REDIS_PREFIX: prefix }), db: t.db, logger: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push(app);
      urls.push(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await t?.destroy();
  });

  it('share the count: 3 reset messages in all, whichever process is asked', async () => {
    for (let i = 0; i < 10; i++) expect((await json(urls[i % 2]!, 'POST', '/api/v1/auth/reset', { email })).status).toBe(202);
    expect(mailsTo(t, email)).toBe(3);
  });
});
