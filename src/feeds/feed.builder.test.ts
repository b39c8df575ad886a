import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Article, SectionRef } from '../content/content.model.js';
import { buildFeed, type FeedChannel, type FeedSite } from './feed.builder.js';

const SITE = 'https://news.example.com';
const africa: SectionRef = { id: 2, slug: 'africa', name: 'Africa', description: '', icon: 'globe', path: '/africa', parent: null };
const channel: FeedChannel = { title: 'Africa | Dispatch', description: 'From the continent.', pagePath: '/africa', language: 'en' };
const LENGTHS: Record<string, number> = { '/media/a.png': 1234, '/media/b.webp': 99, '/media/c.JPEG': 5 };
const site: FeedSite = { name: 'Dispatch', url: SITE, logoUrl: `${SITE}/logo.png`, content: 'full', imageLength: (p) => LENGTHS[p] ?? 0 };

let nextId = 1;
function story(hero: string | null, over: Partial<Article> = {}): Article {
  const id = nextId++;
  return {
    id, slug: `story-${id}`, path: `/africa/${id}-story-${id}`, headline: `Story ${id}`, standfirst: `Standfirst ${id}.`, section: africa,
    authors: [], creditLine: 'Staff, Agencies', language: 'en', publishedAt: '2026-11-29T10:00:00.000Z', updatedAt: null, commentCount: 0,
    hero: hero ? { url: hero, alt: `Picture ${id}`, caption: null, credit: null } : null,
    bodyHtml: `<p>Body of <a href="${SITE}/africa">story ${id}</a>.</p>`, tags: [], wordCount: 3, corrections: [],
    ...over,
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, jpath) => ['rss.channel.item', 'feed.entry', 'feed.entry.link'].includes(String(jpath)),
});
type Attrs = Record<`@${string}`, string>;
/** A list the parser found at least one of (these tests always build one). */
type Some<T> = [T, ...T[]];
interface AtomEntry {
  link: Attrs[];
  author: unknown;
  id: string;
  published: string;
  updated: string;
  title: unknown;
  summary: unknown;
  content: Attrs & { '#text': string };
}
/** The parts of a parsed RSS or Atom document these tests read. */
interface ParsedFeed {
  rss: { channel: { item: Some<{ enclosure?: Attrs; 'content:encoded': string }> } };
  feed: Record<'id' | 'title' | 'subtitle' | 'updated' | 'generator' | 'author' | 'link' | 'logo' | 'icon' | 'rights', unknown> & { entry: Some<AtomEntry> };
}

/** Parses a feed the test built, after checking it is well-formed XML. */
function parse(xml: string): ParsedFeed {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as ParsedFeed;
}

describe('image enclosures', () => {
  const heroes = ['/media/a.png', '/media/b.webp', '/media/c.JPEG', '/media/d.svg', 'https://img.example.org/e.gif?w=1&h=2', 'https://img.example.org/f.avif', '/media/g'];
  const types = ['image/png', 'image/webp', 'image/jpeg', 'image/svg+xml', 'image/gif', 'image/avif', 'image/jpeg'];
  const lengths = [1234, 99, 5, 0, 0, 0, 0];
  const stories = heroes.map((h) => story(h));
  const urls = heroes.map((h) => (h.startsWith('/') ? SITE + h : h));

  it('carry the real media type and the size in RSS', () => {
    const items = parse(buildFeed('rss', channel, stories, site)).rss.channel.item;
    expect(items.map((i) => i.enclosure)).toEqual(urls.map((url, i) => ({ '@url': url, '@type': types[i], '@length': String(lengths[i]) })));
  });

  it('carry the real media type, the size when known and the alt text in Atom', () => {
    const entries = parse(buildFeed('atom', channel, stories, site)).feed.entry;
    expect(entries.map((e) => e.link[1])).toEqual(
      urls.map((url, i) => ({ '@rel': 'enclosure', '@href': url, '@title': stories[i]!.hero!.alt, '@type': types[i], ...(lengths[i] ? { '@length': String(lengths[i]) } : {}) })),
    );
  });

  it('are left out for a story without a picture', () => {
    const bare = story(null);
    expect(parse(buildFeed('rss', channel, [bare], site)).rss.channel.item[0].enclosure).toBeUndefined();
    expect(parse(buildFeed('atom', channel, [bare], site)).feed.entry[0].link).toEqual([{ '@href': SITE + bare.path }]);
  });
});

