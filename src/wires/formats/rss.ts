/**
 * RSS 2.0 (and RSS 1.0/RDF) and Atom 1.0 feeds. Feeds carry no version,
 * urgency, embargo or status: every item is version 1, usable, and a new
 * version shows as a later `versionTime` (the item's updated/modified date,
 * else its publication date).
 *
 * RSS: guid (else link) → guid; title → headline; content:encoded (else
 * description) → body, description → summary when there is both;
 * dc:creator or author → byline; pubDate/dc:date → firstCreated and
 * versionTime; dc:language or the channel's language; dc:rights or the
 * channel's copyright; category → subjects (IPTC Media Topic when its domain
 * or text is a Media Topic code or URI); channel title → agency.
 *
 * Atom: id → guid; title → headline; content (else summary) → body;
 * author/name → byline; updated → versionTime, published → firstCreated;
 * xml:lang; rights; category term/scheme/label → subjects; the alternate
 * link → url; feed title → agency.
 */
import { htmlToBody, htmlToText, textToBody, xmlToBody } from '../html-body.js';
import { normalizeDate, normalizeLanguage, normalizeSubjectCode, type WireSubject } from '../wire.model.js';
import { attr, child, children, rawTextOf, serializeXml, textOf, type XmlElement } from '../xml.js';
import { finishItem, httpUrl, readEach, type ItemsResult } from './common.js';

/** Reads the items of an RSS or Atom document; the root says which. */
export function parseFeed(root: XmlElement): ItemsResult {
  if (root.local === 'feed') return parseAtom(root);
  const channel = child(root, 'channel');
  // RSS 2.0 keeps items in the channel; RSS 1.0 (RDF) beside it.
  const items = root.local === 'rss' ? children(channel, 'item') : children(root, 'item');
  const feed: FeedInfo = {
    title: textOf(child(channel, 'title')),
    language: textOf(child(channel, 'language')), // <language> or <dc:language>
    copyright: textOf(child(channel, 'copyright')) ?? textOf(child(channel, 'rights')),
    link: httpUrl(textOf(child(channel, 'link'))),
  };
  return readEach(items, (item) => readRssItem(item, feed), serializeXml, (item) => textOf(child(item, 'guid')) ?? textOf(child(item, 'link')));
}

interface FeedInfo {
  title: string | null;
  language: string | null;
  copyright: string | null;
  link: string | null;
}

function readRssItem(item: XmlElement, feed: FeedInfo) {
  const warnings: string[] = [];
  const guidEl = child(item, 'guid');
  const link = httpUrl(textOf(child(item, 'link')));
  const guid = textOf(guidEl) ?? link;
  const permalink = guidEl && attr(guidEl, 'isPermaLink') !== 'false' ? httpUrl(textOf(guidEl)) : null;
  const url = link ?? permalink;

  const encoded = child(item, 'encoded'); // content:encoded
  const descriptionHtml = rawTextOf(child(item, 'description'));
  const bodyHtml = encoded ? rawTextOf(encoded) : descriptionHtml;
  const published = textOf(child(item, 'pubDate')) ?? textOf(child(item, 'date'));
  const modified = textOf(child(item, 'modified')) ?? textOf(child(item, 'updated'));

  return finishItem({
    format: 'rss',
    guid,
    version: 1,
    versionTime: normalizeDate(modified ?? published, 'date', warnings),
    firstCreated: normalizeDate(published, 'pubDate', warnings),
    headline: htmlToText(rawTextOf(child(item, 'title'))),
    summary: encoded ? htmlToText(descriptionHtml) : null,
    byline: textOf(child(item, 'creator')) ?? authorName(textOf(child(item, 'author'))),
    copyright: textOf(child(item, 'rights')) ?? feed.copyright,
    agency: feed.title,
    body: htmlToBody(bodyHtml, { baseUrl: url ?? feed.link }),
    language: normalizeLanguage(textOf(child(item, 'language')) ?? feed.language, warnings),
    subjects: children(item, 'category').map(rssCategory).filter((s): s is WireSubject => s !== null),
    pubStatus: 'usable',
    url,
    warnings,
  });
}

