/**
 * The media library through the real app: uploads are judged by content,
 * re-encoded without their metadata into hashed variants inside the media
 * folder, served as images that caches may keep; every refusal says why and
 * leaves nothing behind, on disk or in the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { countRows } from '../../test/helpers/db.js';
import { postMultipart, type Part } from '../../test/helpers/multipart.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { issueApiToken } from '../accounts/people.service.js';
import { SYSTEM } from '../accounts/staff.js';
import type { MediaJson } from '../media/media.schemas.js';

let t: TestApp;
let who: Record<'reader' | 'contributor' | 'contributor2' | 'editor' | 'admin', SignedIn>;

beforeAll(async () => {
  t = await startTestApp();
  who = await buildStaff(t.db.kysely, { reader: 'reader', contributor: 'contributor', contributor2: 'contributor', editor: 'editor', admin: 'admin' });
});

afterAll(async () => {
  await t?.close();
});

// --- making uploads ----------------------------------------------------------------

function upload(parts: Part[], headers: Record<string, string> = { cookie: who.editor.cookie }) {
  return postMultipart(t, '/api/admin/media', parts, headers);
}

const file = (value: Buffer | string, filename = 'photo.jpg', type = 'image/jpeg'): Part => ({ name: 'file', value: typeof value === 'string' ? Buffer.from(value) : value, filename, type });

/** A 2400×1600 JPEG turned by EXIF orientation 6, carrying a GPS position. */
async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#336699' } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' } } })
    .toBuffer();
}

