/**
 * Feeds and sitemaps, read back with an independent parser (fast-xml-parser;
 * JSON Feed through JSON.parse) the way a feed reader or a crawler would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import RssParser from 'rss-parser';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from '../../test/helpers/factories.js';
import { clearSetting, writeSetting } from '../content/settings.service.js';
import { createSitemapService } from '../content/sitemap.service.js';

const HOUR = 3600_000;
let t: TestApp;
const ids = {} as Record<'rains' | 'wire' | 'old' | 'draft' | 'future', number>;
const HERO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675"><rect width="1200" height="675" fill="#3a6"/></svg>';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Elements that may repeat are always arrays, so one item reads like many.
  isArray: (_name, jpath) =>
    [
      'rss.channel.item', 'rss.channel.item.category', 'rss.channel.item.author', 'rss.channel.atom:link',
      'feed.link', 'feed.entry', 'feed.entry.link', 'feed.entry.category', 'feed.entry.author', 'urlset.url', 'sitemapindex.sitemap',
    ].includes(String(jpath)),
});

// The documents as the parser reads them back: attributes are '@name', an element
// with attributes keeps its text in '#text', and repeatable elements are arrays.
type Attrs = Record<`@${string}`, string>;
type TextWithAttrs = Attrs & { '#text': string };

interface RssItem {
  title: string;
  link: string;
  guid: TextWithAttrs;
  pubDate: string;
  description: string;
  author: string[];
  category: TextWithAttrs[];
  enclosure: Attrs;
  'content:encoded'?: string;
}
interface Rss {
  rss: Attrs & { channel: { title: string; link: string; 'atom:link': Attrs[]; item: RssItem[] } };
}

interface AtomEntry {
  id: string;
  title: TextWithAttrs;
  link: Attrs[];
  updated: string;
  published: string;
  author: Array<{ name: string; uri?: string }>;
  category: Attrs[];
  content: TextWithAttrs;
}
interface Atom {
  feed: Attrs & { title: string; subtitle: string; link: Attrs[]; entry: AtomEntry[] };
}

interface SitemapIndex {
  sitemapindex: { sitemap: Array<{ loc: string; lastmod: string }> };
}
interface UrlSet {
  urlset: Attrs & {
    url?: Array<{
      loc: string;
      lastmod?: string;
      'image:image'?: { 'image:loc': string };
      'news:news'?: { 'news:title': string; 'news:publication': Record<string, string>; 'news:publication_date': string };
    }>;
  };
}

/** https://jsonfeed.org/version/1.1, the parts the tests read. */
interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  items: Array<{
    id: string;
    url: string;
    title: string;
    summary?: string;
    image?: string;
    authors: Array<{ name: string; url?: string }>;
    tags?: string[];
    language?: string;
    content_html?: string;
    content_text?: string;
    date_published: string;
    date_modified?: string;
  }>;
}

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db }, dataDir }) => {
      fs.mkdirSync(path.join(dataDir, 'media', 'test'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'media', 'test', 'kesra.svg'), HERO_SVG);
      const world = await buildSection(db, { slug: 'world', name: 'World' });
      const africa = await buildSection(db, { slug: 'africa', name: 'Africa', parentId: world.id, description: 'Reporting from across the continent.' });
      const politics = await buildSection(db, { slug: 'politics', name: 'Politics' });
      await buildSection(db, { slug: 'culture', name: 'Culture' });
      const amara = await buildAuthor(db, { slug: 'amara-diallo', name: 'Amara Diallo' });
      const lin = await buildAuthor(db, { slug: 'lin-wei', name: 'Lin Wei' });
      const water = await buildTag(db, { slug: 'water', name: 'Water & rivers', description: 'Rivers & reservoirs.' });
      const drought = await buildTag(db, { slug: 'kesra-drought', name: 'Kesra drought' });

      ids.rains = (await buildArticle(db, {
        sectionId: africa.id, headline: 'Rains return to the Kesra Valley', standfirst: 'The first rain in 14 months <finally> fell & stayed.',
        markdown: 'Farmers [celebrated](/africa) in the fields.\n\n![A dam](/media/test/kesra.svg)',
        authorIds: [amara.id, lin.id], tagIds: [water.id, drought.id], publishedAt: new Date(Date.now() - 2 * HOUR), updatedAt: new Date(Date.now() - HOUR),
        hero: { url: '/media/test/kesra.svg', alt: 'Terraced fields under rain', caption: 'The upper valley.', credit: 'Dispatch' },
      })).id;
      ids.wire = (await buildArticle(db, {
        sectionId: politics.id, headline: 'Parliament passes the water bill', creditLine: 'Staff, Agencies', tagIds: [water.id],
        publishedAt: new Date(Date.now() - 5 * HOUR), hero: { url: 'https://images.example.org/photos/bill.jpg', alt: 'The chamber' },
      })).id;
      ids.old = (await buildArticle(db, { sectionId: politics.id, headline: 'Budget debate begins', authorIds: [lin.id], publishedAt: new Date(Date.now() - 72 * HOUR) })).id;
      ids.draft = (await buildArticle(db, { sectionId: africa.id, headline: 'An unfinished draft', status: 'draft', publishedAt: null, tagIds: [water.id] })).id;
      ids.future = (await buildArticle(db, { sectionId: africa.id, headline: 'Embargoed story', publishedAt: new Date(Date.now() + 24 * HOUR) })).id;
    },
  });
});
afterAll(async () => t?.close());

