/**
 * Article bodies are stored as a JSON document in the shape a ProseMirror/TipTap
 * editor produces (`{ type: "doc", content: [...] }`), so the newsroom's rich-text
 * editor can load and save them unchanged. Rendering walks an allowlist of node
 * and mark types and escapes every string, so the HTML is safe by construction:
 * unknown nodes are dropped and links keep only http(s), mailto and site paths.
 */
import { marked, type Token, type Tokens } from 'marked';
import type { ImageSources } from './content.model.js';
import { escapeHtml } from '../web/escape.js';
import { isSitePath, safeUrl } from '../web/urls.js';

export type Mark =
  | { type: 'bold' }
  | { type: 'italic' }
  | { type: 'code' }
  | { type: 'link'; attrs: { href: string } };

export type InlineNode = { type: 'text'; text: string; marks?: Mark[] } | { type: 'hardBreak' };

export type BlockNode =
  | { type: 'paragraph'; content?: InlineNode[] }
  | { type: 'heading'; attrs: { level: 2 | 3 | 4 }; content?: InlineNode[] }
  | { type: 'blockquote'; content: BlockNode[] }
  | { type: 'bulletList'; content: ListItem[] }
  | { type: 'orderedList'; attrs?: { start?: number }; content: ListItem[] }
  | { type: 'image'; attrs: { src: string; alt: string; caption?: string | null; credit?: string | null } }
  | { type: 'horizontalRule' };

export interface ListItem {
  type: 'listItem';
  content: BlockNode[];
}

export interface BodyDoc {
  type: 'doc';
  content: BlockNode[];
}

export { escapeHtml, safeUrl };

/** A site path made absolute against `opts.baseUrl` when one is given; any other URL as it is. */
function urlFor(url: string, opts: RenderOptions): string {
  return opts.baseUrl && isSitePath(url) ? opts.baseUrl + url : url;
}

/** A stored list as a list: anything else (a body saved before input was checked) as none. */
function listOf<T>(v: T[] | undefined): T[] {
  return Array.isArray(v) ? v : [];
}

function renderInline(nodes: InlineNode[] | undefined, opts: RenderOptions): string {
  let out = '';
  for (const n of listOf(nodes)) {
    if (n?.type === 'hardBreak') {
      out += '<br>';
      continue;
    }
    if (n?.type !== 'text' || typeof n.text !== 'string') continue;
    let html = escapeHtml(n.text);
    for (const m of listOf(n.marks)) {
      if (!m || typeof m !== 'object') continue;
      if (m.type === 'bold') html = `<strong>${html}</strong>`;
      else if (m.type === 'italic') html = `<em>${html}</em>`;
      else if (m.type === 'code') html = `<code>${html}</code>`;
      else if (m.type === 'link') {
        // A link that is not a site path or an http(s)/mailto URL stays plain text.
        const href = safeUrl(m.attrs?.href, { mailto: true });
        if (!href) continue;
        const external = !isSitePath(href);
        html = `<a href="${escapeHtml(urlFor(href, opts))}"${external ? ' rel="noopener"' : ''}>${html}</a>`;
      }
    }
    out += html;
  }
  return out;
}

export interface RenderOptions {
  /**
   * Media-library images of the body by their `src` (as `bodyImageSrcs` gives
   * it): these get `srcset`, `sizes`, `width` and `height`; other images are
   * shown as they are.
   */
  images?: ReadonlyMap<string, ImageSources>;
  /**
   * The site's absolute URL (no trailing slash), for HTML read away from the
   * site (feeds): links and images to site paths get it in front. (A srcset
   * from `images` keeps the URLs it has.)
   */
  baseUrl?: string;
}

/** ` width="…" height="…"` when both are whole positive numbers, so a bad value never reaches the page. */
function dimensionAttrs(width: unknown, height: unknown): string {
  const w = Number(width);
  const h = Number(height);
  return Number.isSafeInteger(w) && Number.isSafeInteger(h) && w > 0 && h > 0 ? ` width="${w}" height="${h}"` : '';
}