/** RSS's author is an email address, often with the name in brackets: "desk@example.org (Ana Ruiz)". */
function authorName(raw: string | null): string | null {
  if (!raw) return null;
  const named = /\(([^)]+)\)/.exec(raw)?.[1]?.trim();
  if (named) return named;
  return raw.includes('@') ? null : raw;
}

function rssCategory(el: XmlElement): WireSubject | null {
  const text = textOf(el);
  if (!text) return null;
  const domain = attr(el, 'domain') ?? '';
  if (/mediatopic/i.test(domain) && /^\d{8}$/.test(text)) return { code: `medtop:${text}`, name: null };
  const code = normalizeSubjectCode(text);
  if (code?.startsWith('medtop:') || code?.startsWith('subj:')) return { code, name: null };
  return { code: null, name: text };
}

// ---------------------------------------------------------------------------

function parseAtom(feed: XmlElement): ItemsResult {
  const info = {
    title: htmlToText(rawTextOf(child(feed, 'title'))),
    language: attr(feed, 'lang'),
    rights: textOf(child(feed, 'rights')),
    author: atomAuthors(feed),
    link: alternateLink(feed),
  };
  return readEach(
    children(feed, 'entry'),
    (entry) => {
      const warnings: string[] = [];
      const url = alternateLink(entry);
      const content = child(entry, 'content');
      const summary = child(entry, 'summary');
      const base = { baseUrl: url ?? info.link };
      return finishItem({
        format: 'atom',
        guid: textOf(child(entry, 'id')),
        version: 1,
        versionTime: normalizeDate(textOf(child(entry, 'updated')) ?? textOf(child(entry, 'published')), 'updated', warnings),
        firstCreated: normalizeDate(textOf(child(entry, 'published')), 'published', warnings),
        headline: atomText(child(entry, 'title')),
        summary: content ? atomText(summary) : null,
        byline: atomAuthors(entry) ?? info.author,
        copyright: textOf(child(entry, 'rights')) ?? info.rights,
        agency: info.title,
        body: atomBody(content ?? summary, base),
        language: normalizeLanguage(attr(entry, 'lang') ?? info.language, warnings),
        subjects: children(entry, 'category').map(atomCategory).filter((s): s is WireSubject => s !== null),
        pubStatus: 'usable',
        url,
        warnings,
      });
    },
    serializeXml,
    (entry) => textOf(child(entry, 'id')),
  );
}

function atomText(el: XmlElement | null): string | null {
  if (!el) return null;
  const type = attr(el, 'type') ?? 'text';
  return type === 'html' ? htmlToText(rawTextOf(el)) : textOf(el);
}

function atomBody(el: XmlElement | null, opts: { baseUrl: string | null }) {
  if (!el) return { type: 'doc' as const, content: [] };
  const type = attr(el, 'type') ?? 'text';
  if (type === 'html' || type === 'text/html') return htmlToBody(rawTextOf(el), opts);
  if (type === 'xhtml' || type === 'application/xhtml+xml') {
    // The XHTML sits in one wrapping <div>, which is not part of the content.
    const div = child(el, 'div');
    return xmlToBody(div ? div.children : el.children, opts);
  }
  return textToBody(rawTextOf(el));
}

function atomAuthors(el: XmlElement): string | null {
  const names = children(el, 'author')
    .map((a) => textOf(child(a, 'name')))
    .filter((n): n is string => !!n);
  return names.length ? names.join(', ') : null;
}

function alternateLink(el: XmlElement): string | null {
  const links = children(el, 'link');
  const alt = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
  return httpUrl(attr(alt, 'href'));
}

function atomCategory(el: XmlElement): WireSubject | null {
  const term = attr(el, 'term');
  const label = attr(el, 'label');
  if (!term && !label) return null;
  const scheme = attr(el, 'scheme') ?? '';
  if (term && /mediatopic/i.test(scheme) && /^\d{8}$/.test(term)) return { code: `medtop:${term}`, name: label };
  const code = normalizeSubjectCode(term);
  if (code?.startsWith('medtop:') || code?.startsWith('subj:')) return { code, name: label };
  return { code: null, name: label ?? term };
}
