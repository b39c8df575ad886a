/**
 * RSS 2.0, Atom 1.0 and JSON Feed documents for a list of stories: RSS and
 * JSON Feed made with the `feed` library, Atom from the same items by
 * atom.xml.ts (the library cannot give an Atom enclosure its media type).
 * Output depends only on its input (no "now"), so an unchanged feed keeps
 * its ETag and readers get 304s.
 *
 * The stories' body HTML must already link with absolute URLs, as
 * `content.latestArticles` renders it for the site's URL.
 */
import { Feed, type FeedOptions, type Item } from 'feed';
import type { Article, Correction, SiteCorrection } from '../content/content.model.js';
import { escapeHtml } from '../content/body.js';
import { CORRECTION_LABELS, correctionAnchor, correctionDate, paths } from '../content/content.model.js';
import { atomXml } from './atom.xml.js';
import { isSitePath } from '../web/urls.js';

export type FeedFormat = 'rss' | 'atom' | 'json';
export type FeedContent = 'full' | 'summary';

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export interface FeedChannel {
  /** e.g. "Africa | Dispatch" */
  title: string;
  description: string;
  /** Site-relative path of the page the feed follows: "/", "/africa", "/tag/water". */
  pagePath: string;
  language: string;
}

export interface FeedSite {
  name: string;
  /** Absolute, without trailing slash. */
  url: string;
  /** Absolute URL of the publisher's logo. */
  logoUrl: string;
  content: FeedContent;
  /** Size in bytes of a site-relative image, or 0 when unknown. */
  imageLength?: (path: string) => number;
}

const IMAGE_TYPES: Record<string, string> = {
  svg: 'image/svg+xml', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif',
};

export function imageType(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return IMAGE_TYPES[ext] ?? 'image/jpeg';
}

/** A stable id that survives a change of headline, slug or section: tag:host,2026:article:42. */
export function articleGuid(siteUrl: string, id: number): string {
  return `tag:${new URL(siteUrl).hostname},2026:article:${id}`;
}

function absolute(siteUrl: string, url: string): string {
  return isSitePath(url) ? siteUrl + url : url;
}

/** "Correction, 3 Dec 2026: …" as plain text, one entry. */
export function correctionLine(c: Pick<Correction, 'kind' | 'at' | 'note'>): string {
  return `${CORRECTION_LABELS[c.kind]}, ${correctionDate(c.at)}: ${c.note}`;
}

/** The story's corrections log, after its body, as the page shows it. */
function correctionsHtml(a: Article): string {
  if (!a.corrections.length) return '';
  return `<aside class="corrections">${a.corrections
    .map((c) => `<p><strong>${escapeHtml(`${CORRECTION_LABELS[c.kind]}, ${correctionDate(c.at)}:`)}</strong> ${escapeHtml(c.note)}</p>`)
    .join('')}</aside>`;
}

function fullContent(a: Article, siteUrl: string): string {
  const hero = a.hero
    ? `<figure><img src="${escapeHtml(absolute(siteUrl, a.hero.url))}" alt="${escapeHtml(a.hero.alt)}" width="1200" height="675">` +
      (a.hero.caption || a.hero.credit ? `<figcaption>${escapeHtml([a.hero.caption, a.hero.credit].filter(Boolean).join(' '))}</figcaption>` : '') +
      '</figure>'
    : '';
  const standfirst = a.standfirst ? `<p><strong>${escapeHtml(a.standfirst)}</strong></p>` : '';
  return hero + standfirst + a.bodyHtml + correctionsHtml(a);
}

/** A summary feed carries no body: its description takes the corrections log after the standfirst. */
function summaryWithCorrections(a: Article, format: FeedFormat): string | undefined {
  const lines = [a.standfirst, ...a.corrections.map(correctionLine)].filter(Boolean);
  if (!lines.length) return undefined;
  return format === 'json' ? lines.join('\n\n') : lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
}

