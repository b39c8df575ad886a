/**
 * Agency markup → our body document (content/body.ts), by allowlist: the
 * result holds only paragraphs, headings (levels 2–4), lists, blockquotes,
 * rules, hard breaks, and text marked bold, italic, code or linked. Anything
 * else is unwrapped to its text, and some elements are dropped with all they
 * hold: scripts, styles, iframes, objects, forms and the like. Attributes are
 * never carried over except a link's href, so event handlers (`onclick`) and
 * inline styles cannot survive; images are dropped too (an agency's picture
 * comes in through the media library with its own rights, not hot-linked).
 *
 * Three inputs: HTML text (RSS descriptions, ninjs body_html) parsed with
 * htmlparser2; XHTML or NITF elements already parsed by ./xml.ts; plain text.
 */
import { createRequire } from 'node:module';
import type { parseDocument as ParseDocument } from 'htmlparser2';
import { safeUrl } from '../web/urls.js';
import { type BlockNode, type BodyDoc, type InlineNode, type ListItem, type Mark } from '../content/body.js';
import type { XmlElement, XmlNode } from './xml.js';

// htmlparser2 is loaded with the first wire body, not at start; required as
// CommonJS, it is the same copy sanitize-html loads, not a second one.
const require = createRequire(import.meta.url);
let parser: typeof ParseDocument | undefined;
function parseDocument(...args: Parameters<typeof ParseDocument>): ReturnType<typeof ParseDocument> {
  parser ??= (require('htmlparser2') as typeof import('htmlparser2')).parseDocument;
  return parser(...args);
}

export interface BodyOptions {
  /**
   * The item's own web address. A relative link in agency copy is relative to
   * the agency's site, not ours, so it is resolved against this, and dropped
   * (its text kept) when there is none.
   */
  baseUrl?: string | null;
}

/** Beyond this depth markup is read as plain text: deeper nesting is never journalism, and the walk stays shallow. */
const MAX_DEPTH = 64;

/** Elements dropped with everything inside them. */
const DROP = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'template',
  'head', 'title', 'meta', 'link', 'base', 'svg', 'math', 'form', 'button', 'input', 'select', 'textarea',
  'canvas', 'audio', 'video', 'source', 'track', 'img', 'picture', 'map', 'area', 'param',
  // NITF body parts that are not story text
  'media', 'media-reference', 'media-metadata', 'media-object', 'media-caption', 'media-producer', 'body.head', 'body.end',
]);

/** Elements whose children are blocks in their own right. */
const CONTAINERS = new Set([
  'html', 'body', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'figure', 'center',
  'dl', 'table', 'thead', 'tbody', 'tfoot', 'details', 'summary', 'fieldset',
  // NITF
  'nitf', 'body.content', 'block', 'bq', 'note', 'fn',
]);

const PARAGRAPHS = new Set(['p', 'pre', 'address', 'dd', 'dt', 'figcaption', 'caption', 'tr', 'credit', 'tagline']);

const HEADINGS: Record<string, 2 | 3 | 4> = { h1: 2, h2: 2, h3: 3, h4: 4, h5: 4, h6: 4, hl1: 2, hl2: 3 };

/** HTML text to a body document. */
export function htmlToBody(html: string, opts: BodyOptions = {}): BodyDoc {
  const dom = parseDocument(html, { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true });
  return { type: 'doc', content: toBlocks(dom.children.map(fromDom), opts, 0) };
}

/** Already-parsed XHTML or NITF elements (their children are read) to a body document. */
export function xmlToBody(nodes: XmlNode[], opts: BodyOptions = {}): BodyDoc {
  return { type: 'doc', content: toBlocks(nodes.map(lowerCase), opts, 0) };
}

/** Plain text to a body document: a paragraph per blank-line-separated block, or per line when there are no blank lines. */
export function textToBody(text: string): BodyDoc {
  const normalized = text.replace(/\r\n?/g, '\n').trim();
  const chunks = /\n\s*\n/.test(normalized) ? normalized.split(/\n\s*\n/) : normalized.split('\n');
  const content: BlockNode[] = [];
  for (const chunk of chunks) {
    const t = chunk.replace(/\s+/g, ' ').trim();
    if (t) content.push({ type: 'paragraph', content: [{ type: 'text', text: t }] });
  }
  return { type: 'doc', content };
}

