/**
 * Atom 1.0 (RFC 4287), written from the same feed options and items that the
 * `feed` library takes for RSS and JSON Feed. The library cannot write an
 * Atom enclosure's media type: it always makes one from the file extension
 * ("image/svg", "image/jpg") and ignores the item's. So Atom is built here,
 * as a tree of elements whose every text and attribute is escaped when
 * written out.
 */
import type { Author, Category, Enclosure, FeedOptions, Item } from 'feed';
import { escapeXml as xmlEscape } from '../web/escape.js';

type Attrs = Record<string, string | number | undefined>;
interface XmlElement {
  name: string;
  attrs: Attrs;
  /** Text (escaped when written) or elements; an element holds one or the other. */
  children: Array<XmlElement | string>;
}
type Child = XmlElement | string | null | undefined | false;

function el(name: string, attrs: Attrs = {}, ...children: Array<Child | Child[]>): XmlElement {
  return { name, attrs, children: children.flat().filter((c): c is XmlElement | string => c !== null && c !== undefined && c !== false) };
}

/** Text only, no attributes: `<name>text</name>`, or nothing when there is no text. */
function textEl(name: string, text: string | undefined): XmlElement | null {
  return text ? el(name, {}, text) : null;
}

function write(node: XmlElement, depth = 0): string {
  const pad = '    '.repeat(depth);
  const attrs = Object.entries(node.attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
  if (!node.children.length) return `${pad}<${node.name}${attrs}/>`;
  if (node.children.every((c) => typeof c === 'string')) {
    return `${pad}<${node.name}${attrs}>${node.children.map((c) => xmlEscape(c as string)).join('')}</${node.name}>`;
  }
  const inner = node.children.map((c) => (typeof c === 'string' ? `${pad}    ${xmlEscape(c)}` : write(c, depth + 1)));
  return `${pad}<${node.name}${attrs}>\n${inner.join('\n')}\n${pad}</${node.name}>`;
}

/** An absolute URL in its normal form (as the library writes its URLs). */
const url = (u: string) => new URL(u).href;

function author(a: Author, name = 'author'): XmlElement {
  return el(name, {}, textEl('name', a.name), textEl('email', a.email), a.link ? el('uri', {}, url(a.link)) : null);
}

function category(c: Category): XmlElement {
  return el('category', { label: c.name, scheme: c.scheme ? url(c.scheme) : undefined, term: c.term });
}

/** The enclosure link with the item's own media type; a length only when known (RFC 4287 4.2.7.6: advisory). */
function enclosure(e: Enclosure): XmlElement {
  return el('link', { rel: 'enclosure', href: url(e.url), title: e.title, type: e.type, length: e.length || undefined });
}

function entry(item: Item): XmlElement {
  return el(
    'entry',
    {},
    // Headlines are plain text; the summary and content are HTML, as the library's items are.
    el('title', { type: 'text' }, item.title),
    el('id', {}, item.id ?? url(item.link)),
    el('link', { href: url(item.link) }),
    item.enclosure ? enclosure(item.enclosure) : null,
    el('updated', {}, item.date.toISOString()),
    item.description ? el('summary', { type: 'html' }, item.description) : null,
    item.content ? el('content', { type: 'html' }, item.content) : null,
    (item.author ?? []).map((a) => author(a)),
    (item.contributor ?? []).map((a) => author(a, 'contributor')),
    (item.category ?? []).map(category),
    item.published ? el('published', {}, item.published.toISOString()) : null,
    textEl('rights', item.copyright),
  );
}

/** The Atom document; `updated` is given, never the render time, so unchanged input gives the same bytes. */
export function atomXml(options: FeedOptions & { id: string; updated: Date }, items: Item[]): string {
  const self = options.feed ?? options.feedLinks?.atom;
  const feed = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom' },
    el('id', {}, options.id),
    el('title', {}, options.title),
    el('updated', {}, options.updated.toISOString()),
    options.generator ? el('generator', {}, options.generator) : null,
    options.author ? author(options.author) : null,
    options.link ? el('link', { rel: 'alternate', href: url(options.link) }) : null,
    self ? el('link', { rel: 'self', href: url(self) }) : null,
    options.hub ? el('link', { rel: 'hub', href: url(options.hub) }) : null,
    textEl('subtitle', options.description),
    textEl('logo', options.image),
    textEl('icon', options.favicon),
    textEl('rights', options.copyright),
    items.map(entry),
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n${write(feed)}`;
}