function responsiveAttrs(image: ImageSources | undefined): string {
  if (!image?.srcset) return '';
  const sizes = image.sizes ? ` sizes="${escapeHtml(String(image.sizes))}"` : '';
  return ` srcset="${escapeHtml(String(image.srcset))}"${sizes}${dimensionAttrs(image.width, image.height)}`;
}

function renderBlock(node: BlockNode, opts: RenderOptions): string {
  switch (node?.type) {
    case 'paragraph': {
      const inner = renderInline(node.content, opts);
      return inner ? `<p>${inner}</p>` : '';
    }
    case 'heading': {
      const level = [2, 3, 4].includes(node.attrs?.level) ? node.attrs.level : 2;
      return `<h${level}>${renderInline(node.content, opts)}</h${level}>`;
    }
    case 'blockquote':
      return `<blockquote>${renderBlocks(node.content, opts)}</blockquote>`;
    case 'bulletList':
      return `<ul>${listOf(node.content).map((item) => renderItem(item, opts)).join('')}</ul>`;
    case 'orderedList': {
      const start = Number(node.attrs?.start ?? 1);
      const attr = Number.isInteger(start) && start !== 1 ? ` start="${start}"` : '';
      return `<ol${attr}>${listOf(node.content).map((item) => renderItem(item, opts)).join('')}</ol>`;
    }
    case 'image': {
      const src = safeUrl(node.attrs?.src);
      if (!src) return '';
      const alt = escapeHtml(String(node.attrs.alt ?? ''));
      const caption = node.attrs.caption ? escapeHtml(String(node.attrs.caption)) : '';
      const credit = node.attrs.credit ? escapeHtml(String(node.attrs.credit)) : '';
      const figcaption =
        caption || credit
          ? `<figcaption>${caption}${credit ? ` <span class="credit">${credit}</span>` : ''}</figcaption>`
          : '';
      const responsive = responsiveAttrs(opts.images?.get(src));
      return `<figure class="body-figure"><img src="${escapeHtml(urlFor(src, opts))}"${responsive} alt="${alt}" loading="lazy" decoding="async">${figcaption}</figure>`;
    }
    case 'horizontalRule':
      return '<hr>';
    default:
      return '';
  }
}

function renderItem(item: ListItem, opts: RenderOptions): string {
  if (item?.type !== 'listItem') return '';
  return `<li>${renderBlocks(item.content, opts)}</li>`;
}

function renderBlocks(nodes: BlockNode[] | undefined, opts: RenderOptions): string {
  return listOf(nodes).map((node) => renderBlock(node, opts)).join('');
}

/** Renders a stored body document to safe HTML. */
export function renderBody(doc: BodyDoc, opts: RenderOptions = {}): string {
  if (doc?.type !== 'doc' || !Array.isArray(doc.content)) return '';
  return renderBlocks(doc.content, opts);
}

/** The `src` of every image the body shows, as `renderBody` looks them up in `images`. */
export function bodyImageSrcs(doc: BodyDoc): string[] {
  const srcs: string[] = [];
  const walk = (nodes: unknown) => {
    if (!Array.isArray(nodes)) return;
    for (const n of nodes) {
      const node = n as { type?: string; content?: unknown; attrs?: { src?: unknown } };
      if (node?.type === 'image') {
        const src = safeUrl(node.attrs?.src);
        if (src) srcs.push(src);
      } else if (node?.type === 'blockquote' || node?.type === 'bulletList' || node?.type === 'orderedList' || node?.type === 'listItem') {
        walk(node.content);
      }
    }
  };
  if (doc?.type === 'doc') walk(doc.content);
  return srcs;
}

/** Plain text of a body (for summaries, word counts and search). */
export function bodyText(doc: BodyDoc): string {
  const parts: string[] = [];
  const walk = (nodes: unknown[] | undefined) => {
    for (const n of listOf(nodes)) {
      const node = n as { type?: string; text?: string; content?: unknown[]; attrs?: { caption?: string } } | null;
      if (!node || typeof node !== 'object') continue;
      if (node.type === 'text' && typeof node.text === 'string') parts.push(node.text);
      else if (node.type === 'image' && typeof node.attrs?.caption === 'string') parts.push(` ${node.attrs.caption} `);
      if (Array.isArray(node.content)) {
        walk(node.content);
        if (node.type !== 'text') parts.push(' ');
      }
    }
  };
  walk(doc?.content);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

export class BodyError extends Error {}

/**
 * A body as stored, for showing: any document (`{ type: "doc", content: [...] }`)
 * as it is, anything else as an empty one. Stored bodies are not held to
 * today's input rules (a link saved before they were is shown as plain text
 * by renderBody, not refused), so reading one never fails.
 */
export function readStoredBody(input: unknown): BodyDoc {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch {
      doc = null;
    }
  }
  const d = doc as BodyDoc | null;
  return d && typeof d === 'object' && d.type === 'doc' && Array.isArray(d.content) ? d : { type: 'doc', content: [] };
}

