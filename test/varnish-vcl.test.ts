import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './reliability/server.js';
import { startVarnish, varnishInstalled, type VarnishProcess } from './helpers/varnish.js';

/**
 * deploy/varnish/dispatch.vcl in a real varnishd, in front of two small HTTP
 * servers that answer like Dispatch does and also like it must never be
 * trusted to (a user's page marked public, a public page with Set-Cookie), so
 * the VCL's own rules are what is tested. Skipped where Varnish and vmod_xkey
 * are not installed (`apt-get install varnish varnish-modules`).
 */

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders }

/** A stand-in app process: records what reaches it; `ready` decides /readyz. */
async function backend(name: string) {
  const seen: Seen[] = [];
  const state = { ready: true, version: 1 };
  const server = http.createServer((req, res) => {
    req.resume();
    const url = req.url!;
    if (url === '/readyz') {
      res.statusCode = state.ready ? 200 : 503;
      return res.end(state.ready ? 'ok' : 'draining');
    }
    seen.push({ method: req.method!, url, headers: req.headers });
    const p = url.split('?')[0]!;
    res.setHeader('X-Backend', name);
    if (p === '/no-cache-control') return res.end(`plain ${state.version}`);
    if (p === '/private') {
      res.setHeader('Cache-Control', 'private, no-store');
      return res.end(`private ${state.version}`);
    }
    res.setHeader('Cache-Control', 'public, max-age=15, s-maxage=60, stale-while-revalidate=120');
    res.setHeader('xkey', p === '/other' ? 'other' : 'article:1 home');
    res.setHeader('Surrogate-Key', 'article:1 home');
    if (p === '/with-cookie') res.setHeader('Set-Cookie', 'dispatch_session=abc; Path=/; HttpOnly');
    res.end(`${p} v${state.version} ${name} cookie=${req.headers.cookie ?? ''}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { name, seen, state, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

type Backend = Awaited<ReturnType<typeof backend>>;

/** One request through Varnish, optionally from another loopback address (outside the purge ACL). */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; from?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, ...(opts.from ? { localAddress: opts.from } : {}), agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const installed = varnishInstalled();

describe.skipIf(!installed && !process.env.CI)('deploy/varnish/dispatch.vcl in varnishd', () => {
  let dir: string;
  let a: Backend;
  let b: Backend;
  let varnish: VarnishProcess;
  const get = (p: string, opts?: Parameters<typeof request>[1]) => request(varnish.url + p, opts);
  const reached = (p: string) => [...a.seen, ...b.seen].filter((s) => s.url.split('?')[0] === p).length;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-vcl-'));
    [a, b] = await Promise.all([backend('a'), backend('b')]);
    varnish = await startVarnish(dir, await freePort(), [a.port, b.port]);
    // Until the probes have found both backends healthy.
    for (const until = Date.now() + 15_000; (await get('/ready-check')).status !== 200;) {
      if (Date.now() > until) throw new Error(`varnishd found no healthy backend:\n${varnish.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    await varnish?.stop();
    await Promise.all([a?.close(), b?.close()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores what the app marks public, once, and keeps the surrogate keys to itself', async () => {
    const first = await get('/story');
    const second = await get('/story');
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    expect(reached('/story')).toBe(1);
    expect(second.headers.xkey).toBeUndefined();
    expect(second.headers['surrogate-key']).toBeUndefined();
    expect(second.headers['cache-control']).toContain('max-age=15');
  });

  it('never stores a response with Set-Cookie, or one without a public Cache-Control', async () => {
    for (const p of ['/with-cookie', '/no-cache-control', '/private']) {
      const responses = [await get(p), await get(p), await get(p)];
      expect(responses.map((r) => r.headers['x-cache']), p).toEqual(['PASS', 'PASS', 'PASS']);
      expect(reached(p), p).toBe(3);
    }
  });

  it("never stores a user's own pages, even marked public, nor anything asked with Authorization or by POST", async () => {
    for (const p of ['/api/v1/me', '/api/v1/me/favorites', '/api/v1/auth/signin', '/account', '/newsroom/stories', '/api/admin/articles', '/api/wires/agency', '/signin', '/favorites/3']) {
      await get(p, { headers: { cookie: 'dispatch_session=one' } });
      const again = await get(p, { headers: { cookie: 'dispatch_session=two' } });
      expect(again.body, p).toContain('cookie=dispatch_session=two');
      expect(reached(p), p).toBe(2);
    }
    await get('/bearer');
    const withToken = await get('/bearer', { headers: { authorization: 'Bearer dsp_x' } });
    expect(withToken.headers['x-cache']).toBe('PASS');
    expect(reached('/bearer')).toBe(2);
    await get('/posted', { method: 'POST' });
    await get('/posted', { method: 'POST' });
    expect(reached('/posted')).toBe(2);
  });

  it('serves the shared copy of a public page to a reader with a cookie (the app shares it too)', async () => {
    await get('/front');
    const withCookie = await get('/front', { headers: { cookie: 'dispatch_session=reader' } });
    expect(withCookie.headers['x-cache']).toBe('HIT');
    expect(withCookie.body).toMatch(/cookie=$/); // the copy stored from the request without one
    expect(withCookie.headers['set-cookie']).toBeUndefined();
  });

  it('drops tracking parameters, so they make one stored copy, and keeps the others', async () => {
    await get('/tracked?utm_source=newsletter&page=2&fbclid=abc');
    const other = await get('/tracked?page=2&utm_campaign=spring');
    expect(other.headers['x-cache']).toBe('HIT');
    expect([...a.seen, ...b.seen].filter((s) => s.url.startsWith('/tracked')).map((s) => s.url)).toEqual(['/tracked?page=2']);
  });

  it("passes the reader's address in X-Forwarded-For", async () => {
    await get('/xff');
    const seen = [...a.seen, ...b.seen].find((s) => s.url === '/xff')!;
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('purges by key from the purge ACL only: soft (stale copy while it refetches) or hard', async () => {
    await get('/story');
    await get('/other');
    const refused = await get('/', { method: 'PURGE', headers: { 'xkey-purge': 'article:1' }, from: '127.0.0.2' });
    expect(refused.status).toBe(403);
    expect((await get('/', { method: 'PURGE' })).status).toBe(400);

    a.state.version = b.state.version = 2;
    const soft = await get('/', { method: 'PURGE', headers: { 'xkey-purge': 'article:1' } });
    expect(soft.status).toBe(200);
    expect(soft.body).toMatch(/Purged [1-9]\d* objects/);
    // Soft: the next reader still gets the old copy at once while it is refetched; soon after, the new one.
    expect((await get('/story')).body).toContain('v1');
    await expect.poll(async () => (await get('/story')).body, { timeout: 5000, interval: 20 }).toContain('v2');
    expect((await get('/other')).body).toContain('v1'); // another key: untouched

    a.state.version = b.state.version = 3;
    expect((await get('/', { method: 'PURGE', headers: { 'xkey-purge-hard': 'other' } })).status).toBe(200);
    const hard = await get('/other');
    expect(hard.headers['x-cache']).toBe('MISS');
    expect(hard.body).toContain('v3');
  });

  it('sends requests round robin over the healthy processes, and none to one whose /readyz fails', async () => {
    const before = { a: a.seen.length, b: b.seen.length };
    for (let i = 0; i < 6; i++) await get(`/no-cache-control?rr=${i}`);
    expect(a.seen.length - before.a).toBe(3);
    expect(b.seen.length - before.b).toBe(3);

    b.state.ready = false; // draining: the probe sees 503
    await expect.poll(async () => {
      const mark = b.seen.length;
      for (let i = 0; i < 4; i++) await get('/no-cache-control');
      return b.seen.length - mark;
    }, { timeout: 15_000, interval: 200 }).toBe(0);
    b.state.ready = true;
  });
});