function itemFor(a: Article, site: FeedSite, format: FeedFormat): Item {
  const link = site.url + a.path;
  const published = new Date(a.publishedAt);
  const item: Item = {
    title: a.headline,
    id: articleGuid(site.url, a.id),
    guid: articleGuid(site.url, a.id),
    link,
    date: new Date(a.updatedAt ?? a.publishedAt),
    published,
    // JSON Feed's summary is plain text; in RSS and Atom the description is HTML.
    description:
      site.content === 'summary' && a.corrections.length
        ? summaryWithCorrections(a, format)
        : format === 'json' ? a.standfirst || undefined : a.standfirst ? escapeHtml(a.standfirst) : undefined,
    author: (a.authors.length
      ? a.authors.map((au) => ({ name: au.name, link: site.url + au.path }))
      : [{ name: a.creditLine || site.name }]
    // RSS 2.0's <author> is an email address with the name after it; we publish no one's address.
    ).map((au) => (format === 'rss' ? { ...au, email: `noreply@${new URL(site.url).hostname}` } : au)),
    category: [
      { name: a.section.name, term: a.section.slug, domain: site.url + a.section.path, scheme: site.url + '/' },
      ...a.tags.map((t) => ({ name: t.name, term: t.slug, domain: site.url + t.path, scheme: `${site.url}/tag/` })),
      ...(a.live ? [{ name: 'Live', term: 'live', domain: site.url + a.path, scheme: site.url + '/' }] : []),
    ],
  };
  if (site.content === 'full') item.content = fullContent(a, site.url);
  if (a.hero) {
    const url = absolute(site.url, a.hero.url);
    const length = isSitePath(a.hero.url) ? site.imageLength?.(a.hero.url) ?? 0 : 0;
    // The real media type, in RSS and Atom alike. RSS's <enclosure> has no title; Atom's enclosure link does.
    item.enclosure = { url, type: imageType(url), length, ...(format === 'atom' ? { title: a.hero.alt } : {}) };
  }
  return item;
}

export function buildFeed(format: FeedFormat, channel: FeedChannel, articles: Article[], site: FeedSite): string {
  const pageUrl = site.url + (channel.pagePath === '/' ? '/' : channel.pagePath);
  const links = {
    rss: site.url + paths.feed(channel.pagePath, 'rss'),
    atom: site.url + paths.feed(channel.pagePath, 'atom'),
    json: site.url + paths.feed(channel.pagePath, 'json'),
  };
  // The newest change among the items, never the render time: see the module comment.
  const updated = articles.reduce((max, a) => Math.max(max, Date.parse(a.updatedAt ?? a.publishedAt)), 0);
  const options: FeedOptions & { id: string; updated: Date } = {
    id: links[format],
    title: channel.title,
    description: channel.description,
    link: pageUrl,
    language: channel.language,
    image: site.logoUrl,
    favicon: site.logoUrl,
    copyright: `© ${site.name}`,
    updated: new Date(updated),
    generator: 'Dispatch',
    ttl: 5,
    feed: links[format],
    feedLinks: links,
    author: { name: site.name, link: site.url + '/' },
  };
  const items = articles.map((a) => itemFor(a, site, format));
  if (format === 'atom') return atomXml(options, items);

  const feed = new Feed(options);
  for (const item of items) feed.addItem(item);
  if (format === 'rss') return feed.rss2();
  return upgradeJsonFeed(feed.json1(), articles, site, channel.language);
}

/**
 * JSON Feed 1.1: the library writes version 1; add what 1.1 readers look for
 * (language, authors) and every author rather than the first.
 */
