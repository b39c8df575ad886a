import http from 'node:http';
import zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { createTestDb } from './helpers/db.js';
import { buildArticle, buildSection } from './helpers/factories.js';
import { buildStaff, signedInUser, type SignedIn } from './helpers/accounts.js';

let t: TestApp;
let id: number;
let otherId: number;
let reader: SignedIn;
let staff: { editor: SignedIn; admin: SignedIn };
beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const s = await buildSection(db, { slug: 'economy', name: 'Economy' });
      id = (await buildArticle(db, { sectionId: s.id, headline: 'Prices steady in October' })).id;
      otherId = (await buildArticle(db, { sectionId: s.id, headline: 'Harbour dues rise again', markdown: 'The port raised its dues. '.repeat(100) })).id;
      reader = await signedInUser(db, { displayName: 'Rosalind Reader-Private' });
      staff = await buildStaff(db, { editor: 'editor', admin: 'admin' }, { displayName: (k) => `Staffer ${k} Private` });
    },
  });
});
afterAll(async () => t?.close());

const story = () => `/economy/${otherId}-harbour-dues-rise-again`;

/** A GET (or HEAD) with node:http: the body as sent, not decoded as fetch would. */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${t.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers a response is judged by: all but those that differ per request or per connection. */
function comparable(headers: http.IncomingHttpHeaders): Record<string, unknown> {
  const { date: _d, 'x-request-id': _id, connection: _c, 'keep-alive': _k, ...rest } = headers;
  return rest;
}

/** Runs `fn` and says whether the cache-hit path (PageCache.peek) answered. */
async function viaHitPath<T>(fn: () => Promise<T>): Promise<{ result: T; hitPath: boolean }> {
  const before = t.app.deps.cache.peekHits;
  const result = await fn();
  return { result, hitPath: t.app.deps.cache.peekHits > before };
}

function decode(body: Buffer, encoding: string | undefined): string {
  if (encoding === 'br') return zlib.brotliDecompressSync(body).toString('utf8');
  if (encoding === 'gzip') return zlib.gunzipSync(body).toString('utf8');
  return body.toString('utf8');
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data: https:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self';connect-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('page cache', () => {
  it('serves from the cache until a content event purges the keys it touches', async () => {
    const path = `/economy/${id}-prices-steady-in-october`;
    const first = await (await t.get(path)).text();
    expect(first).toContain('Prices steady in October');

    await t.db.kysely.updateTable('articles').set({ standfirst: 'A quieter month for the shops.' }).where('id', '=', id).execute();
    const cached = await viaHitPath(async () => (await t.get(path)).text());
    expect(cached.hitPath).toBe(true);
    expect(cached.result).not.toContain('A quieter month for the shops.'); // still the cached copy

    await t.app.deps.events.emit('article.updated', { articleId: id, keys: [`article:${id}`] });
    const purged = await viaHitPath(async () => (await t.get(path)).text());
    expect(purged.hitPath).toBe(false); // a purged URL is not answered from the cache
    expect(purged.result).toContain('A quieter month for the shops.');
    expect((await viaHitPath(() => t.get(path))).hitPath).toBe(true); // and the new copy is
  });

  it('answers each page with a request id for the logs', async () => {
    const res = await t.get('/', { 'x-request-id': 'trace-123' });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    const hit = await viaHitPath(() => t.get('/', { 'x-request-id': 'trace-456' }));
    expect(hit.hitPath).toBe(true);
    expect(hit.result.headers.get('x-request-id')).toBe('trace-456');
    expect((await t.get('/')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the cache-hit path', () => {
  it('sends what the route sends for the same cached page, in every encoding', async () => {
    for (const encoding of ['identity', 'br', 'gzip', 'gzip, deflate, br', 'br;q=0, gzip', 'br;q=0, gzip;q=0']) {
      t.app.deps.cache.clear();
      const rendered = await viaHitPath(() => raw(story(), { 'accept-encoding': encoding }));
      const hit = await viaHitPath(() => raw(story(), { 'accept-encoding': encoding }));
      // An unknown query parameter cannot be checked before routing: the route validates it and serves the same page.
      const routed = await viaHitPath(() => raw(`${story()}?utm_source=newsletter`, { 'accept-encoding': encoding }));
      expect([rendered.hitPath, hit.hitPath, routed.hitPath]).toEqual([false, true, false]);
      expect(hit.result.status).toBe(200);
      expect(comparable(hit.result.headers)).toEqual(comparable(rendered.result.headers));
      expect(comparable(routed.result.headers)).toEqual(comparable(rendered.result.headers));
      expect(hit.result.body.equals(rendered.result.body)).toBe(true);
      expect(routed.result.body.equals(rendered.result.body)).toBe(true);
      const expected = { identity: undefined, br: 'br', gzip: 'gzip', 'gzip, deflate, br': 'br', 'br;q=0, gzip': 'gzip', 'br;q=0, gzip;q=0': undefined }[encoding];
      expect(hit.result.headers['content-encoding']).toBe(expected);
      expect(hit.result.headers['content-length']).toBe(String(hit.result.body.length));
      expect(decode(hit.result.body, expected)).toContain('Harbour dues rise again');
      expect(hit.result.headers.vary).toBe('Accept-Encoding');
    }
    // The query parameter did not make a second copy of the page (the story's route reads no query).
    expect(t.app.deps.cache.peek(`${story()}?utm_source=newsletter`)).toBeUndefined();
  });

  it('honours If-None-Match with a 304 like the route does', async () => {
    const first = await raw(story());
    const etag = first.headers.etag!;
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const hit = await viaHitPath(() => raw(story(), { 'if-none-match': inm }));
      const routed = await raw(`${story()}?utm_source=x`, { 'if-none-match': inm });
      expect(hit.hitPath).toBe(true);
      expect(hit.result.status).toBe(304);
      expect(hit.result.body.length).toBe(0);
      expect(comparable(hit.result.headers)).toEqual(comparable(routed.headers));
      expect(hit.result.headers.etag).toBe(etag);
    }
    const stale = await viaHitPath(() => raw(story(), { 'if-none-match': '"not-this-one"' }));
    expect([stale.hitPath, stale.result.status]).toEqual([true, 200]);
  });

  it('answers HEAD with the GET head and no body', async () => {
    for (const encoding of ['identity', 'br', 'gzip']) {
      const get = await raw(story(), { 'accept-encoding': encoding });
      const head = await viaHitPath(() => raw(story(), { 'accept-encoding': encoding }, 'HEAD'));
      const routedHead = await raw(`${story()}?utm_source=x`, { 'accept-encoding': encoding }, 'HEAD');
      expect(head.hitPath).toBe(true);
      expect(head.result.status).toBe(200);
      expect(head.result.body.length).toBe(0);
      expect(comparable(head.result.headers)).toEqual(comparable(get.headers));
      expect(comparable(routedHead.headers)).toEqual(comparable(get.headers));
    }
  });

  it('finds a page by its URL only when that URL is its cache key; any other spelling goes through the route to the same page', async () => {
    t.app.deps.cache.clear();
    const section = await raw('/economy');
    expect(section.status).toBe(200);
    // A parameter at its default is no part of the key: the plain address is the key.
    expect((await viaHitPath(() => raw('/economy'))).hitPath).toBe(true);
    for (const other of ['/economy?page=1', '/economy?page=01', '/economy?page=1&utm_source=x', '/economy?utm_source=x']) {
      const res = await viaHitPath(() => raw(other));
      expect(res.hitPath, other).toBe(false);
      expect(res.result.status, other).toBe(200);
      expect(res.result.body.equals(section.body), other).toBe(true);
    }
    // A parameter the route keeps, not at its default: the URL spelt as the key is found before routing.
    const comments = `/articles/${otherId}/comments?sort=oldest`;
    expect((await raw(comments)).status).toBe(200);
    expect((await viaHitPath(() => raw(comments))).hitPath).toBe(true);
    expect((await viaHitPath(() => raw(`/articles/${otherId}/comments?utm_source=x&sort=oldest`))).hitPath).toBe(false);
    // One copy of each page, whatever the spellings.
    expect(t.app.deps.cache.size).toBe(2);
    const bad = await viaHitPath(() => raw('/economy?page=zero'));
    expect([bad.hitPath, bad.result.status]).toEqual([false, 400]);
  });

  it('gives a signed-in reader, staff or a token the public page, with no cookie and nothing of theirs', async () => {
    t.app.deps.cache.clear();
    const token = (await t.api<{ token: string }>('POST', '/api/admin/tokens', { as: { cookie: staff.admin.cookie }, body: { name: 'cache test', role: 'editor' } })).body?.token;
    expect(token).toBeTruthy();
    const callers: Array<Record<string, string>> = [
      { cookie: reader.cookie },
      { cookie: staff.editor.cookie },
      { cookie: `${staff.admin.cookie}; theme=dark` },
      { authorization: `Bearer ${token}` },
    ];
    // The first request renders the page for a signed-in editor; everyone after gets that copy.
    const rendered = await viaHitPath(() => raw(story(), callers[1]!));
    const anonymous = await viaHitPath(() => raw(story()));
    expect([rendered.hitPath, anonymous.hitPath]).toEqual([false, true]);
    for (const caller of callers) {
      const res = await viaHitPath(() => raw(story(), caller));
      expect(res.hitPath).toBe(true);
      expect(res.result.body.equals(anonymous.result.body)).toBe(true);
      for (const r of [res.result, rendered.result]) {
        expect(r.headers['set-cookie']).toBeUndefined();
        const html = r.body.toString('utf8');
        for (const name of ['Rosalind Reader-Private', 'Staffer editor Private', 'Staffer admin Private', reader.email, staff.editor.email]) expect(html).not.toContain(name);
        expect(r.headers['cache-control']).toMatch(/^public/);
      }
    }
  });

  it('never stores or serves staff and personal pages', async () => {
    t.app.deps.cache.clear();
    const cookie = staff.admin.cookie;
    for (const path of ['/newsroom', '/account', '/api/admin/articles', '/api/v1/me']) {
      const signedIn = await raw(path, { cookie });
      expect(signedIn.status, path).toBeLessThan(400);
      expect(t.app.deps.cache.peek(path), path).toBeUndefined();
      const again = await viaHitPath(() => raw(path, { cookie }));
      expect(again.hitPath, path).toBe(false);
      // Without the cookie nobody gets the staff member's answer.
      const signedOut = await raw(path);
      expect(signedOut.body.toString('utf8'), path).not.toContain('Staffer admin Private');
      expect(signedOut.body.toString('utf8'), path).not.toContain(staff.admin.email);
    }
    expect(t.app.deps.cache.size).toBe(0);
  });

  it('sends the same security headers on a hit, a render, an error and routes outside the cache', async () => {
    t.app.deps.cache.clear();
    const responses = {
      render: await raw(story()),
      hit: await viaHitPath(() => raw(story())).then((r) => (expect(r.hitPath).toBe(true), r.result)),
      notModified: await raw(story(), { 'if-none-match': '*' }),
      health: await raw('/healthz'),
      me: await raw('/api/v1/me', { cookie: reader.cookie }),
      notFound: await raw('/economy/999999-no-such-story'),
      badQuery: await raw('/economy?page=zero'),
      staff: await raw('/newsroom', { cookie: staff.editor.cookie }),
      openapi: await raw('/api/openapi.json'),
    };
    for (const [name, res] of Object.entries(responses)) {
      const security = Object.fromEntries(Object.keys(SECURITY_HEADERS).map((h) => [h, res.headers[h]]));
      expect(security, name).toEqual(SECURITY_HEADERS);
      expect(res.headers['strict-transport-security'], name).toBeUndefined(); // http site: no HSTS
    }
  });
});

describe('request logs', () => {
  it('say one line per request (at info, cache hits at debug) with its request id, and still log errors', async () => {
    const db = await createTestDb();
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>), done()) });
    for (const level of ['info', 'debug']) {
      const app = await buildApp({ config: loadConfig({ DISPATCH_DATA: db.dataDir, LOG_LEVEL: level }), db: db.db, logger: { level, stream } });
      lines.length = 0;
      await app.inject({ url: '/', headers: { 'x-request-id': 'render-1' } });
      await app.inject({ url: '/', headers: { 'x-request-id': 'hit-1' } });
      await app.inject({ url: '/economy?page=zero', headers: { 'x-request-id': 'bad-1' } });
      const of = (id: string) => lines.filter((l) => l.reqId === id).map((l) => [l.level, l.msg]);
      expect(of('render-1')).toEqual([[30, 'request completed']]);
      expect(of('hit-1')).toEqual(level === 'debug' ? [[20, 'cache hit']] : []);
      expect(of('bad-1')[0]?.[0]).toBe(30); // the error handler's line for a 400, then the completion
      expect(of('bad-1').at(-1)).toEqual([30, 'request completed']);
      expect(lines.find((l) => l.reqId === 'render-1')).toMatchObject({ method: 'GET', url: '/', statusCode: 200 });
      await app.close();
    }
    await db.destroy();
  });
});