/** The visible text of a bit of HTML (titles and summaries that agencies send escaped), or null. */
export function htmlToText(html: string): string | null {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim() || null;
  const dom = parseDocument(html, { lowerCaseTags: true, decodeEntities: true });
  const text = dom.children.map((n) => flatText(fromDom(n))).join('');
  return text.replace(/\s+/g, ' ').trim() || null;
}

/** True when the document holds no text at all. */
export function isEmptyBody(doc: BodyDoc): boolean {
  return doc.content.length === 0;
}

// ---------------------------------------------------------------------------

type DomNode = ReturnType<typeof parseDocument>['children'][number];

/**
 * htmlparser2's DOM to the same small tree ./xml.ts gives. Past MAX_DEPTH a
 * subtree becomes its text, gathered without recursion: HTML, unlike our
 * XML, has no depth cap at the parser.
 */
function fromDom(n: DomNode, depth = 0): XmlNode {
  if ('children' in n && 'name' in n) {
    if (depth >= MAX_DEPTH) return { kind: 'text', text: domText(n) };
    return { kind: 'element', name: n.name, local: n.name, attrs: { ...n.attribs }, children: n.children.map((c) => fromDom(c, depth + 1)) };
  }
  if (n.type === 'text') return { kind: 'text', text: n.data };
  // comments, directives, CDATA in HTML: nothing a reader sees
  return { kind: 'text', text: '' };
}

function domText(root: DomNode): string {
  const parts: string[] = [];
  const stack: DomNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') parts.push(n.data);
    else if ('children' in n && !('name' in n && DROP.has(n.name))) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return parts.join('');
}

/** XHTML element names are case-sensitive in XML but agencies vary; compare in lower case. */
function lowerCase(n: XmlNode): XmlNode {
  if (n.kind === 'text') return n;
  return { ...n, local: n.local.toLowerCase(), children: n.children.map(lowerCase) };
}

function toBlocks(nodes: XmlNode[], opts: BodyOptions, depth: number): BlockNode[] {
  const out: BlockNode[] = [];
  let pending: InlineNode[] = [];
  const flush = () => {
    const content = tidy(pending);
    if (content.length) out.push({ type: 'paragraph', content });
    pending = [];
  };
  for (const n of nodes) {
    if (n.kind === 'text') {
      pending.push(...inline(n, [], opts, depth));
      continue;
    }
    const name = n.local;
    if (DROP.has(name)) continue;
    if (depth >= MAX_DEPTH) {
      pending.push({ type: 'text', text: flatText(n) });
      continue;
    }
    if (PARAGRAPHS.has(name)) {
      flush();
      pending = inlineChildren(n, [], opts, depth, name === 'tr' ? ' ' : '');
      flush();
    } else if (name in HEADINGS) {
      flush();
      const content = tidy(inlineChildren(n, [], opts, depth));
      if (content.length) out.push({ type: 'heading', attrs: { level: HEADINGS[name]! }, content });
    } else if (name === 'ul' || name === 'ol' || name === 'dir' || name === 'menu') {
      flush();
      const items = listItems(n, opts, depth);
      if (!items.length) continue;
      if (name === 'ol') {
        const start = Number(n.attrs.start);
        out.push({ type: 'orderedList', ...(Number.isInteger(start) && start !== 1 ? { attrs: { start } } : {}), content: items });
      } else out.push({ type: 'bulletList', content: items });
    } else if (name === 'blockquote') {
      flush();
      const content = toBlocks(n.children, opts, depth + 1);
      if (content.length) out.push({ type: 'blockquote', content });
    } else if (name === 'hr') {
      flush();
      out.push({ type: 'horizontalRule' });
    } else if (CONTAINERS.has(name) || name === 'li') {
      flush();
      out.push(...toBlocks(n.children, opts, depth + 1));
    } else {
      pending.push(...inline(n, [], opts, depth));
    }
  }
  flush();
  return out;
}

function listItems(list: XmlElement, opts: BodyOptions, depth: number): ListItem[] {
  const items: ListItem[] = [];
  for (const c of list.children) {
    if (c.kind === 'element' && DROP.has(c.local)) continue;
    // Text or elements straight inside a list (not in an <li>) still belong to it.
    const content = c.kind === 'element' && c.local === 'li' ? toBlocks(c.children, opts, depth + 1) : toBlocks([c], opts, depth + 1);
    if (content.length) items.push({ type: 'listItem', content });
  }
  return items;
}

