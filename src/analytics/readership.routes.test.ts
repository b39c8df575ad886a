/**
 * Most read, as readers, editors and an operator see it: the article page's
 * beacon counts each reader once per story per day (a salted hash of address
 * and user agent, no cookie), bots are ignored, no address is stored; the
 * "Most read" list shows on the home page and on article pages, most first;
 * the newsroom's story list shows the same figures. The pages stay the same
 * for every reader and publicly cacheable, with the reader's header filled in
 * by the page's script; the share links are there and encoded. And the same
 * counting in Redis, when there is one.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { buildArticle, buildSection } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';

const HOUR = 3600_000;
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

type Key = 'rains' | 'harbour' | 'bank' | 'court' | 'quotes' | 'draft' | 'match';
const ids = {} as Record<Key, number>;
const paths = {} as Record<Key, string>;
const headlines: Record<Key, string> = {
  rains: 'Rains return to the Kesra Valley',
  harbour: 'Harbour reopens after the storm',
  bank: 'Central bank holds rates',
  court: 'Court hears the land case',
  quotes: 'Tom & Jerry say "yes" to 100% more #news?',
  draft: 'An unfinished draft',
  match: 'Cup final goes to extra time',
};

async function seedStories(db: TestDb['db']['kysely']): Promise<void> {
  const africa = await buildSection(db, { slug: 'africa', name: 'Africa' });
  for (const [i, key] of (['rains', 'harbour', 'bank', 'court', 'quotes', 'draft'] as const).entries()) {
    const a = await buildArticle(db, {
      sectionId: africa.id, headline: headlines[key], publishedAt: key === 'draft' ? null : new Date(Date.now() - (i + 2) * HOUR),
      ...(key === 'draft' ? { status: 'draft' as const } : {}),
    });
    ids[key] = a.id;
    paths[key] = `/africa/${a.id}-${a.slug}`;
  }
  // In another section, with no tag in common: a purge of Africa's stories does not touch its page.
  const sport = await buildSection(db, { slug: 'sport', name: 'Sport' });
  const match = await buildArticle(db, { sectionId: sport.id, headline: headlines.match, publishedAt: new Date(Date.now() - 9 * HOUR) });
  ids.match = match.id;
  paths.match = `/sport/${match.id}-${match.slug}`;
}

interface Reader {
  ip: string;
  ua?: string;
  cookie?: string;
}

async function beacon(app: App, id: number, { ip, ua = CHROME, cookie }: Reader) {
  const res = await app.inject({
    method: 'POST', url: `/api/v1/articles/${id}/read`, remoteAddress: ip,
    headers: { 'user-agent': ua, origin: app.deps.config.siteUrl, 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}) },
  });
  return res;
}

const readsOf = async (app: App, key: Key) => (await app.deps.readership.readsFor([ids[key]])).get(ids[key]) ?? 0;

/** The "Most read" list of a page, as its headlines in order. */
function mostReadOf(html: string): string[] {
  const start = html.indexOf('<section class="most-read"');
  if (start < 0) return [];
  const section = html.slice(start, html.indexOf('</section>', start));
  return [...section.matchAll(/<a class="most-read__link" href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
}

function headerOf(html: string): string {
  return html.slice(html.indexOf('<header class="site-header"'), html.indexOf('</header>', html.indexOf('<header class="site-header"')));
}

describe('most read in the database', () => {
  let t: TestApp;
  let clock = Date.now();
  let staff: Record<'editor' | 'reader', SignedIn>;

  beforeAll(async () => {
    t = await startTestApp({ now: () => new Date(clock), seed: async ({ db }) => seedStories(db.kysely) });
    staff = await buildStaff(t.db.kysely, { editor: 'editor', reader: 'reader' }, { displayName: (k) => (k === 'editor' ? 'Night Desk' : 'June Reader') });
  });
  afterAll(async () => t?.close());

  it('counts a reader once per story per day: the same address and browser twice is one, a changed cookie is still one, another browser is two', async () => {
    const app = t.app;
    expect((await beacon(app, ids.rains, { ip: '203.0.113.7' })).statusCode).toBe(204);
    expect((await beacon(app, ids.rains, { ip: '203.0.113.7' })).statusCode).toBe(204);
    expect(await readsOf(app, 'rains')).toBe(1);
    await beacon(app, ids.rains, { ip: '203.0.113.7', cookie: 'dispatch_session=somebody-else' });
    await beacon(app, ids.rains, { ip: '203.0.113.7', cookie: 'tracking=cleared-and-new' });
    expect(await readsOf(app, 'rains')).toBe(1);
    await beacon(app, ids.rains, { ip: '203.0.113.7', ua: FIREFOX });
    expect(await readsOf(app, 'rains')).toBe(2);
    await beacon(app, ids.rains, { ip: '198.51.100.20' });
    expect(await readsOf(app, 'rains')).toBe(3);
    // The same reader on another story counts there.
    await beacon(app, ids.harbour, { ip: '203.0.113.7' });
    expect(await readsOf(app, 'harbour')).toBe(1);
  });

  it('answers the beacon with an empty 204 that is never cached and sets no cookie', async () => {
    const res = await beacon(t.app, ids.bank, { ip: '192.0.2.1' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('ignores bots, and refuses stories readers cannot see, counting nothing', async () => {
    const before = await readsOf(t.app, 'court');
    for (const ua of [GOOGLEBOT, 'curl/8.5.0', '']) expect((await beacon(t.app, ids.court, { ip: '192.0.2.50', ua })).statusCode).toBe(204);
    expect(await readsOf(t.app, 'court')).toBe(before);
    const draft = await beacon(t.app, ids.draft, { ip: '192.0.2.51' });
    expect(draft.statusCode).toBe(404);
    expect(JSON.parse(draft.body)).toMatchObject({ error: { code: 'not_found' } });
    expect((await beacon(t.app, 987_654, { ip: '192.0.2.51' })).statusCode).toBe(404);
    expect(await t.db.kysely.selectFrom('story_reads_hourly').select('article_id').where('article_id', 'in', [ids.draft, 987_654]).execute()).toEqual([]);
  });

  it('keeps no address: only salted hashes of today, under one salt shared by every process', async () => {
    const seen = await t.db.kysely.selectFrom('story_read_seen').selectAll().execute();
    expect(seen.length).toBeGreaterThan(0);
    const stored = JSON.stringify(seen) + JSON.stringify(await t.db.kysely.selectFrom('story_reads_hourly').selectAll().execute());
    for (const ip of ['203.0.113.7', '198.51.100.20', '192.0.2.1']) expect(stored).not.toContain(ip);
    expect(stored).not.toContain('Chrome');
    const salts = await t.db.kysely.selectFrom('read_salts').selectAll().execute();
    expect(salts.map((s) => s.day)).toEqual([new Date(clock).toISOString().slice(0, 10)]);
    // A second app process on the same database counts the same reader as already seen.
    const second = await buildApp({ config: t.app.deps.config, db: t.db, logger: false, now: () => new Date(clock) });
    try {
      await beacon(second, ids.rains, { ip: '203.0.113.7' });
      expect(await readsOf(t.app, 'rains')).toBe(3);
    } finally {
      await second.close();
    }
  });

  it('lists the most read stories on the home page and on article pages, most first', async () => {
    // court 4 readers, bank 3 (one already), quotes 2; rains 3, harbour 1 from above.
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']) await beacon(t.app, ids.court, { ip });
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await beacon(t.app, ids.bank, { ip });
    for (const ip of ['10.0.0.1', '10.0.0.2']) await beacon(t.app, ids.quotes, { ip, ua: SAFARI });
    t.app.deps.cache.clear();
    const home = await t.page('/');
    expect(home.status).toBe(200);
    // court 5, bank 4, rains 3, quotes 2, harbour 1; equal counts would go by id.
    expect(mostReadOf(home.html)).toEqual([headlines.court, headlines.bank, headlines.rains, headlines.quotes, headlines.harbour]);
    const article = await t.page(paths.bank);
    expect(article.status).toBe(200);
    // An article page lists the others.
    expect(mostReadOf(article.html)).toEqual([headlines.court, headlines.rains, headlines.quotes, headlines.harbour]);
    expect(home.html).not.toContain(headlines.draft);
  });

  it('keeps the pages the same for every reader and publicly cacheable, the header filled in by the script', async () => {
    t.app.deps.cache.clear();
    for (const path of ['/', paths.rains]) {
      const anonymous = await t.page(path);
      const signedIn = await t.page(path, staff.reader);
      expect(anonymous.headers.get('cache-control')).toMatch(/^public, /);
      expect(signedIn.headers.get('cache-control')).toMatch(/^public, /);
      expect(anonymous.headers.get('set-cookie')).toBeNull();
      expect(signedIn.html).toBe(anonymous.html);
      expect(signedIn.html).not.toContain('June Reader');
      const header = headerOf(anonymous.html);
      expect(header).toContain(`<a class="site-account__signin" href="/signin?next=${encodeURIComponent(path)}" data-account-signin>Sign in</a>`);
      // The same for everyone: no name, no menu; the page's script puts the reader's menu in its place.
      expect(header).toContain('<div class="site-account" data-account><a class="site-account__signin"');
      expect(header).not.toContain('/signout');
    }
    // The page does not count: only the beacon does.
    const before = await readsOf(t.app, 'rains');
    t.app.deps.cache.clear();
    await t.page(paths.rains);
    expect(await readsOf(t.app, 'rains')).toBe(before);
  });

  it('signs out with the header\'s form (a same-site POST) and refuses it from another site', async () => {
    const reader = await buildStaff(t.db.kysely, { r: 'reader' });
    const cross = await t.request('POST', '/signout', { as: reader.r, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(cross.status).toBe(403);
    expect((await t.api<{ user: unknown }>('GET', '/api/v1/me', { as: reader.r })).body!.user).not.toBeNull();
    const same = await t.request('POST', '/signout', { as: reader.r, headers: { origin: t.url, 'sec-fetch-site': 'same-origin' } });
    expect(same.status).toBe(303);
    expect((await t.api<{ user: unknown }>('GET', '/api/v1/me', { as: reader.r })).body!.user).toBeNull();
  });

  it('puts plain, correctly encoded share links on the article page', async () => {
    const { html } = await t.page(paths.quotes);
    const url = `${t.url}${paths.quotes}`;
    const u = encodeURIComponent(url);
    const title = encodeURIComponent(headlines.quotes);
    const hrefs = [...html.matchAll(/data-share-network="([a-z]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['x', 'facebook', 'linkedin', 'whatsapp', 'telegram', 'email']);
    const href = (network: string) => {
      const m = new RegExp(`href="([^"]*)" data-share-network="${network}"`).exec(html);
      return m![1]!.replace(/&amp;/g, '&');
    };
    expect(href('x')).toBe(`https://twitter.com/intent/tweet?url=${u}&text=${title}`);
    expect(href('facebook')).toBe(`https://www.facebook.com/sharer/sharer.php?u=${u}`);
    expect(href('linkedin')).toBe(`https://www.linkedin.com/sharing/share-offsite/?url=${u}`);
    expect(href('whatsapp')).toBe(`https://wa.me/?text=${encodeURIComponent(`${headlines.quotes} ${url}`)}`);
    expect(href('telegram')).toBe(`https://t.me/share/url?url=${u}&text=${title}`);
    expect(href('email')).toBe(`mailto:?subject=${title}&body=${u}`);
    // Decoded by the network, the link is the story's address and its headline, whole.
    expect(new URL(href('x')).searchParams.get('text')).toBe(headlines.quotes);
    expect(new URL(href('x')).searchParams.get('url')).toBe(url);
    // No third-party script on the page.
    expect([...html.matchAll(/<script[^>]*src="([^"]+)"/g)].every((m) => m[1]!.startsWith('/'))).toBe(true);
  });

  it('shows the same figures in the newsroom\'s story list, in a "Reads (24 h)" column', async () => {
    const res = await t.page('/newsroom', staff.editor);
    expect(res.status).toBe(200);
    expect(res.html).toContain('<th scope="col">Reads (24 h)</th>');
    const cell = (key: Key) => {
      const row = new RegExp(`<tr data-story-id="${ids[key]}"[^>]*>([\\s\\S]*?)</tr>`).exec(res.html)![1]!;
      return /<td class="nr-stories__reads">(.*?)<\/td>/.exec(row)![1]!;
    };
    expect(cell('court')).toBe('5');
    expect(cell('bank')).toBe('4');
    expect(cell('rains')).toBe('3');
    expect(cell('harbour')).toBe('1');
    expect(cell('draft')).toContain('–');
  });

  it('drops a story taken down from every "Most read" list at once', async () => {
    t.app.deps.cache.clear();
    expect(mostReadOf((await t.page(paths.match)).html)).toContain(headlines.court);
    // Cached now: a second request is served from the page cache.
    expect(mostReadOf((await t.page(paths.match)).html)).toContain(headlines.court);
    const off = await t.api('POST', `/api/admin/articles/${ids.court}/unpublish`, { as: staff.editor, headers: { origin: t.url } });
    expect(off.status).toBe(200);
    expect(mostReadOf((await t.page(paths.match)).html)).not.toContain(headlines.court);
    expect(mostReadOf((await t.page('/')).html)[0]).toBe(headlines.bank);
  });

  it('counts the same reader again the next day, under a new salt, and forgets the day before', async () => {
    const yesterday = new Date(clock).toISOString().slice(0, 10);
    clock += 24 * HOUR;
    const before = (await t.db.kysely.selectFrom('story_reads_hourly').select('reads').where('article_id', '=', ids.harbour).execute()).reduce((n, r) => n + r.reads, 0);
    await beacon(t.app, ids.harbour, { ip: '203.0.113.7' });
    const after = (await t.db.kysely.selectFrom('story_reads_hourly').select('reads').where('article_id', '=', ids.harbour).execute()).reduce((n, r) => n + r.reads, 0);
    expect(after).toBe(before + 1);
    // Only today's hashed readers are kept, and yesterday's salt is gone.
    const seen = await t.db.kysely.selectFrom('story_read_seen').select('day').distinct().execute();
    expect(seen.map((s) => s.day)).toEqual([new Date(clock).toISOString().slice(0, 10)]);
    const salts = await t.db.kysely.selectFrom('read_salts').select('day').execute();
    expect(salts.map((s) => s.day)).not.toContain(yesterday);
  });
});

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)('most read in Redis (REDIS_URL)', () => {
  let t: TestDb;
  let apps: App[];
  const prefix = `test-most-read-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    t = await createTestDb();
    await seedStories(t.db.kysely);
    const config = loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent', REDIS_URL, REDIS_PREFIX: prefix });
    // Two app processes sharing one Redis.
    apps = [await buildApp({ config, db: t.db, logger: false }), await buildApp({ config, db: t.db, logger: false })];
  });
  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
    const redis = new Redis(REDIS_URL!);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await t?.destroy();
  });

  it('counts a reader once per story per day across processes, ignores bots, and stores nothing in the database', async () => {
    const [a, b] = apps as [App, App];
    await beacon(a, ids.rains, { ip: '203.0.113.7' });
    await beacon(b, ids.rains, { ip: '203.0.113.7', cookie: 'changed=1' });
    expect(await readsOf(a, 'rains')).toBe(1);
    await beacon(b, ids.rains, { ip: '203.0.113.7', ua: FIREFOX });
    await beacon(a, ids.rains, { ip: '203.0.113.7', ua: GOOGLEBOT });
    expect(await readsOf(b, 'rains')).toBe(2);
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await beacon(a, ids.bank, { ip });
    expect((await a.deps.readership.mostRead(5)).map((m) => m.article.headline)).toEqual([headlines.bank, headlines.rains]);
    a.deps.cache.clear();
    const home = await a.inject({ method: 'GET', url: '/' });
    expect(mostReadOf(home.body)).toEqual([headlines.bank, headlines.rains]);
    expect(await t.db.kysely.selectFrom('story_read_seen').selectAll().execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom('read_salts').selectAll().execute()).toEqual([]);
  });
});
