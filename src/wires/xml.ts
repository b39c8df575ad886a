/**
 * Agency XML, read safely. Before a parser sees a byte:
 *
 * - the document must be at most `maxBytes` (5 MB);
 * - its encoding is found from the byte order mark or the XML declaration and
 *   decoded with TextDecoder (UTF-8, UTF-16, ISO-8859-1, windows-1252, ...);
 *   an encoding we do not know is refused rather than guessed;
 * - any `<!DOCTYPE` or `<!ENTITY` refuses the whole document. Agency formats
 *   need no DTD, and without one there is nothing to expand: no external
 *   entities (XXE), no billion laughs. The check is a string search, so the
 *   refusal costs microseconds whatever the file holds.
 *
 * fast-xml-parser then reads it with entity processing off (we decode the five
 * XML entities and numeric character references ourselves) and at most
 * `maxDepth` (64) levels of nesting. The result is a small element tree with
 * mixed content kept in order, which the body converter needs for XHTML.
 */
import { createRequire } from 'node:module';

// fast-xml-parser (about 8 MB resident) is loaded with the first wire document, not at start.
const require = createRequire(import.meta.url);
let fxp: typeof import('fast-xml-parser') | undefined;

export const XML_MAX_BYTES = 5 * 1024 * 1024;
export const XML_MAX_DEPTH = 64;

export interface XmlElement {
  kind: 'element';
  /** The name as written, prefix included (`dc:creator`). */
  name: string;
  /** The name without its prefix (`creator`). Namespaces are matched by local name: agency feeds use prefixes loosely. */
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

export interface XmlText {
  kind: 'text';
  text: string;
  /** Text from a CDATA section (RSS descriptions are often HTML in CDATA). */
  cdata?: boolean;
}

export type XmlNode = XmlElement | XmlText;

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

export interface XmlOptions {
  maxBytes?: number;
  maxDepth?: number;
}

/** Parses agency XML into an element tree (the root element); throws XmlError with a reason a desk operator can read. */
export function parseXml(input: Uint8Array | string, opts: XmlOptions = {}): XmlElement {
  const maxBytes = opts.maxBytes ?? XML_MAX_BYTES;
  const maxDepth = opts.maxDepth ?? XML_MAX_DEPTH;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) throw new XmlError(`document is ${size} bytes, over the ${maxBytes}-byte limit`);
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeXmlBytes(input);
  refuseDtd(text);

  const depth = maxNesting(text);
  if (depth > maxDepth) throw new XmlError(`elements are nested ${depth} deep, over the limit of ${maxDepth}`);

  fxp ??= require('fast-xml-parser') as typeof import('fast-xml-parser');
  const { XMLParser, XMLValidator } = fxp;
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const e = valid.err;
    throw new XmlError(`malformed XML: ${e.msg} (line ${e.line}, column ${e.col})`);
  }

  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth + 1,
  });
  const ordered = parser.parse(text) as OrderedNode[];
  const roots = ordered.map(toNode).filter((n): n is XmlElement => n?.kind === 'element');
  if (roots.length !== 1) throw new XmlError(roots.length ? 'document has more than one root element' : 'document has no root element');
  return roots[0]!;
}

/** Refuses DTDs and entity declarations outright (see the module comment). */
function refuseDtd(text: string): void {
  if (/<!DOCTYPE/i.test(text)) throw new XmlError('document has a DOCTYPE; DTDs and entities are not accepted');
  if (/<!ENTITY/i.test(text)) throw new XmlError('document declares entities; DTDs and entities are not accepted');
}

/**
 * How deep elements nest, counted over the text without building anything,
 * so a hostile file is refused before a parser recurses into it. Comments,
 * CDATA and processing instructions are skipped; the count only needs to be
 * right for well-formed input (the validator catches the rest).
 */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let i = text.indexOf('<');
  while (i !== -1 && i < text.length) {
    if (text.startsWith('<!--', i)) i = skipTo(text, '-->', i);
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(text, ']]>', i);
    else if (text.startsWith('<?', i) || text.startsWith('<!', i)) i = skipTo(text, '>', i);
    else if (text[i + 1] === '/') {
      depth--;
      i = skipTo(text, '>', i);
    } else {
      const end = tagEnd(text, i);
      if (end === -1) break;
      if (text[end - 1] !== '/') {
        depth++;
        if (depth > max) max = depth;
      }
      i = end + 1;
    }
    i = text.indexOf('<', i);
  }
  return max;
}

function skipTo(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  return at === -1 ? text.length : at + marker.length;
}