async function fetchText(p: string, headers: Record<string, string> = {}) {
  const res = await t.get(p, headers);
  return { res, body: await res.text() };
}

/** Fetches a feed or sitemap, checks it is well-formed XML, and parses it as the document T the test expects. */
async function xml<T>(p: string) {
  const { res, body } = await fetchText(p);
  expect(res.status, p).toBe(200);
  expect(XMLValidator.validate(body), p).toBe(true);
  return { res, doc: parser.parse(body) as T, body };
}

const FEEDS = ['/feed.xml', '/atom.xml', '/feed.json'];
const SCOPES = ['', '/africa', '/world', '/politics', '/tag/water', '/tag/kesra-drought', '/author/amara-diallo', '/author/lin-wei'];

describe('RSS 2.0', () => {
  it('lists the newest published stories with full content, authors, categories, an enclosure and a stable guid', async () => {
    const { res, doc } = await xml<Rss>('/feed.xml');
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const channel = doc.rss.channel;
    expect(doc.rss['@version']).toBe('2.0');
    expect(channel.title).toBe('Dispatch');
    expect(channel.link).toBe(`${t.url}/`);
    expect(channel['atom:link']).toMatchObject([{ '@href': `${t.url}/feed.xml`, '@rel': 'self' }]);
    const items = channel.item;
    expect(items.map((i) => i.title)).toEqual(['Rains return to the Kesra Valley', 'Parliament passes the water bill', 'Budget debate begins']);

    const [rains, wire] = items as [RssItem, RssItem, ...RssItem[]];
    expect(rains.link).toBe(`${t.url}/africa/${ids.rains}-rains-return-to-the-kesra-valley`);
    expect(rains.guid).toEqual({ '#text': `tag:127.0.0.1,2026:article:${ids.rains}`, '@isPermaLink': 'false' });
    expect(new Date(rains.pubDate).getTime()).toBeGreaterThan(Date.now() - 3 * HOUR);
    expect(rains.description).toBe('The first rain in 14 months &lt;finally&gt; fell &amp; stayed.');
    expect(rains.author).toEqual(['noreply@127.0.0.1 (Amara Diallo)', 'noreply@127.0.0.1 (Lin Wei)']);
    expect(rains.category.map((c) => c['#text'])).toEqual(['Africa', 'Water & rivers', 'Kesra drought']);
    expect(rains.category[1]?.['@domain']).toBe(`${t.url}/tag/water`);
    expect(rains.enclosure).toEqual({ '@url': `${t.url}/media/test/kesra.svg`, '@type': 'image/svg+xml', '@length': String(HERO_SVG.length) });
    // Full text, with site links made absolute for the reader's app.
    const content = rains['content:encoded'];
    expect(content).toContain('Farmers <a href="' + t.url + '/africa">celebrated</a>');
    expect(content).toContain(`src="${t.url}/media/test/kesra.svg"`);
    expect(content).not.toMatch(/(href|src)="\/(?!\/)/);

    expect(wire.author).toEqual(['noreply@127.0.0.1 (Staff, Agencies)']);
    expect(wire.enclosure).toMatchObject({ '@url': 'https://images.example.org/photos/bill.jpg', '@type': 'image/jpeg', '@length': '0' });
  });

  it('links every item to a page that answers 200', async () => {
    const { doc } = await xml<Rss>('/feed.xml');
    for (const item of doc.rss.channel.item) {
      expect((await t.get(new URL(item.link).pathname)).status, item.link).toBe(200);
    }
  });
});

describe('Atom', () => {
  it('has entries with ids, links, dates, authors, categories and the enclosure', async () => {
    const { res, doc } = await xml<Atom>('/africa/atom.xml');
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = doc.feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.title).toBe('Africa | Dispatch');
    expect(feed.subtitle).toBe('Reporting from across the continent.');
    expect(feed.link).toEqual(expect.arrayContaining([{ '@rel': 'self', '@href': `${t.url}/africa/atom.xml` }, { '@rel': 'alternate', '@href': `${t.url}/africa` }]));
    expect(feed.entry).toHaveLength(1);
    const entry = feed.entry[0]!;
    expect(entry.id).toBe(`tag:127.0.0.1,2026:article:${ids.rains}`);
    expect(entry.title['#text']).toBe('Rains return to the Kesra Valley');
    expect(entry.link[0]?.['@href']).toBe(`${t.url}/africa/${ids.rains}-rains-return-to-the-kesra-valley`);
    expect(entry.link[1]).toMatchObject({ '@rel': 'enclosure', '@type': 'image/svg+xml', '@length': String(HERO_SVG.length) });
    expect(Date.parse(entry.updated)).toBeGreaterThan(Date.parse(entry.published));
    expect(entry.author.map((a) => a.name)).toEqual(['Amara Diallo', 'Lin Wei']);
    expect(entry.author[0]?.uri).toBe(`${t.url}/author/amara-diallo`);
    expect(entry.category.map((c) => c['@term'])).toEqual(['africa', 'water', 'kesra-drought']);
    expect(entry.content['@type']).toBe('html');
    expect(entry.content['#text']).toContain('Farmers');
  });
});