/** Whether an EXIF block names a GPS directory (tag 0x8825, either byte order). */
function hasGpsIfd(exif: Buffer | undefined): boolean {
  return !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const b of buf) {
    let c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG whose header claims 50,000 × 50,000 pixels, with a tiny IDAT: a decompression bomb's calling card. */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(50_000, 0);
  ihdr.writeUInt32BE(50_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A GIF header followed by HTML: both a GIF and a page, to a browser that sniffs. */
const gifHtmlPolyglot = Buffer.concat([
  Buffer.from('GIF89a'), Buffer.from([0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
  Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>'),
]);

const svgWithScript = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>';

// --- looking at what was stored ------------------------------------------------------

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

/** Every file in the data folder except the database's own. */
const dataFiles = () => filesUnder(t.dataDir).filter((f) => !/test\.db/.test(path.basename(f))).sort();
const mediaRows = () => countRows(t.db.kysely, 'media');

// --- the tests ---------------------------------------------------------------------------

describe('uploading images', () => {
  it('re-encodes a JPEG with EXIF GPS into oriented, metadata-free variants inside the media folder, served as immutable images', async () => {
    const original = await jpegWithGps();
    const before = await sharp(original).metadata();
    expect(hasGpsIfd(before.exif)).toBe(true);

    const res = await upload([file(original, 'holiday.jpg'), { name: 'alt', value: 'A blue field' }, { name: 'caption', value: 'Blue, everywhere.' }, { name: 'credit', value: 'Staff' }]);
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json<{ media: MediaJson }>().media;
    expect(res.headers.location).toBe(`/api/admin/media/${m.id}`);
    // Orientation 6 is a quarter turn: shown 1600 wide, 2400 high.
    expect([m.width, m.height]).toEqual([1600, 2400]);
    expect(m).toMatchObject({ alt: 'A blue field', caption: 'Blue, everywhere.', credit: 'Staff', format: 'jpeg', uploadedBy: who.editor.id });
    expect(m.variants.map((v) => `${v.type} ${v.width}`).sort()).toEqual(
      ['320', '640', '960', '1280', '1600'].flatMap((w) => [`image/jpeg ${w}`, `image/webp ${w}`]).sort(),
    );
    expect(m.url).toMatch(/^\/media\/uploads\/[0-9a-f]{2}\/[0-9a-f]{24}-1280-[0-9a-f]{8}\.webp$/);
    expect(m.srcset.split(', ')).toHaveLength(5);
    expect(m.srcset).toContain(' 320w');
    expect(m.fallbackSrcset).toContain('.jpg 1600w');
    expect(m.sizes).toBeTruthy();

    const mediaDir = path.join(t.dataDir, 'media');
    for (const v of m.variants) {
      const onDisk = path.join(mediaDir, v.url.slice('/media/'.length));
      expect(path.relative(path.join(mediaDir, 'uploads'), onDisk).startsWith('..')).toBe(false);
      const meta = await sharp(fs.readFileSync(onDisk)).metadata();
      expect(meta.exif).toBeUndefined();
      expect(hasGpsIfd(meta.exif)).toBe(false);
      expect(meta.width).toBe(v.width);
      expect(meta.height).toBe(Math.round((v.width * 2400) / 1600));
      expect(meta.orientation ?? 1).toBe(1);

      const served = await t.get(v.url);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(v.type);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      const cache = served.headers.get('cache-control') ?? '';
      expect(cache).toContain('immutable');
      expect(Number(/max-age=(\d+)/.exec(cache)?.[1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
      expect(Buffer.from(await served.arrayBuffer()).equals(fs.readFileSync(onDisk))).toBe(true);
    }
  });

  it('takes a PNG (keeping PNG as the fallback) and a WebP (JPEG fallback), each by content whatever the name says', async () => {
    const png = await sharp({ create: { width: 700, height: 300, channels: 4, background: { r: 200, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    const res = await upload([file(png, 'logo.webp', 'image/webp')]);
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json<{ media: MediaJson }>().media;
    expect(m.format).toBe('png');
    expect(m.alt).toBe('');
    expect(m.variants.map((v) => `${v.type} ${v.width}`).sort()).toEqual(['image/png 320', 'image/png 640', 'image/png 700', 'image/webp 320', 'image/webp 640', 'image/webp 700'].sort());
    const served = await t.get(m.variants.find((v) => v.type === 'image/png')!.url);
    expect(served.headers.get('content-type')).toBe('image/png');

    const webp = await sharp({ create: { width: 500, height: 500, channels: 3, background: '#0a0' } }).webp().toBuffer();
    const res2 = await upload([file(webp, 'square.png', 'image/png')]);
    expect(res2.statusCode, res2.body).toBe(201);
    const m2 = res2.json<{ media: MediaJson }>().media;
    expect(m2.format).toBe('webp');
    expect(m2.variants.map((v) => `${v.type} ${v.width}`).sort()).toEqual(['image/jpeg 320', 'image/jpeg 500', 'image/webp 320', 'image/webp 500']);
  });

  it('takes an AVIF', async () => {
    const avif = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#123456' } }).avif().toBuffer();
    const res = await upload([file(avif, 'x.avif', 'image/avif')]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ media: MediaJson }>().media).toMatchObject({ format: 'avif', width: 400, height: 200 });
  });

  it('stores a file named ../../x.jpg inside the media folder under a generated name', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#999' } }).jpeg().toBuffer();
    const before = dataFiles();
    const res = await upload([file(jpeg, '../../x.jpg')]);
    expect(res.statusCode, res.body).toBe(201);
    const added = dataFiles().filter((f) => !before.includes(f));
    expect(added.length).toBe(2);
    for (const f of added) {
      expect(path.relative(path.join(t.dataDir, 'media', 'uploads'), f).startsWith('..')).toBe(false);
      expect(path.basename(f)).not.toContain('x.jpg');
    }
    expect(fs.existsSync(path.resolve(t.dataDir, '..', 'x.jpg'))).toBe(false);
    expect(fs.existsSync(path.resolve(t.dataDir, 'media', '..', '..', 'x.jpg'))).toBe(false);
  });

  it('lets a contributor upload, and an API token of a staff role', async () => {
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#abc' } }).png().toBuffer();
    const res = await upload([file(png)], { cookie: who.contributor.cookie });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ media: MediaJson }>().media.uploadedBy).toBe(who.contributor.id);

    const { secret } = await issueApiToken(t.db.kysely, { name: 'wire desk', role: 'contributor', createdBy: null }, SYSTEM, new Date());
    const res2 = await upload([file(png)], { authorization: `Bearer ${secret}` });
    expect(res2.statusCode, res2.body).toBe(201);
  });
});

describe('refused uploads: a clear error, and nothing stored', () => {
  const cases: Array<[string, () => Promise<Part[]> | Part[], number, string]> = [
    ['a text file named .jpg', () => [file('Just some text, honestly.\n', 'photo.jpg')], 415, 'unsupported_image_type'],
    ['a GIF/HTML polyglot', () => [file(gifHtmlPolyglot, 'funny.gif', 'image/gif')], 415, 'unsupported_image_type'],
    ['a GIF/HTML polyglot named .jpg', () => [file(gifHtmlPolyglot, 'funny.jpg')], 415, 'unsupported_image_type'],
    ['an SVG carrying script', () => [file(svgWithScript, 'logo.svg', 'image/svg+xml')], 415, 'unsupported_image_type'],
    ['a PNG whose header claims 50,000 × 50,000 pixels', () => [file(pngBomb(), 'bomb.png', 'image/png')], 422, 'image_too_large'],
    ['a PNG 13,000 pixels wide (a small area)', async () => [file(await sharp({ create: { width: 13_000, height: 2, channels: 3, background: '#000' } }).png().toBuffer(), 'wide.png')], 422, 'image_too_large'],
    ['a JPEG cut short', async () => [file((await jpegWithGps()).subarray(0, 400))], 422, 'invalid_image'],
    ['a file over 15 MB', () => [file(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(15 * 1024 * 1024 + 10)]))], 413, 'file_too_large'],
    ['an empty file', () => [file(Buffer.alloc(0))], 400, 'empty_file'],
    ['no file field', () => [{ name: 'alt', value: 'Nothing here' }], 400, 'file_required'],
    ['the image in another field', async () => [{ name: 'image', value: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer(), filename: 'a.png' }], 400, 'invalid_request'],
    ['an unknown text field', async () => [file(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer()), { name: 'path', value: '../../etc' }], 400, 'invalid_request'],
    ['alt text over 1000 characters', async () => [{ name: 'alt', value: 'a'.repeat(1001) }, file(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer())], 400, 'invalid_request'],
  ];

  for (const [what, parts, status, code] of cases) {
    it(`refuses ${what} (${status} ${code})`, async () => {
      const files = dataFiles();
      const rows = await mediaRows();
      const res = await upload(await parts());
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(10);
      expect(dataFiles()).toEqual(files);
      expect(await mediaRows()).toBe(rows);
    });
  }

  it('refuses a JSON body: uploads are multipart', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/media', headers: { cookie: who.editor.cookie, 'content-type': 'application/json' }, payload: '{"file":"x"}' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('multipart_required');
  });
});

describe('who may use the library', () => {
  it('refuses anonymous visitors (401) and readers (403) everywhere, before reading an upload', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    const rows = await mediaRows();
    const files = dataFiles();
    for (const [headers, status] of [[{}, 401], [{ cookie: who.reader.cookie }, 403]] as const) {
      const res = await upload([file(png)], headers);
      expect(res.statusCode).toBe(status);
      for (const [method, url] of [['GET', '/api/admin/media'], ['GET', '/api/admin/media/1'], ['PATCH', '/api/admin/media/1'], ['DELETE', '/api/admin/media/1']] as const) {
        const r = await t.app.inject({ method, url, headers: { ...headers, ...(method === 'PATCH' ? { 'content-type': 'application/json' } : {}) }, ...(method === 'PATCH' ? { payload: '{"alt":"x"}' } : {}) });
        expect(r.statusCode, `${method} ${url}`).toBe(status);
      }
    }
    expect(await mediaRows()).toBe(rows);
    expect(dataFiles()).toEqual(files);
  });

  it('lets contributors change only their own images, and only editors and admins delete', async () => {
    const png = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#0f0' } }).png().toBuffer();
    const mine = (await upload([file(png)], { cookie: who.contributor.cookie })).json<{ media: MediaJson }>().media;
    const patch = (id: number, cookie: string, body: unknown) => t.app.inject({ method: 'PATCH', url: `/api/admin/media/${id}`, headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

    expect((await patch(mine.id, who.contributor.cookie, { alt: '  A green square ' })).json().media.alt).toBe('A green square');
    expect((await patch(mine.id, who.contributor2.cookie, { alt: 'Mine now' })).statusCode).toBe(403);
    const byEditor = await patch(mine.id, who.editor.cookie, { caption: 'Green.', credit: null });
    expect(byEditor.statusCode).toBe(200);
    expect(byEditor.json().media).toMatchObject({ alt: 'A green square', caption: 'Green.', credit: null });
    expect((await patch(mine.id, who.editor.cookie, {})).statusCode).toBe(400);
    expect((await patch(mine.id, who.editor.cookie, { url: '/etc/passwd' })).statusCode).toBe(400);
    expect((await patch(999999, who.editor.cookie, { alt: 'x' })).statusCode).toBe(404);

    const del = (cookie: string) => t.app.inject({ method: 'DELETE', url: `/api/admin/media/${mine.id}`, headers: { cookie } });
    expect((await del(who.contributor.cookie)).statusCode).toBe(403);
    const files = mine.variants.map((v) => path.join(t.dataDir, 'media', v.url.slice('/media/'.length)));
    expect(files.every((f) => fs.existsSync(f))).toBe(true);
    expect((await del(who.admin.cookie)).statusCode).toBe(204);
    expect(files.some((f) => fs.existsSync(f))).toBe(false);
    expect((await t.get(mine.url)).status).toBe(404);
    expect((await del(who.admin.cookie)).statusCode).toBe(404);
  });

  it('keeps the files of an image uploaded twice until neither row needs them', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#f0f' } }).png().toBuffer();
    const a = (await upload([file(png)])).json<{ media: MediaJson }>().media;
    const b = (await upload([file(png)])).json<{ media: MediaJson }>().media;
    expect(a.id).not.toBe(b.id);
    expect(a.url).toBe(b.url);
    await t.app.inject({ method: 'DELETE', url: `/api/admin/media/${a.id}`, headers: { cookie: who.editor.cookie } });
    expect((await t.get(b.url)).status).toBe(200);
    await t.app.inject({ method: 'DELETE', url: `/api/admin/media/${b.id}`, headers: { cookie: who.editor.cookie } });
    expect((await t.get(b.url)).status).toBe(404);
  });
});

describe('the library', () => {
  it('lists newest first, pages, and finds by alt text or caption', async () => {
    const png = (c: string) => sharp({ create: { width: 16, height: 16, channels: 3, background: c } }).png().toBuffer();
    const ids: number[] = [];
    for (const [i, [alt, caption]] of [['Harbour cranes at dawn', null], ['A dam', 'Water 100% over the SPILLWAY'], ['Rice fields', 'Harvest']].entries()) {
      const parts: Part[] = [file(await png(`#0${i}${i}`)), { name: 'alt', value: alt! }];
      if (caption) parts.push({ name: 'caption', value: caption });
      ids.push((await upload(parts)).json<{ media: MediaJson }>().media.id);
    }
    const list = async (qs: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/admin/media${qs}`, headers: { cookie: who.contributor.cookie } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      return res.json<{ media: MediaJson[]; pagination: { page: number; limit: number; total: number; totalPages: number } }>();
    };
    const first = await list('?limit=2');
    expect(first.media.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    expect(first.pagination.totalPages).toBeGreaterThanOrEqual(2);
    const second = await list('?limit=2&page=2');
    expect(second.media[0]!.id).toBe(ids[0]);
    expect((await list('?q=harbour')).media.map((m) => m.id)).toEqual([ids[0]]);
    expect((await list('?q=spillway')).media.map((m) => m.id)).toEqual([ids[1]]);
    expect((await list('?q=100%25')).media.map((m) => m.id)).toEqual([ids[1]]);
    expect((await list('?q=%25%25%25')).media).toEqual([]);
    expect((await list('?q=nothing-like-this')).pagination.total).toBe(0);

    const one = await t.app.inject({ method: 'GET', url: `/api/admin/media/${ids[1]}`, headers: { cookie: who.contributor.cookie } });
    expect(one.json().media).toMatchObject({ id: ids[1], alt: 'A dam', caption: 'Water 100% over the SPILLWAY' });
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/media/abc', headers: { cookie: who.editor.cookie } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/media?limit=1000', headers: { cookie: who.editor.cookie } })).statusCode).toBe(400);
  });

  it('is described in the OpenAPI document under the media tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, unknown> }>> }>();
    const post = doc.paths['/api/admin/media']!.post!;
    expect(post.tags).toEqual(['media']);
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '401', '403', '413', '415', '422']);
    expect(doc.paths['/api/admin/media/{id}']!.delete!.responses['204']).toBeDefined();
  });
});