/** The index of the `>` closing a start tag, skipping `>` inside quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

const ENCODING_ALIASES: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8', // ASCII is a subset; a stray high byte then shows as U+FFFD, not as a guess
  ascii: 'utf-8',
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-15': 'iso-8859-15',
  'windows-1250': 'windows-1250',
  'windows-1251': 'windows-1251',
  'iso-8859-2': 'iso-8859-2',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/**
 * Bytes to text in the document's own encoding: a byte order mark wins, then
 * the XML declaration's `encoding`, then UTF-8 (XML's default). Invalid UTF-8
 * is refused rather than silently mangled.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode('utf-8', bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode('utf-16le', bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode('utf-16be', bytes.subarray(2));
  // The declaration is ASCII in every encoding we accept without a BOM.
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (!declared) return decode('utf-8', bytes);
  const label = ENCODING_ALIASES[declared];
  if (!label) throw new XmlError(`document declares encoding "${declared}", which is not supported`);
  return decode(label, bytes);
}

function decode(label: string, bytes: Uint8Array): string {
  if (label === 'iso-8859-1' || label === 'windows-1252') return decodeWindows1252(bytes);
  try {
    return new TextDecoder(label, { fatal: label === 'utf-8' }).decode(bytes);
  } catch {
    throw new XmlError(`document is not valid ${label.toUpperCase()}`);
  }
}

/**
 * windows-1252, which is also what senders mean by ISO-8859-1 (the WHATWG
 * Encoding Standard reads the one as the other: the C1 range 0x80–0x9F holds
 * curly quotes, dashes and the euro sign, never control characters in news
 * copy). Node 20's TextDecoder reads both labels as plain Latin-1 and leaves
 * that range as control characters, so the range is mapped here.
 */
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_C1[c.charCodeAt(0) - 0x80]!));
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and numeric references; any other `&name;` stays as written. */
export function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[ref] ?? whole;
  });
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNode(raw: OrderedNode): XmlNode | null {
  for (const key of Object.keys(raw)) {
    if (key === ':@') continue;
    const value = raw[key];
    if (key === '#text') return { kind: 'text', text: decodeXmlEntities(String(value)) };
    if (key === '#cdata') {
      const parts = (value as OrderedNode[]).map((n) => String(n['#text'] ?? '')).join('');
      return { kind: 'text', text: parts, cdata: true };
    }
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw[':@'] ?? {})) attrs[k] = decodeXmlEntities(String(v));
    const children = (value as OrderedNode[]).map(toNode).filter((n): n is XmlNode => n !== null);
    return { kind: 'element', name: key, local: localName(key), attrs, children };
  }
  return null;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

// ---------------------------------------------------------------------------
// Walking the tree: the parsers read elements by local name.

/** The first child element with this local name. */
export function child(el: XmlElement | null | undefined, local: string): XmlElement | null {
  if (!el) return null;
  for (const c of el.children) if (c.kind === 'element' && c.local === local) return c;
  return null;
}

/** Every child element with this local name (or every child element when no name is given). */
export function children(el: XmlElement | null | undefined, local?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c): c is XmlElement => c.kind === 'element' && (local === undefined || c.local === local));
}

/** Follows a path of local names through first children: `path(item, 'contentMeta', 'headline')`. */
export function path(el: XmlElement | null | undefined, ...locals: string[]): XmlElement | null {
  let at = el ?? null;
  for (const l of locals) at = child(at, l);
  return at;
}

/** All the text inside an element, whitespace collapsed; null when there is none. */
export function textOf(el: XmlElement | null | undefined): string | null {
  if (!el) return null;
  const parts: string[] = [];
  const walk = (n: XmlNode) => {
    if (n.kind === 'text') parts.push(n.text);
    else n.children.forEach(walk);
  };
  walk(el);
  const s = parts.join('').replace(/\s+/g, ' ').trim();
  return s || null;
}

/** The text inside an element exactly as written (for HTML in CDATA or escaped in a description). */
export function rawTextOf(el: XmlElement | null | undefined): string {
  if (!el) return '';
  return el.children.map((n) => (n.kind === 'text' ? n.text : rawTextOf(n))).join('');
}

/** An attribute by local name (`xml:lang` found as `lang`); null when absent or blank. */
export function attr(el: XmlElement | null | undefined, local: string): string | null {
  if (!el) return null;
  for (const [k, v] of Object.entries(el.attrs)) {
    if ((k === local || localName(k) === local) && v.trim()) return v.trim();
  }
  return null;
}

/** The element serialized back to XML, for the quarantine's raw payload. */
export function serializeXml(n: XmlNode): string {
  if (n.kind === 'text') return n.cdata ? `<![CDATA[${n.text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>` : escapeXml(n.text);
  const attrs = Object.entries(n.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v).replace(/"/g, '&quot;')}"`)
    .join('');
  if (!n.children.length) return `<${n.name}${attrs}/>`;
  return `<${n.name}${attrs}>${n.children.map(serializeXml).join('')}</${n.name}>`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
