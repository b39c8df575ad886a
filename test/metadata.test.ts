/**
 * What search engines and social apps read from a page's head: canonical,
 * description, Open Graph and Twitter tags, JSON-LD, hreflang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from './helpers/factories.js';

const HOUR = 3600_000;
let t: TestApp;
const ids = {} as Record<'story' | 'wire' | 'english' | 'french' | 'arabic', number>;
const paths = {} as Record<'story' | 'english' | 'french', string>;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World' });
      const africa = await buildSection(db, { slug: 'africa', name: 'Africa', parentId: world.id, description: 'Reporting from across the continent.' });
      const amara = await buildAuthor(db, { slug: 'amara-diallo', name: 'Amara Diallo', bio: 'Amara covers water and farming.' });
      const water = await buildTag(db, { slug: 'water', name: 'Water' });
      const drought = await buildTag(db, { slug: 'kesra-drought', name: 'Kesra drought' });
      ids.story = (await buildArticle(db, {
        sectionId: africa.id, headline: 'Rains return to the Kesra Valley', standfirst: 'The first rain in 14 months fell on Tuesday.',
        authorIds: [amara.id], tagIds: [water.id, drought.id], publishedAt: new Date(Date.now() - 5 * HOUR), updatedAt: new Date(Date.now() - HOUR),
        hero: { url: '/media/test/kesra.svg', alt: 'Terraced fields under rain', caption: 'The upper valley.' },
      })).id;
      ids.wire = (await buildArticle(db, {
        sectionId: africa.id, headline: 'Port reopens </script><script>alert(1)</script>', standfirst: '', creditLine: 'Staff, Agencies',
        markdown: 'The port of Sennet reopened on Monday after a week of repairs to the harbour wall.', publishedAt: new Date(Date.now() - 2 * HOUR),
      })).id;
      ids.english = (await buildArticle(db, { sectionId: africa.id, headline: 'Talks resume', language: 'en', publishedAt: new Date(Date.now() - 3 * HOUR) })).id;
      ids.french = (await buildArticle(db, { sectionId: africa.id, headline: 'Reprise des pourparlers', slug: 'reprise-des-pourparlers', language: 'fr', publishedAt: new Date(Date.now() - 3 * HOUR) })).id;
      ids.arabic = (await buildArticle(db, { sectionId: africa.id, headline: 'استئناف المحادثات', slug: 'talks-ar', language: 'ar', status: 'draft', publishedAt: null })).id;
      await db.updateTable('articles').set({ translation_group: 'talks-2026' }).where('id', 'in', [ids.english, ids.french, ids.arabic]).execute();
    },
  });
  paths.story = `/africa/${ids.story}-rains-return-to-the-kesra-valley`;
  paths.english = `/africa/${ids.english}-talks-resume`;
  paths.french = `/africa/${ids.french}-reprise-des-pourparlers`;
});
afterAll(async () => t?.close());

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A JSON-LD document in the head: what it has besides its @type depends on the type. */
interface LdDoc {
  '@context': string;
  '@type': string | string[];
}
interface LdListItem {
  '@type': 'ListItem';
  position: number;
  name: string;
  item?: string;
  url?: string;
}
interface NewsArticleLd extends LdDoc {
  headline: string;
  description: string;
  image?: unknown[];
  datePublished: string;
  dateModified: string;
  author: unknown[];
  publisher: { logo: unknown };
  mainEntityOfPage: unknown;
  articleSection: string;
  keywords: string[];
  inLanguage: string;
}
interface BreadcrumbListLd extends LdDoc {
  itemListElement: LdListItem[];
}
interface CollectionPageLd extends LdDoc {
  name: string;
  mainEntity: { '@type': string; itemListElement: LdListItem[] };
}
interface WebSiteLd extends LdDoc {
  potentialAction: { target: { urlTemplate: string } };
}

interface Head {
  html: string;
  /** property or name -> every content given for it, in order. */
  meta: Map<string, string[]>;
  links: Array<Record<string, string>>;
  jsonLd: LdDoc[];
}

/** The head's JSON-LD document of that @type (or having it among its types), read as T. */
function ld<T extends LdDoc>(h: Head, type: string): T {
  const doc = h.jsonLd.find((d) => (Array.isArray(d['@type']) ? d['@type'].includes(type) : d['@type'] === type));
  expect(doc, `JSON-LD ${type}`).toBeDefined();
  return doc as T;
}