describe('JSON Feed', () => {
  it('is JSON Feed 1.1 with items a reader can show', async () => {
    const res = await t.get('/tag/water/feed.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = (await res.json()) as JsonFeed;
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('Water & rivers | Dispatch');
    expect(feed.home_page_url).toBe(`${t.url}/tag/water`);
    expect(feed.feed_url).toBe(`${t.url}/tag/water/feed.json`);
    expect(feed.items.map((i) => i.id)).toEqual([`tag:127.0.0.1,2026:article:${ids.rains}`, `tag:127.0.0.1,2026:article:${ids.wire}`]);
    const [rains, wire] = feed.items as [JsonFeed['items'][number], JsonFeed['items'][number]];
    expect(rains).toMatchObject({
      url: `${t.url}/africa/${ids.rains}-rains-return-to-the-kesra-valley`,
      title: 'Rains return to the Kesra Valley',
      summary: 'The first rain in 14 months <finally> fell & stayed.',
      image: `${t.url}/media/test/kesra.svg`,
      authors: [{ name: 'Amara Diallo', url: `${t.url}/author/amara-diallo` }, { name: 'Lin Wei', url: `${t.url}/author/lin-wei` }],
      tags: ['Africa', 'Water & rivers', 'Kesra drought'],
      language: 'en',
    });
    expect(rains.content_html).toContain('Farmers');
    expect(Date.parse(rains.date_published)).toBeLessThan(Date.parse(rains.date_modified!));
    expect(wire.authors).toEqual([{ name: 'Staff, Agencies' }]);
  });
});

describe('images and links', () => {
  it('gives every image enclosure its real media type and size, in RSS and in Atom', async () => {
    const rss = (await xml<Rss>('/feed.xml')).doc.rss.channel.item;
    const [rains, wire] = rss as [RssItem, RssItem];
    expect(rains.enclosure).toEqual({ '@url': `${t.url}/media/test/kesra.svg`, '@type': 'image/svg+xml', '@length': String(HERO_SVG.length) });
    expect(wire.enclosure).toEqual({ '@url': 'https://images.example.org/photos/bill.jpg', '@type': 'image/jpeg', '@length': '0' });

    const atom = (await xml<Atom>('/atom.xml')).doc.feed.entry as [AtomEntry, AtomEntry, AtomEntry];
    const enclosureOf = (entry: AtomEntry) => entry.link.find((l) => l['@rel'] === 'enclosure');
    expect(enclosureOf(atom[0])).toEqual({
      '@rel': 'enclosure', '@href': `${t.url}/media/test/kesra.svg`, '@title': 'Terraced fields under rain', '@type': 'image/svg+xml', '@length': String(HERO_SVG.length),
    });
    // A picture on another site: its type from its name, and no length, which nobody here knows.
    expect(enclosureOf(atom[1])).toEqual({ '@rel': 'enclosure', '@href': 'https://images.example.org/photos/bill.jpg', '@title': 'The chamber', '@type': 'image/jpeg' });
    expect(atom[2].link.filter((l) => l['@rel'] === 'enclosure')).toEqual([]);
  });

  it('links and shows the body with absolute URLs in RSS, Atom and JSON Feed alike', async () => {
    const contents = {
      rss: (await xml<Rss>('/feed.xml')).doc.rss.channel.item[0]!['content:encoded'] as string,
      atom: (await xml<Atom>('/atom.xml')).doc.feed.entry[0]!.content['#text'],
      json: ((await (await t.get('/feed.json')).json()) as JsonFeed).items[0]!.content_html as string,
    };
    for (const [format, html] of Object.entries(contents)) {
      expect(html, format).toContain(`Farmers <a href="${t.url}/africa">celebrated</a> in the fields.`);
      expect(html, format).toContain(`<img src="${t.url}/media/test/kesra.svg" alt="A dam"`);
      expect(html, format).toContain(`<figure><img src="${t.url}/media/test/kesra.svg" alt="Terraced fields under rain"`);
      expect(html, format).not.toMatch(/(href|src)="\/(?!\/)/);
      expect(html, format).toBe(contents.rss);
    }
    // The story's own page still links within the site.
    const page = (await fetchText(`/africa/${ids.rains}-rains-return-to-the-kesra-valley`)).body;
    expect(page).toContain('Farmers <a href="/africa">celebrated</a>');
  });
});

describe('every feed', () => {
  it('parses, for the site, each section, tag and author, and leaves out drafts and embargoed stories', async () => {
    for (const scope of SCOPES) {
      for (const feed of FEEDS) {
        const p = scope + feed;
        const { res, body } = await fetchText(p);
        expect(res.status, p).toBe(200);
        expect(res.headers.get('etag'), p).toBeTruthy();
        expect(res.headers.get('surrogate-key'), p).toContain('feeds');
        const titles: string[] = feed.endsWith('.json')
          ? (JSON.parse(body) as JsonFeed).items.map((i) => i.title)
          : (() => {
              expect(XMLValidator.validate(body), p).toBe(true);
              // An empty feed has no item (or entry) element at all.
              const doc = parser.parse(body) as Partial<Rss & Atom>;
              const items: Array<RssItem | AtomEntry> = doc.rss?.channel.item ?? doc.feed?.entry ?? [];
              return items.map((i) => (typeof i.title === 'string' ? i.title : i.title['#text']));
            })();
        expect(titles, p).not.toContain('An unfinished draft');
        expect(titles, p).not.toContain('Embargoed story');
        if (scope === '/world') expect(titles, p).toEqual(['Rains return to the Kesra Valley']); // a parent includes its subsections
        if (scope === '/author/lin-wei') expect(titles, p).toEqual(['Rains return to the Kesra Valley', 'Budget debate begins']);
      }
    }
  });

  it('answers 404 for a section, tag or author that does not exist', async () => {
    for (const p of ['/nowhere/feed.xml', '/tag/nothing/atom.xml', '/author/nobody/feed.json']) {
      expect((await t.get(p)).status, p).toBe(404);
    }
  });

  it('is linked from the head of every page: the site feed and the page\'s own', async () => {
    const pages: Array<[string, string | null]> = [
      ['/', null], ['/africa', '/africa'], ['/tag/water', '/tag/water'], ['/author/amara-diallo', '/author/amara-diallo'],
      [`/africa/${ids.rains}-rains-return-to-the-kesra-valley`, '/africa'],
    ];
    for (const [page, own] of pages) {
      const html = (await fetchText(page)).body;
      const head = html.slice(0, html.indexOf('</head>'));
      const links = [...head.matchAll(/<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)"\/>/g)].map((m) => ({ type: m[1], href: m[3] }));
      expect(links, page).toEqual(expect.arrayContaining([
        { type: 'application/rss+xml', href: '/feed.xml' }, { type: 'application/atom+xml', href: '/atom.xml' }, { type: 'application/feed+json', href: '/feed.json' },
      ]));
      if (own) {
        expect(links, page).toEqual(expect.arrayContaining([{ type: 'application/rss+xml', href: `${own}/feed.xml` }, { type: 'application/feed+json', href: `${own}/feed.json` }]));
      } else {
        expect(links, page).toHaveLength(3);
      }
      for (const l of links) expect((await t.get(l.href!)).status, l.href).toBe(200);
    }
  });
});

describe('caching', () => {
  it('answers 304 to a matching If-None-Match, and a publish changes the ETag', async () => {
    const first = await t.get('/feed.xml');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toMatch(/public.*s-maxage=300/);
    expect(first.headers.get('surrogate-key')).toBe('feeds home');
    const again = await t.get('/feed.xml', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // A render at another moment gives the same bytes: the feed carries no render time.
    t.app.deps.cache.clear();
    expect((await t.get('/feed.xml')).headers.get('etag')).toBe(etag);

    const section = await t.db.kysely.selectFrom('sections').select('id').where('slug', '=', 'culture').executeTakeFirstOrThrow();
    const { id } = await buildArticle(t.db.kysely, { sectionId: section.id, headline: 'Festival opens', publishedAt: new Date(Date.now() - 1000) });
    await t.app.deps.events.emit('article.published', { articleId: id, keys: [`article:${id}`] });
    const after = await t.get('/feed.xml', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.text()).toContain('Festival opens');
  });

  it('sends summaries instead of full text when the site says so', async () => {
    await writeSetting(t.db.kysely, 'feeds', { content: 'summary', items: 2 });
    await t.app.deps.events.emit('content.changed', { keys: ['feeds'] });
    const { doc } = await xml<Rss>('/feed.xml');
    expect(doc.rss.channel.item).toHaveLength(2);
    for (const item of doc.rss.channel.item) expect(item['content:encoded']).toBeUndefined();
    const json = (await (await t.get('/feed.json')).json()) as JsonFeed;
    expect(json.items[1]).not.toHaveProperty('content_html');
    expect(json.items[1]?.content_text).toBe('The first rain in 14 months <finally> fell & stayed.');
    await clearSetting(t.db.kysely, 'feeds');
    await t.app.deps.events.emit('content.changed', { keys: ['feeds'] });
    const full = await xml<Rss>('/feed.xml');
    expect(full.doc.rss.channel.item[0]?.['content:encoded']).toBeTruthy();
  });
});

describe('sitemaps', () => {
  it('indexes paged sitemaps whose every URL answers 200, with lastmod', async () => {
    const { res, doc } = await xml<SitemapIndex>('/sitemap.xml');
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const children: string[] = doc.sitemapindex.sitemap.map((s) => s.loc);
    expect(children).toEqual([
      `${t.url}/sitemaps/stories-1.xml`, `${t.url}/sitemaps/sections-1.xml`, `${t.url}/sitemaps/tags-1.xml`,
      `${t.url}/sitemaps/authors-1.xml`, `${t.url}/sitemaps/news.xml`,
    ]);
    for (const s of doc.sitemapindex.sitemap) expect(Number.isNaN(Date.parse(s.lastmod)), s.loc).toBe(false);

    const urls: Array<{ loc: string; lastmod?: string }> = [];
    for (const child of children) {
      const sitemap = await xml<UrlSet>(new URL(child).pathname);
      urls.push(...(sitemap.doc.urlset.url ?? []));
    }
    const paths = urls.map((u) => new URL(u.loc).pathname);
    expect(paths).toEqual(expect.arrayContaining([
      '/', '/world', '/africa', '/politics', '/culture', '/tag/water', '/tag/kesra-drought', '/author/amara-diallo', '/author/lin-wei',
      `/africa/${ids.rains}-rains-return-to-the-kesra-valley`, `/politics/${ids.old}-budget-debate-begins`,
    ]));
    expect(paths.join(' ')).not.toContain(`/${ids.draft}-`);
    expect(paths.join(' ')).not.toContain(`/${ids.future}-`);
    // The organisation's pages are listed; one still showing its default text has no date to give.
    expect(paths).toEqual(expect.arrayContaining(['/about', '/contact', '/corrections-policy', '/privacy', '/terms']));
    const undated = new Set(['/culture', '/about', '/contact', '/corrections-policy', '/privacy', '/terms']);
    for (const u of urls.filter((x) => !undated.has(new URL(x.loc).pathname))) expect(Number.isNaN(Date.parse(u.lastmod!)), u.loc).toBe(false);
    for (const p of new Set(paths)) expect((await t.get(p)).status, p).toBe(200);
  });

  it('gives each story its picture and its last change', async () => {
    const { doc } = await xml<UrlSet>('/sitemaps/stories-1.xml');
    const rains = doc.urlset.url?.find((u) => u.loc.includes(`/${ids.rains}-`));
    expect(rains?.['image:image']?.['image:loc']).toBe(`${t.url}/media/test/kesra.svg`);
    const row = await t.db.kysely.selectFrom('articles').select('updated_at').where('id', '=', ids.rains).executeTakeFirstOrThrow();
    expect(rains?.lastmod).toBe(row.updated_at);
  });

  it('has a Google News sitemap of the last two days only', async () => {
    const { doc } = await xml<UrlSet>('/sitemaps/news.xml');
    const urls = doc.urlset.url ?? [];
    expect(doc.urlset['@xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    const titles = urls.map((u) => u['news:news']?.['news:title']);
    expect(titles).toEqual(expect.arrayContaining(['Rains return to the Kesra Valley', 'Parliament passes the water bill']));
    expect(titles).not.toContain('Budget debate begins'); // three days old
    expect(titles).not.toContain('Embargoed story');
    for (const u of urls) {
      expect(u['news:news']?.['news:publication']).toEqual({ 'news:name': 'Dispatch', 'news:language': 'en' });
      expect(Date.now() - Date.parse(u['news:news']?.['news:publication_date'] ?? '')).toBeLessThan(48 * HOUR);
    }
  });

  it('pages stories by id, so a story keeps its sitemap page', async () => {
    const service = createSitemapService({ db: t.db.kysely, pageSize: 2 });
    const pages = (await service.pages()).filter((p) => p.kind === 'stories');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    for (const p of pages) {
      const entries = (await service.entries('stories', p.page))!;
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.length).toBeLessThanOrEqual(2);
      expect(p.lastmod).toBe(entries.map((e) => e.lastmod!).sort().pop());
      seen.push(...entries.map((e) => e.path));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(await service.entries('stories', 999)).toBeNull();
    expect((await t.get('/sitemaps/stories-999.xml')).status).toBe(404);
    expect((await t.get('/sitemaps/other-1.xml')).status).toBe(400);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await t.get('/sitemap.xml');
    const again = await t.get('/sitemap.xml', { 'if-none-match': first.headers.get('etag')! });
    expect(again.status).toBe(304);
  });
});

describe('robots.txt', () => {
  it('points at the sitemaps and keeps crawlers out of search results and personal pages', async () => {
    const { res, body } = await fetchText('/robots.txt');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(body).toContain(`Sitemap: ${t.url}/sitemap.xml`);
    expect(body).toContain(`Sitemap: ${t.url}/sitemaps/news.xml`);
    expect(body).toMatch(/^User-agent: \*$/m);
    expect(body).toMatch(/^Disallow: \/search$/m);
    expect(body).toMatch(/^Disallow: \/favorites$/m);
  });
});

describe('in a feed reader\'s parser', () => {
  // rss-parser is what many feed readers and aggregators built on Node use.
  it('reads every RSS and Atom feed cleanly, with the stories a reader expects', async () => {
    const reader = new RssParser();
    for (const scope of SCOPES) {
      for (const kind of ['/feed.xml', '/atom.xml']) {
        const { res, body } = await fetchText(scope + kind);
        expect(res.status, scope + kind).toBe(200);
        const feed = await reader.parseString(body);
        expect(feed.title, scope + kind).toBeTruthy();
        expect(feed.link ?? feed.feedUrl, scope + kind).toBeTruthy();
        for (const item of feed.items) {
          expect(item.title, scope + kind).toBeTruthy();
          expect(item.link, scope + kind).toMatch(new RegExp(`^${t.url}/[a-z-]+/\\d+-`));
          expect(item.guid ?? item.id, scope + kind).toBeTruthy();
          expect(Number.isNaN(Date.parse(item.isoDate ?? '')), scope + kind).toBe(false);
        }
        const titles = feed.items.map((i) => i.title);
        expect(titles, scope + kind).not.toContain('An unfinished draft');
        expect(titles, scope + kind).not.toContain('Embargoed story');
      }
    }
    const site = await reader.parseString((await fetchText('/feed.xml')).body);
    expect(site.items.map((i) => i.title)).toEqual(expect.arrayContaining(['Rains return to the Kesra Valley', 'Parliament passes the water bill']));
  });
});