/** Parses and checks a stored or submitted body document; throws BodyError with a reason. */
export function parseBodyDoc(input: unknown): BodyDoc {
  const doc = typeof input === 'string' ? safeJson(input) : input;
  if (!doc || typeof doc !== 'object' || (doc as BodyDoc).type !== 'doc' || !Array.isArray((doc as BodyDoc).content)) {
    throw new BodyError('body must be a document: { "type": "doc", "content": [...] }');
  }
  checkBlocks((doc as BodyDoc).content, 'content');
  return doc as BodyDoc;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw new BodyError('body is not valid JSON');
  }
}

const BLOCK_TYPES = new Set(['paragraph', 'heading', 'blockquote', 'bulletList', 'orderedList', 'image', 'horizontalRule']);

function checkBlocks(nodes: unknown[], at: string): void {
  nodes.forEach((n, i) => {
    const node = n as { type?: string; content?: unknown; attrs?: Record<string, unknown> };
    const here = `${at}[${i}]`;
    if (!node || typeof node !== 'object' || !BLOCK_TYPES.has(String(node.type))) {
      throw new BodyError(`${here}: unknown block type "${String(node?.type)}"`);
    }
    if (node.type === 'paragraph' || node.type === 'heading') checkInline(node.content, here);
    else if (node.type === 'blockquote') checkBlocks(asArray(node.content, here), `${here}.content`);
    else if (node.type === 'bulletList' || node.type === 'orderedList') {
      asArray(node.content, here).forEach((item, j) => {
        const li = item as { type?: string; content?: unknown };
        if (li?.type !== 'listItem') throw new BodyError(`${here}.content[${j}]: lists hold listItem nodes`);
        checkBlocks(asArray(li.content, `${here}.content[${j}]`), `${here}.content[${j}].content`);
      });
    } else if (node.type === 'image') {
      if (!safeUrl(node.attrs?.src)) {
        throw new BodyError(`${here}: image needs a src that is an http(s) URL or a site path`);
      }
    }
  });
}

function checkInline(content: unknown, at: string): void {
  if (content === undefined) return;
  asArray(content, at).forEach((n, i) => {
    const node = n as { type?: string; text?: unknown; marks?: unknown };
    if (node?.type === 'hardBreak') return;
    if (node?.type !== 'text' || typeof node.text !== 'string') {
      throw new BodyError(`${at}.content[${i}]: inline content must be text`);
    }
    if (node.marks !== undefined) checkMarks(node.marks, `${at}.content[${i}]`);
  });
}

const MARK_TYPES = new Set(['bold', 'italic', 'code', 'link']);

function checkMarks(marks: unknown, at: string): void {
  if (!Array.isArray(marks)) throw new BodyError(`${at}: marks must be an array`);
  marks.forEach((m, j) => {
    const mark = m as { type?: unknown; attrs?: { href?: unknown } } | null;
    if (!mark || typeof mark !== 'object' || !MARK_TYPES.has(String(mark.type))) {
      throw new BodyError(`${at}.marks[${j}]: unknown mark "${String(mark?.type)}"`);
    }
    if (mark.type === 'link' && !safeUrl(mark.attrs?.href, { mailto: true })) {
      throw new BodyError(`${at}.marks[${j}]: a link must go to a path on this site (starting with a single /) or an http(s) or mailto: address`);
    }
  });
}

function asArray(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new BodyError(`${at}: content must be an array`);
  return v;
}

// ---------------------------------------------------------------------------
// Markdown -> document, for imports and the admin API. Raw HTML is not carried over.

