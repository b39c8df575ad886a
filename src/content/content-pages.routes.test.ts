import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from '../../test/helpers/factories.js';
import { settingsStore } from './settings.store.js';
import { PAGE_SIZE } from './content-pages.routes.js';

const HOUR = 3600_000;
let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World', icon: 'globe', position: 0 });
      const africa = await buildSection(db, { slug: 'africa', name: 'Africa', parentId: world.id, icon: 'globe', description: 'Reporting from across the continent.' });
      const politics = await buildSection(db, { slug: 'politics', name: 'Politics', icon: 'landmark' });
      await buildSection(db, { slug: 'culture', name: 'Culture', icon: 'palette' });
      const amara = await buildAuthor(db, { slug: 'amara-diallo', name: 'Amara Diallo', bio: 'Amara covers water and farming.' });
      const drought = await buildTag(db, { slug: 'kesra-drought', name: 'Kesra Valley drought', specialCoverage: true, description: 'Our running coverage of the drought.' });
      const water = await buildTag(db, { slug: 'water', name: 'Water' });

      ids.agency = (await buildArticle(db, {
        sectionId: africa.id, headline: 'Rains return to the Kesra Valley', creditLine: 'Staff, Agencies',
        publishedAt: new Date(Date.now() - 25 * HOUR), tagIds: [drought.id, water.id],
        hero: { url: '/media/test/kesra.svg', alt: 'Terraced fields under rain', caption: 'The upper valley.', credit: 'Dispatch illustration' },
        markdown: '## What happened\n\nThe first rain in 14 months fell on **Tuesday**.\n\n> "We waited so long," said a farmer.\n\n- Wells refilled\n- Schools reopen\n\nSee [the report](https://example.org/report).',
      })).id;
      ids.authored = (await buildArticle(db, {
        sectionId: politics.id, headline: 'Parliament passes the water bill', authorIds: [amara.id],
        publishedAt: new Date(Date.now() - 3 * HOUR), updatedAt: new Date(Date.now() - HOUR), tagIds: [water.id],
      })).id;
      ids.draft = (await buildArticle(db, { sectionId: politics.id, headline: 'An unfinished draft', status: 'draft', publishedAt: null })).id;
      ids.future = (await buildArticle(db, { sectionId: politics.id, headline: 'Embargoed until tomorrow', publishedAt: new Date(Date.now() + 24 * HOUR) })).id;
      ids.xss = (await buildArticle(db, { sectionId: politics.id, headline: 'Tricky <script>alert(1)</script> headline', publishedAt: new Date(Date.now() - 5 * HOUR) })).id;
      for (let i = 0; i < PAGE_SIZE + 3; i++) {
        await buildArticle(db, { sectionId: africa.id, headline: `Africa brief ${i}`, publishedAt: new Date(Date.now() - (30 + i) * HOUR), tagIds: [drought.id] });
      }
      await settingsStore.setJson(db, 'breaking', { text: 'Dam spillway opened after record inflow', path: null, expiresAt: null });
    },
  });
});
afterAll(async () => t?.close());

async function page(path: string) {
  const res = await t.get(path);
  return { res, html: await res.text() };
}