describe('Atom', () => {
  const a = story('/media/a.png', {
    headline: 'Rains & <b>floods</b>',
    standfirst: 'Less "rain" & more <mud>.',
    bodyHtml: '<p>A ]]> in the text, &amp; an <a href="https://example.org/?a=1&amp;b=2">odd link</a>.</p>',
    authors: [{ id: 7, slug: 'amara-diallo', name: 'Amara Diallo', path: '/author/amara-diallo', photoUrl: null }],
    updatedAt: '2026-11-29T12:00:00.000Z',
  });
  const xml = buildFeed('atom', channel, [a], site);
  const feed = parse(xml).feed;
  const [entry] = feed.entry;

  it('describes the feed', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    expect(feed.id).toBe(`${SITE}/africa/atom.xml`);
    expect(feed.title).toBe('Africa | Dispatch');
    expect(feed.subtitle).toBe('From the continent.');
    expect(feed.updated).toBe('2026-11-29T12:00:00.000Z');
    expect(feed.generator).toBe('Dispatch');
    expect(feed.author).toEqual({ name: 'Dispatch', uri: `${SITE}/` });
    expect(feed.link).toEqual([{ '@rel': 'alternate', '@href': `${SITE}/africa` }, { '@rel': 'self', '@href': `${SITE}/africa/atom.xml` }]);
    expect([feed.logo, feed.icon, feed.rights]).toEqual([`${SITE}/logo.png`, `${SITE}/logo.png`, '© Dispatch']);
  });

  it('reads back every text exactly: the headline as text, standfirst and body as HTML', () => {
    expect(entry.title).toEqual({ '#text': 'Rains & <b>floods</b>', '@type': 'text' });
    expect(entry.summary).toEqual({ '#text': 'Less &quot;rain&quot; &amp; more &lt;mud&gt;.', '@type': 'html' });
    expect(entry.content['@type']).toBe('html');
    expect(entry.content['#text']).toBe(
      '<figure><img src="https://news.example.com/media/a.png" alt="Picture ' + a.id + '" width="1200" height="675"></figure>' +
        '<p><strong>Less &quot;rain&quot; &amp; more &lt;mud&gt;.</strong></p>' + a.bodyHtml,
    );
    expect(entry.id).toBe(`tag:news.example.com,2026:article:${a.id}`);
    expect(entry.author).toEqual({ name: 'Amara Diallo', uri: `${SITE}/author/amara-diallo` });
    expect([entry.published, entry.updated]).toEqual(['2026-11-29T10:00:00.000Z', '2026-11-29T12:00:00.000Z']);
  });

  it('names the credit line as the author of a story with no authors, or the site', () => {
    const wire = parse(buildFeed('atom', channel, [story(null, { creditLine: 'Staff, Agencies' }), story(null, { creditLine: null })], site)).feed.entry;
    expect(wire.map((e) => e.author)).toEqual([{ name: 'Staff, Agencies' }, { name: 'Dispatch' }]);
  });

  it('is the same bytes for the same stories', () => {
    expect(buildFeed('atom', channel, [a], site)).toBe(xml);
  });
});

describe('the body', () => {
  it('goes into every format as it was rendered, absolute links and all', () => {
    const a = story(null);
    const rss = parse(buildFeed('rss', channel, [a], site)).rss.channel.item[0]['content:encoded'];
    const atom = parse(buildFeed('atom', channel, [a], site)).feed.entry[0].content['#text'];
    const json = (JSON.parse(buildFeed('json', channel, [a], site)) as { items: Some<{ content_html: string }> }).items[0].content_html;
    for (const html of [rss, atom, json]) expect(html).toBe(`<p><strong>Standfirst ${a.id}.</strong></p>${a.bodyHtml}`);
  });
});