async function head(path: string): Promise<Head> {
  const res = await t.get(path);
  expect(res.status, path).toBe(200);
  const html = await res.text();
  const headHtml = html.slice(0, html.indexOf('</head>'));
  const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));
  const meta = new Map<string, string[]>();
  for (const m of headHtml.matchAll(/<meta [^>]*>/g)) {
    const a = attrs(m[0]);
    const key = a.property ?? a.name;
    if (key && a.content !== undefined) meta.set(key, [...(meta.get(key) ?? []), a.content]);
  }
  const links = [...headHtml.matchAll(/<link [^>]*>/g)].map((m) => attrs(m[0]));
  const jsonLd = [...headHtml.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as LdDoc);
  return { html, meta, links, jsonLd };
}

const one = (h: Head, key: string) => {
  const values = h.meta.get(key);
  expect(values, key).toHaveLength(1);
  return values![0]!;
};

describe('article page', () => {
  it('has a canonical link and a meta description', async () => {
    const h = await head(paths.story);
    expect(h.links.filter((l) => l.rel === 'canonical')).toEqual([{ rel: 'canonical', href: t.url + paths.story }]);
    expect(one(h, 'description')).toBe('The first rain in 14 months fell on Tuesday.');
  });

  it('has Open Graph tags: title, description, image with its size, times, section and tags', async () => {
    const h = await head(paths.story);
    expect(one(h, 'og:type')).toBe('article');
    expect(one(h, 'og:title')).toBe('Rains return to the Kesra Valley');
    expect(one(h, 'og:description')).toBe('The first rain in 14 months fell on Tuesday.');
    expect(one(h, 'og:url')).toBe(t.url + paths.story);
    expect(one(h, 'og:site_name')).toBe('Dispatch');
    expect(one(h, 'og:image')).toBe(`${t.url}/media/test/kesra.svg`);
    expect(one(h, 'og:image:width')).toBe('1200');
    expect(one(h, 'og:image:height')).toBe('675');
    expect(one(h, 'og:image:alt')).toBe('Terraced fields under rain');
    const row = await t.db.kysely.selectFrom('articles').select(['published_at', 'updated_at']).where('id', '=', ids.story).executeTakeFirstOrThrow();
    expect(one(h, 'article:published_time')).toBe(row.published_at);
    expect(one(h, 'article:modified_time')).toBe(row.updated_at);
    expect(one(h, 'article:section')).toBe('Africa');
    expect(h.meta.get('article:tag')).toEqual(['Water', 'Kesra drought']);
    expect(h.meta.get('article:author')).toEqual([`${t.url}/author/amara-diallo`]);
  });

  it('has Twitter card tags', async () => {
    const h = await head(paths.story);
    expect(one(h, 'twitter:card')).toBe('summary_large_image');
    expect(one(h, 'twitter:title')).toBe('Rains return to the Kesra Valley');
    expect(one(h, 'twitter:description')).toBe('The first rain in 14 months fell on Tuesday.');
    expect(one(h, 'twitter:image')).toBe(`${t.url}/media/test/kesra.svg`);
    expect(one(h, 'twitter:image:alt')).toBe('Terraced fields under rain');
  });

  it('has JSON-LD NewsArticle with every field Google and schema.org ask for', async () => {
    const h = await head(paths.story);
    const article = ld<NewsArticleLd>(h, 'NewsArticle');
    expect(article['@context']).toBe('https://schema.org');
    expect(article.headline).toBe('Rains return to the Kesra Valley');
    expect(article.description).toBe('The first rain in 14 months fell on Tuesday.');
    expect(article.image).toEqual([{ '@type': 'ImageObject', url: `${t.url}/media/test/kesra.svg`, width: 1200, height: 675, caption: 'The upper valley.' }]);
    const row = await t.db.kysely.selectFrom('articles').select(['published_at', 'updated_at']).where('id', '=', ids.story).executeTakeFirstOrThrow();
    expect(article.datePublished).toBe(row.published_at);
    expect(article.dateModified).toBe(row.updated_at);
    expect(article.author).toEqual([{ '@type': 'Person', name: 'Amara Diallo', url: `${t.url}/author/amara-diallo` }]);
    expect(article.publisher).toMatchObject({ '@type': 'NewsMediaOrganization', name: 'Dispatch', url: `${t.url}/` });
    expect(article.publisher.logo).toEqual({ '@type': 'ImageObject', url: `${t.url}/logo.png`, width: 512, height: 512 });
    expect(article.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': t.url + paths.story });
    expect(article.articleSection).toBe('Africa');
    expect(article.keywords).toEqual(['Water', 'Kesra drought']);
    expect(article.inLanguage).toBe('en');

    const crumbs = ld<BreadcrumbListLd>(h, 'BreadcrumbList');
    expect(crumbs.itemListElement.map((i) => [i.position, i.name, i.item])).toEqual([
      [1, 'Home', `${t.url}/`], [2, 'World', `${t.url}/world`], [3, 'Africa', `${t.url}/africa`], [4, 'Rains return to the Kesra Valley', t.url + paths.story],
    ]);
  });

  it('serves the publisher logo it names: a 512×512 PNG', async () => {
    const res = await t.get('/logo.png');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    expect((await t.get('/logo.png', { 'if-none-match': res.headers.get('etag')! })).status).toBe(304);
  });

  it('credits the organisation when a story has no named author, and describes it from the body without a standfirst', async () => {
    const h = await head(`/africa/${ids.wire}-${(await t.db.kysely.selectFrom('articles').select('slug').where('id', '=', ids.wire).executeTakeFirstOrThrow()).slug}`);
    const article = ld<NewsArticleLd>(h, 'NewsArticle');
    expect(article.author).toEqual([{ '@type': 'Organization', name: 'Staff, Agencies' }]);
    expect(article.image).toBeUndefined();
    expect(one(h, 'description')).toBe('The port of Sennet reopened on Monday after a week of repairs to the harbour wall.');
    expect(article.description).toBe(one(h, 'description'));
    expect(one(h, 'twitter:card')).toBe('summary');
    // The headline cannot end the script early.
    expect(h.html).not.toContain('</script><script>alert(1)');
    expect(article.headline).toBe('Port reopens </script><script>alert(1)</script>');
  });
});

describe('languages', () => {
  it('links the versions of a story in other languages with hreflang, each to all', async () => {
    for (const p of [paths.english, paths.french]) {
      const h = await head(p);
      const alternates = h.links.filter((l) => l.hreflang).map((l) => [l.hreflang, l.href]);
      expect(alternates, p).toEqual([['en', t.url + paths.english], ['fr', t.url + paths.french]]); // the draft in Arabic is not public yet
    }
    const french = await head(paths.french);
    expect(ld<NewsArticleLd>(french, 'NewsArticle').inLanguage).toBe('fr');
  });

  it('has no hreflang on a story in one language', async () => {
    const h = await head(paths.story);
    expect(h.links.filter((l) => l.hreflang)).toEqual([]);
  });
});

describe('listing pages', () => {
  it('section: CollectionPage listing its stories, and a BreadcrumbList', async () => {
    const h = await head('/africa');
    const page = ld<CollectionPageLd>(h, 'CollectionPage');
    expect(page).toMatchObject({ '@context': 'https://schema.org', name: 'Africa', url: `${t.url}/africa`, description: 'Reporting from across the continent.' });
    expect(page.mainEntity['@type']).toBe('ItemList');
    expect(page.mainEntity.itemListElement[0]).toEqual({ '@type': 'ListItem', position: 1, url: expect.stringMatching(new RegExp(`^${t.url}/africa/${ids.wire}-`)), name: expect.stringContaining('Port reopens') });
    expect(page.mainEntity.itemListElement.map((i) => i.url)).toContain(t.url + paths.story);
    const crumbs = ld<BreadcrumbListLd>(h, 'BreadcrumbList');
    expect(crumbs.itemListElement.map((i) => i.item)).toEqual([`${t.url}/`, `${t.url}/world`, `${t.url}/africa`]);
    expect(one(h, 'og:type')).toBe('website');
  });

  it('tag: CollectionPage and BreadcrumbList', async () => {
    const h = await head('/tag/water');
    const page = ld<CollectionPageLd>(h, 'CollectionPage');
    expect(page.name).toBe('Water');
    expect(page.mainEntity.itemListElement.map((i) => i.url)).toEqual([t.url + paths.story]);
    expect(ld<BreadcrumbListLd>(h, 'BreadcrumbList').itemListElement.map((i) => i.name)).toEqual(['Home', 'Water']);
  });

  it('author: a profile page of a person that is also a collection, and a BreadcrumbList', async () => {
    const h = await head('/author/amara-diallo');
    const page = ld<CollectionPageLd>(h, 'CollectionPage');
    expect(page['@type']).toEqual(['ProfilePage', 'CollectionPage']);
    expect(page.mainEntity).toMatchObject({ '@type': 'Person', name: 'Amara Diallo', url: `${t.url}/author/amara-diallo`, description: 'Amara covers water and farming.' });
    expect(ld<BreadcrumbListLd>(h, 'BreadcrumbList').itemListElement.map((i) => i.name)).toEqual(['Home', 'Amara Diallo']);
  });

  it('home: the site, with how to search it', async () => {
    const h = await head('/');
    const site = ld<WebSiteLd>(h, 'WebSite');
    expect(site.potentialAction.target.urlTemplate).toBe(`${t.url}/search?q={search_term_string}`);
    expect((await t.get('/search?q=rains')).status).toBe(200);
  });
});