function upgradeJsonFeed(json: string, articles: Article[], site: FeedSite, language: string): string {
  const doc = JSON.parse(json) as Record<string, unknown> & { items: Array<Record<string, unknown>> };
  doc.version = 'https://jsonfeed.org/version/1.1';
  doc.language = language;
  doc.authors = [{ name: site.name, url: site.url + '/' }];
  doc.favicon = site.logoUrl;
  delete doc.author;
  doc.items.forEach((item, i) => {
    const a = articles[i]!;
    item.authors = a.authors.length
      ? a.authors.map((au) => ({ name: au.name, url: site.url + au.path }))
      : [{ name: a.creditLine || site.name }];
    delete item.author;
    if (site.content === 'summary') {
      delete item.content_html;
      item.content_text = [a.standfirst || a.headline, ...a.corrections.map(correctionLine)].join('\n\n');
    }
    item.language = a.language;
    if (a.hero) item.image = absolute(site.url, a.hero.url);
    item.tags = [a.section.name, ...a.tags.map((t) => t.name)];
  });
  return JSON.stringify(doc, null, 2);
}

/** A stable id for one correction: tag:host,2026:correction:7. */
export function correctionGuid(siteUrl: string, id: number): string {
  return `tag:${new URL(siteUrl).hostname},2026:correction:${id}`;
}

/**
 * The /corrections feed (RSS or Atom): one item per correction, newest first,
 * linking to the entry on its story's page.
 */
export function buildCorrectionsFeed(format: FeedFormat, corrections: SiteCorrection[], site: Omit<FeedSite, 'content'>): string {
  const pagePath = paths.corrections();
  const links = { rss: site.url + paths.feed(pagePath, 'rss'), atom: site.url + paths.feed(pagePath, 'atom'), json: site.url + paths.feed(pagePath, 'json') };
  const updated = corrections.reduce((max, c) => Math.max(max, Date.parse(c.editedAt ?? c.at)), 0);
  const options: FeedOptions & { id: string; updated: Date } = {
    id: links[format],
    title: `Corrections | ${site.name}`,
    description: `Corrections, clarifications and updates to stories published by ${site.name}, newest first.`,
    link: site.url + pagePath,
    language: 'en',
    image: site.logoUrl,
    favicon: site.logoUrl,
    copyright: `© ${site.name}`,
    updated: new Date(updated),
    generator: 'Dispatch',
    ttl: 5,
    feed: links[format],
    feedLinks: links,
    author: { name: site.name, link: site.url + '/' },
  };
  const items: Item[] = corrections.map((c) => {
    const link = `${site.url}${c.article.path}#${correctionAnchor(c.id)}`;
    const text = correctionLine(c);
    return {
      title: `${CORRECTION_LABELS[c.kind]}: ${c.article.headline}`,
      id: correctionGuid(site.url, c.id),
      guid: correctionGuid(site.url, c.id),
      link,
      date: new Date(c.editedAt ?? c.at),
      published: new Date(c.at),
      description: escapeHtml(text),
      content: `<p>${escapeHtml(text)}</p><p><a href="${escapeHtml(site.url + c.article.path)}">${escapeHtml(c.article.headline)}</a></p>`,
      author: [format === 'rss' ? { name: site.name, email: `noreply@${new URL(site.url).hostname}` } : { name: site.name }],
    };
  });
  if (format === 'atom') return atomXml(options, items);
  if (format === 'json') {
    // JSON Feed 1.1, written from the same items (the library writes 1.0).
    return JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: options.title,
      home_page_url: options.link,
      feed_url: links.json,
      description: options.description,
      icon: site.logoUrl,
      favicon: site.logoUrl,
      language: 'en',
      authors: [{ name: site.name, url: site.url + '/' }],
      items: corrections.map((c, i) => ({
        id: items[i]!.id,
        url: items[i]!.link,
        title: items[i]!.title,
        content_text: correctionLine(c),
        date_published: new Date(c.at).toISOString(),
        date_modified: new Date(c.editedAt ?? c.at).toISOString(),
        authors: [{ name: site.name }],
        tags: [CORRECTION_LABELS[c.kind]],
      })),
    }, null, 2);
  }
  const feed = new Feed(options);
  for (const item of items) feed.addItem(item);
  return feed.rss2();
}
