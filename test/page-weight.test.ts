/**
 * Page weight: the icons travel once per page, and every static asset is
 * compressed once, at build time, and sent in the encoding the client accepts.
 * The client bundles are built here (into a temporary directory, with the
 * project's vite.config.ts), so the test checks what `vite build` really writes.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/platform/paths.js';
import { ICON_NAMES } from '../src/web/icons.js';
import { startDemoApp, type TestApp } from './helpers/app.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with exactly these headers (fetch would add Accept-Encoding and decode the body itself). */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(res: Raw): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(res.body);
  if (encoding === 'gzip') return zlib.gunzipSync(res.body);
  return res.body;
}

function varies(res: Raw): boolean {
  return String(res.headers.vary ?? '')
    .toLowerCase()
    .split(',')
    .some((v) => v.trim() === 'accept-encoding');
}

let clientDir: string;
let t: TestApp;
/** The site's stylesheet and script, as the home page links them. */
let assetPaths: string[];

beforeAll(async () => {
  clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-client-'));
  await build({
    root: projectRoot,
    configFile: path.join(projectRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: clientDir, emptyOutDir: true },
  });
  t = await startDemoApp({ build: { clientDir } });
  const home = (await raw(t.url + '/')).body.toString('utf8');
  assetPaths = [...home.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]!);
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (clientDir) fs.rmSync(clientDir, { recursive: true, force: true });
});

describe('precompressed static assets', () => {
  it('writes a brotli and a gzip copy of every text file of the build, each decoding to the same bytes', () => {
    const files = fs.readdirSync(path.join(clientDir, 'assets')).filter((f) => /\.(css|js|svg)$/.test(f));
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    for (const file of files) {
      const original = fs.readFileSync(path.join(clientDir, 'assets', file));
      const br = fs.readFileSync(path.join(clientDir, 'assets', `${file}.br`));
      const gz = fs.readFileSync(path.join(clientDir, 'assets', `${file}.gz`));
      expect(zlib.brotliDecompressSync(br).equals(original), `${file}.br`).toBe(true);
      expect(zlib.gunzipSync(gz).equals(original), `${file}.gz`).toBe(true);
      if (original.length > 1024) expect(br.length, file).toBeLessThan(original.length / 2);
    }
  });

  it('sends the brotli copy to a client that accepts br, the gzip copy to one that accepts gzip, and the file itself otherwise', async () => {
    expect(assetPaths.length).toBeGreaterThanOrEqual(2);
    for (const asset of assetPaths) {
      const file = fs.readFileSync(path.join(clientDir, asset));
      const identity = await raw(t.url + asset);
      expect(identity.status).toBe(200);
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.body.equals(file)).toBe(true);
      expect(varies(identity)).toBe(true);

      const browser = await raw(t.url + asset, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect(browser.headers['content-encoding']).toBe('br');
      expect(browser.headers['content-type']).toBe(identity.headers['content-type']);
      expect(Number(browser.headers['content-length'])).toBe(browser.body.length);
      expect(browser.body.length).toBeLessThan(file.length);
      expect(decode(browser).equals(file)).toBe(true);
      expect(varies(browser)).toBe(true);
      expect(browser.headers['cache-control']).toContain('immutable');

      const gzip = await raw(t.url + asset, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(decode(gzip).equals(file)).toBe(true);
      expect(varies(gzip)).toBe(true);

      const refused = await raw(t.url + asset, { 'accept-encoding': 'br;q=0, gzip;q=0' });
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(refused.body.equals(file)).toBe(true);
    }
  });

  it('answers HEAD with the headers of the copy it would send, and If-None-Match with 304', async () => {
    const asset = assetPaths[0]!;
    const head = await raw(t.url + asset, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.body.length).toBe(0);

    const first = await raw(t.url + asset, { 'accept-encoding': 'br' });
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    const again = await raw(t.url + asset, { 'accept-encoding': 'br', 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

describe('the home page', () => {
  it('is compressed for a browser, once per cached page, and decodes to the identity body', async () => {
    const identity = await raw(t.url + '/');
    expect(identity.headers['content-encoding']).toBeUndefined();
    const br = await raw(t.url + '/', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(varies(br)).toBe(true);
    expect(decode(br).equals(identity.body)).toBe(true);
    const gzip = await raw(t.url + '/', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decode(gzip).equals(identity.body)).toBe(true);
    // A second hit replays the stored compressed bytes.
    expect((await raw(t.url + '/', { 'accept-encoding': 'br' })).body.equals(br.body)).toBe(true);
  });

  it('of the demo edition carries each icon drawing once, and every icon it shows refers to one', async () => {
    const body = (await raw(t.url + '/')).body;
    expect(body.length).toBeLessThanOrEqual(HOME_MAX_BYTES);
    const html = body.toString('utf8');
    const uses = [...html.matchAll(/<use href="#(i-[a-z]+)"/g)].map((m) => m[1]!);
    expect(uses.length).toBeGreaterThan(5);
    // The forty cards' clocks, comment bubbles and stars are the stylesheet's: no <svg> for them in the HTML.
    const cards = [...html.matchAll(/<article class="story-card.*?<\/article>/g)].map((m) => m[0]);
    expect(cards.length).toBeGreaterThanOrEqual(40);
    for (const card of cards) {
      expect(card).toContain('<p class="story-card__meta"><time');
      expect(card).toMatch(/<a class="comment-count comment-count--card" href="[^"]+#comments"><span aria-hidden="true">\d+<\/span>/);
      expect(card).toMatch(/class="favorite-button favorite-button--icon" title="Add to favorites"><span class="visually-hidden">/);
    }
    for (const name of ICON_NAMES) {
      const symbols = html.split(`<symbol id="i-${name}"`).length - 1;
      expect(symbols, name).toBeLessThanOrEqual(1);
      if (uses.includes(`i-${name}`)) expect(symbols, name).toBe(1);
    }
    // No drawing outside the sprite: an inline <svg> holds only a <use>, the one chevron excepted.
    const inline = [...html.matchAll(/<svg class="icon"[^>]*>(.*?)<\/svg>/g)].map((m) => m[1]!);
    expect(inline.every((inner) => /^<use href="#i-[a-z]+"><\/use>$/.test(inner))).toBe(true);
    // Decorative icons are hidden from assistive technology.
    expect(html.match(/<svg class="icon"(?![^>]*aria-hidden="true")(?![^>]*aria-label=)[^>]*>/g)).toBeNull();
  });
});

/**
 * The home page of the demo edition (forty story cards), before compression:
 * 118.7 KB with every icon drawn inline; 78.5 KB with the sprite and the cards'
 * icons in the stylesheet. Issue 12 asks for 50 KB, which forty cards of this
 * markup cannot reach (see the branch's report); this keeps what is won.
 */
const HOME_MAX_BYTES = 80 * 1024;