describe('home', () => {
  it('shows the lead story, the latest, section blocks, breaking news and special coverage', async () => {
    const { res, html } = await page('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('Parliament passes the water bill'); // the newest story leads
    expect(html).toContain('Dam spillway opened after record inflow');
    expect(html).toContain('Kesra Valley drought');
    expect(html).toContain('href="/tag/kesra-drought"');
    expect(html).toContain('href="/politics"');
    expect(html).not.toContain('An unfinished draft');
    expect(html).not.toContain('Embargoed until tomorrow');
    expect(html).not.toMatch(/please wait/i);
  });

  it('is accessible in its structure: language, skip link, landmarks', async () => {
    const { html } = await page('/');
    expect(html).toMatch(/<html[^>]* lang="en"/);
    expect(html).toMatch(/<a[^>]+href="#main"[^>]*>Skip to content<\/a>/);
    expect(html).toMatch(/<main[^>]+id="main"/);
    expect(html).toMatch(/<nav[^>]+aria-label="Sections"/);
    expect(html).toContain('<footer');
    for (const img of html.match(/<img [^>]*>/g) ?? []) expect(img).toMatch(/ alt="/);
  });

  it('links the hashed client bundle and stylesheet from the manifest', async () => {
    const { html } = await page('/');
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const css = /<link[^>]+href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    expect(css).toBeTruthy();
    const js = await t.get(script!);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
  });
});

describe('article page', () => {
  it('shows everything a reader expects', async () => {
    const { res, html } = await page(`/africa/${ids.agency}-rains-return-to-the-kesra-valley`);
    expect(res.status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>Rains return to the Kesra Valley<\/h1>/);
    expect(html).toMatch(/<nav[^>]+aria-label="Breadcrumb"/);
    const crumbs = html.slice(html.indexOf('aria-label="Breadcrumb"'));
    expect(crumbs.indexOf('Home')).toBeLessThan(crumbs.indexOf('World'));
    expect(crumbs.indexOf('World')).toBeLessThan(crumbs.indexOf('Africa'));
    expect(html).toMatch(/class="section-label[^"]*"[^>]*href="\/africa"[\s\S]*?Africa/);
    expect(html).toMatch(/<time[^>]+datetime="\d{4}-\d\d-\d\dT[^"]+Z"[^>]*title="[^"]*\d{4}[^"]*"[^>]*>[^<]*one day ago/);
    expect(html).toMatch(/By (<[^>]+>)*Staff, Agencies/);
    expect(html).toContain('<h2>What happened</h2>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<li><p>Wells refilled</p></li>');
    expect(html).toContain('href="https://example.org/report"');
    expect(html).toMatch(/<img[^>]+src="\/media\/test\/kesra.svg"[^>]+alt="Terraced fields under rain"|<img[^>]+alt="Terraced fields under rain"[^>]+src="\/media\/test\/kesra.svg"/);
    expect(html).toContain('The upper valley.');
    expect(html).toContain('Dispatch illustration');
    expect(html).toMatch(/<form[^>]+method="post"[^>]+action="\/favorites\/\d+"|<form[^>]+action="\/favorites\/\d+"[^>]+method="post"/);
    expect(html).toContain('Add to favorites');
    expect(html).toContain('id="comments"');
    expect(html).toMatch(/Comments/);
    expect(html).toContain('href="/tag/water"');
    expect(html).toContain('Africa brief'); // related stories from the same tag
    expect(html).toContain('Special coverage');
  });

  it('links authors in the byline and shows "Updated" after an edit', async () => {
    const { html } = await page(`/politics/${ids.authored}-parliament-passes-the-water-bill`);
    expect(html).toMatch(/By (<[^>]+>)*<a[^>]+href="\/author\/amara-diallo"[^>]*>Amara Diallo<\/a>/);
    expect(html).toMatch(/Updated/);
    expect(html).toMatch(/3 hours ago/);
  });

  it('escapes a headline that holds markup', async () => {
    const { res, html } = await page(`/politics/${ids.xss}`);
    expect(res.status).toBe(301);
    const canonical = res.headers.get('location')!;
    const { html: body } = await page(canonical);
    expect(body).toMatch(/<h1[^>]*>Tricky &lt;script>alert\(1\)&lt;\/script> headline<\/h1>/);
    expect(body).not.toContain('<script>alert(1)</script>');
    void html;
  });

  it('answers an old slug or section with 301 to the canonical URL', async () => {
    for (const old of [`/africa/${ids.agency}-an-old-headline`, `/politics/${ids.agency}-rains-return-to-the-kesra-valley`, `/africa/${ids.agency}`]) {
      const res = await t.get(old);
      expect(res.status, old).toBe(301);
      expect(res.headers.get('location')).toBe(`/africa/${ids.agency}-rains-return-to-the-kesra-valley`);
    }
  });

  it('does not show drafts, stories scheduled for later or unknown ids', async () => {
    for (const path of [`/politics/${ids.draft}-an-unfinished-draft`, `/politics/${ids.future}-embargoed-until-tomorrow`, '/africa/999999-nothing', '/africa/not-an-id']) {
      const { res, html } = await page(path);
      expect(res.status, path).toBe(404);
      expect(html).toContain('Page not found');
      expect(html).toMatch(/<main/); // in the site's look
    }
  });
});

describe('section, tag and author pages', () => {
  it('lists a section newest first, with subsections included, paginated', async () => {
    const { res, html } = await page('/world');
    expect(res.status).toBe(200);
    expect(html).toContain('Rains return to the Kesra Valley');
    const africa = await page('/africa');
    expect(africa.html).toContain('Reporting from across the continent.');
    expect(africa.html.indexOf('Rains return to the Kesra Valley')).toBeLessThan(africa.html.indexOf('Africa brief 0'));
    expect(africa.html).toContain('href="/africa?page=2"');
    const second = await page('/africa?page=2');
    expect(second.res.status).toBe(200);
    expect(second.html).toContain(`Africa brief ${PAGE_SIZE + 2}`);
    expect(second.html).not.toContain('Rains return to the Kesra Valley');
  });

  it('shows an empty section politely', async () => {
    const { res, html } = await page('/culture');
    expect(res.status).toBe(200);
    expect(html).toMatch(/No stories/i);
  });

  it('shows a tag page and an author page', async () => {
    const tag = await page('/tag/kesra-drought');
    expect(tag.res.status).toBe(200);
    expect(tag.html).toContain('Kesra Valley drought');
    expect(tag.html).toContain('Our running coverage of the drought.');
    expect(tag.html).toContain('Rains return to the Kesra Valley');
    const author = await page('/author/amara-diallo');
    expect(author.res.status).toBe(200);
    expect(author.html).toContain('Amara covers water and farming.');
    expect(author.html).toContain('Parliament passes the water bill');
  });

  it('answers 400 with a friendly page for a bad page number, 404 past the last page', async () => {
    for (const path of ['/africa?page=abc', '/africa?page=0', '/tag/water?page=-1', '/author/amara-diallo?page=1.5']) {
      const { res, html } = await page(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(html).toMatch(/<main/);
      expect(html).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
    expect((await page('/africa?page=99')).res.status).toBe(404);
  });

  it('answers 404 for unknown sections, tags and authors', async () => {
    for (const path of ['/no-such-section', '/tag/no-such-tag', '/author/nobody', '/tag/Bad_Slug']) {
      const { res } = await page(path);
      expect([400, 404], path).toContain(res.status);
    }
    expect((await page('/no-such-section')).res.status).toBe(404);
    expect((await page('/tag/no-such-tag')).res.status).toBe(404);
  });
});

describe('HTTP caching', () => {
  it('sends ETag, a shared-cache Cache-Control and surrogate keys, and answers If-None-Match with 304', async () => {
    for (const path of ['/', '/africa', `/africa/${ids.agency}-rains-return-to-the-kesra-valley`, '/tag/water', '/author/amara-diallo', '/api/v1/articles', '/api/v1/sections']) {
      const res = await t.get(path);
      expect(res.status, path).toBe(200);
      const etag = res.headers.get('etag');
      expect(etag, path).toMatch(/^"[\w-]+"$/);
      expect(res.headers.get('cache-control'), path).toMatch(/public.*s-maxage=\d+/);
      expect(res.headers.get('surrogate-key'), path).toBeTruthy();
      expect(res.headers.get('xkey'), path).toBe(res.headers.get('surrogate-key')); // Varnish's vmod_xkey reads this one
      const again = await t.get(path, { 'if-none-match': etag! });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('compresses large pages for clients that accept it', async () => {
    const br = await t.get('/', { 'accept-encoding': 'br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toMatch(/^<!doctype html>/i);
    const gzip = await t.get('/', { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(await gzip.text()).toMatch(/^<!doctype html>/i);
    const plain = await t.get('/', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
  });

  it('keeps tracking parameters out of the cache key', async () => {
    const a = await t.get('/africa?utm_source=newsletter');
    const b = await t.get('/africa');
    expect(a.status).toBe(200);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await t.get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