function inlineChildren(el: XmlElement, marks: Mark[], opts: BodyOptions, depth: number, separator = ''): InlineNode[] {
  const out: InlineNode[] = [];
  for (const c of el.children) {
    if (separator && out.length && c.kind === 'element') out.push({ type: 'text', text: separator });
    out.push(...inline(c, marks, opts, depth + 1));
  }
  return out;
}

function inline(n: XmlNode, marks: Mark[], opts: BodyOptions, depth: number): InlineNode[] {
  if (n.kind === 'text') {
    const text = n.text.replace(/\s+/g, ' ');
    if (!text) return [];
    return [marks.length ? { type: 'text', text, marks } : { type: 'text', text }];
  }
  const name = n.local;
  if (DROP.has(name)) return [];
  if (depth >= MAX_DEPTH) return [{ type: 'text', text: flatText(n) }];
  if (name === 'br') return [{ type: 'hardBreak' }];
  const add = (mark: Mark): Mark[] => (marks.some((m) => m.type === mark.type) ? marks : [...marks, mark]);
  switch (name) {
    case 'b':
    case 'strong':
      return inlineChildren(n, add({ type: 'bold' }), opts, depth);
    case 'i':
    case 'em':
    case 'cite':
    case 'dfn':
      return inlineChildren(n, add({ type: 'italic' }), opts, depth);
    case 'code':
    case 'tt':
    case 'kbd':
    case 'samp':
      return inlineChildren(n, add({ type: 'code' }), opts, depth);
    case 'a': {
      const href = linkHref(n.attrs.href, opts.baseUrl);
      return inlineChildren(n, href ? add({ type: 'link', attrs: { href } }) : marks, opts, depth);
    }
    default:
      // Anything else (span, font, u, NITF's person/location/org) is unwrapped to what it holds.
      return inlineChildren(n, marks, opts, depth, name === 'td' || name === 'th' ? ' ' : '');
  }
}

/**
 * Only absolute http(s) links, or relative ones resolved against the item's
 * own address. The site's one URL rule (web/urls.ts safeUrl) has the final
 * word, as it does when the body is rendered.
 */
export function linkHref(raw: string | undefined, baseUrl?: string | null): string | null {
  const href = raw?.trim();
  if (!href) return null;
  let absolute: string | null = null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) absolute = href;
  else if (baseUrl) {
    try {
      absolute = new URL(href, baseUrl).toString();
    } catch {
      absolute = null;
    }
  }
  if (!absolute || !/^https?:/i.test(absolute)) return null;
  return safeUrl(absolute);
}

/** Text of a subtree without recursion (for markup past MAX_DEPTH). */
function flatText(root: XmlNode): string {
  const parts: string[] = [];
  const stack: XmlNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'text') parts.push(n.text);
    else if (!DROP.has(n.local.toLowerCase())) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return parts.join('').replace(/\s+/g, ' ');
}

function sameMarks(a: Mark[] | undefined, b: Mark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** Merges neighbouring text with the same marks, collapses spaces across nodes, trims the ends. */
function tidy(nodes: InlineNode[]): InlineNode[] {
  const out: InlineNode[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (n.type === 'hardBreak') {
      if (last && last.type !== 'hardBreak') out.push(n);
      continue;
    }
    let text = n.text;
    const prevEndsInSpace = !last || last.type === 'hardBreak' || last.text.endsWith(' ');
    if (prevEndsInSpace) text = text.replace(/^ +/, '');
    if (!text) continue;
    if (last && last.type === 'text' && sameMarks(last.marks, n.marks)) last.text += text;
    else out.push(n.marks ? { type: 'text', text, marks: n.marks } : { type: 'text', text });
  }
  while (out.length && out[out.length - 1]!.type === 'hardBreak') out.pop();
  const end = out[out.length - 1];
  if (end?.type === 'text') {
    end.text = end.text.replace(/ +$/, '');
    if (!end.text) out.pop();
  }
  // trailing whitespace before a hard break
  for (let i = 0; i < out.length - 1; i++) {
    const cur = out[i]!;
    if (cur.type === 'text' && out[i + 1]!.type === 'hardBreak') cur.text = cur.text.replace(/ +$/, '');
  }
  return out.filter((n) => n.type === 'hardBreak' || n.text);
}