export function markdownToDoc(markdown: string): BodyDoc {
  const tokens = marked.lexer(markdown, { gfm: true });
  return { type: 'doc', content: blocksFromTokens(tokens) };
}

function blocksFromTokens(tokens: Token[]): BlockNode[] {
  const out: BlockNode[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'heading': {
        const level = Math.min(4, Math.max(2, t.depth)) as 2 | 3 | 4;
        out.push({ type: 'heading', attrs: { level }, content: inlineFromTokens(t.tokens ?? []) });
        break;
      }
      case 'paragraph': {
        // A paragraph that is only an image becomes a figure.
        const inner = (t.tokens ?? []).filter((x) => !(x.type === 'text' && !x.raw.trim()));
        if (inner.length === 1 && inner[0]!.type === 'image') {
          out.push(imageNode(inner[0] as Tokens.Image));
        } else {
          const content = inlineFromTokens(t.tokens ?? []);
          if (content.length) out.push({ type: 'paragraph', content });
        }
        break;
      }
      case 'text': {
        const content = inlineFromTokens((t as Tokens.Text).tokens ?? [{ type: 'text', raw: t.raw, text: t.text } as Token]);
        if (content.length) out.push({ type: 'paragraph', content });
        break;
      }
      case 'blockquote':
        out.push({ type: 'blockquote', content: blocksFromTokens(t.tokens ?? []) });
        break;
      case 'list': {
        const items: ListItem[] = (t as Tokens.List).items.map((item) => ({
          type: 'listItem',
          content: blocksFromTokens(item.tokens),
        }));
        if ((t as Tokens.List).ordered) {
          const start = Number((t as Tokens.List).start) || 1;
          out.push({ type: 'orderedList', ...(start !== 1 ? { attrs: { start } } : {}), content: items });
        } else out.push({ type: 'bulletList', content: items });
        break;
      }
      case 'hr':
        out.push({ type: 'horizontalRule' });
        break;
      case 'code':
        out.push({ type: 'paragraph', content: [{ type: 'text', text: t.text, marks: [{ type: 'code' }] }] });
        break;
      default:
        // html, tables, spaces and the like are not part of the article model.
        break;
    }
  }
  return out;
}

function imageNode(img: Tokens.Image): BlockNode {
  // The Markdown title carries "Caption — Credit".
  const [caption, credit] = (img.title ?? '').split(/\s+[—–]\s+/);
  return {
    type: 'image',
    attrs: { src: img.href, alt: img.text ?? '', caption: caption?.trim() || null, credit: credit?.trim() || null },
  };
}

function inlineFromTokens(tokens: Token[], marks: Mark[] = []): InlineNode[] {
  const out: InlineNode[] = [];
  const push = (text: string, ms: Mark[]) => {
    if (!text) return;
    out.push(ms.length ? { type: 'text', text, marks: ms } : { type: 'text', text });
  };
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
        if ((t as Tokens.Text).tokens?.length) out.push(...inlineFromTokens((t as Tokens.Text).tokens!, marks));
        else push(decodeEntities(t.text), marks);
        break;
      case 'escape':
        push(t.text, marks);
        break;
      case 'strong':
        out.push(...inlineFromTokens(t.tokens ?? [], [...marks, { type: 'bold' }]));
        break;
      case 'em':
        out.push(...inlineFromTokens(t.tokens ?? [], [...marks, { type: 'italic' }]));
        break;
      case 'codespan':
        push(decodeEntities(t.text), [...marks, { type: 'code' }]);
        break;
      case 'link': {
        // A link to anywhere but a site path or an http(s)/mailto address keeps its text only.
        const href = safeUrl(t.href, { mailto: true });
        out.push(...inlineFromTokens(t.tokens ?? [], href ? [...marks, { type: 'link', attrs: { href } }] : marks));
        break;
      }
      case 'br':
        out.push({ type: 'hardBreak' });
        break;
      case 'image':
        push((t as Tokens.Image).text, marks);
        break;
      case 'del':
        out.push(...inlineFromTokens(t.tokens ?? [], marks));
        break;
      default:
        // inline html: keep its visible text only
        if (t.type === 'html') break;
        if ('text' in t && typeof t.text === 'string') push(t.text, marks);
    }
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
