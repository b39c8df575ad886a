/**
 * One way in for agency copy: bytes (and a content type, when the transport
 * has one) → normalized wire items, plus the items or the document that
 * could not be read, with reasons, for the quarantine. Never throws.
 */
import { parseFeed } from './formats/rss.js';
import { parseNewsMlG2 } from './formats/newsml-g2.js';
import { parseNitf } from './formats/nitf.js';
import { parseNinjsDocument } from './formats/ninjs.js';
import type { ItemsResult } from './formats/common.js';
import { WIRE_FORMATS, type WireFormat, type WireParseResult } from './wire.model.js';
import { decodeXmlBytes, parseXml, XML_MAX_BYTES, XmlError, type XmlElement } from './xml.js';

/** The same cap for JSON as for XML: no agency story is near it. */
export const WIRE_MAX_BYTES = XML_MAX_BYTES;

const CONTENT_TYPES: Record<string, WireFormat> = {
  'application/rss+xml': 'rss',
  'application/atom+xml': 'atom',
  'application/ninjs+json': 'ninjs',
  'application/vnd.iptc.ninjs+json': 'ninjs',
  'application/vnd.iptc.g2.newsitem+xml': 'newsml-g2',
  'application/vnd.iptc.g2.newsmessage+xml': 'newsml-g2',
  'application/nitf+xml': 'nitf',
  'application/vnd.nitf+xml': 'nitf',
};

const ROOTS: Record<string, WireFormat> = {
  rss: 'rss',
  RDF: 'rss',
  feed: 'atom',
  newsItem: 'newsml-g2',
  newsMessage: 'newsml-g2',
  nitf: 'nitf',
};

/**
 * The format of a document: from a specific content type when there is one,
 * else from its first bytes (JSON → ninjs; XML → by its root element).
 * Null when neither tells.
 */
export function detectFormat(contentType: string | null | undefined, bytes: Uint8Array): WireFormat | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && CONTENT_TYPES[type]) return CONTENT_TYPES[type];
  const head = Buffer.from(bytes.subarray(0, 4096));
  // Skip a UTF-8 BOM and whitespace; a UTF-16 document is decoded before looking.
  let text: string;
  try {
    text = head[0] === 0xff || head[0] === 0xfe ? decodeXmlBytes(bytes).slice(0, 4096) : head.toString('latin1');
  } catch {
    return null;
  }
  text = text.replace(/^(\uFEFF|\xEF\xBB\xBF)/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return 'ninjs';
  if (!text.startsWith('<')) return type === 'application/json' ? 'ninjs' : null;
  // The first element that is not a declaration, comment, processing instruction or DOCTYPE.
  const root = /<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text.replace(/<!--[\s\S]*?-->/g, ''));
  return root ? (ROOTS[root[2]!] ?? null) : null;
}

export interface ParseOptions {
  /** The provider's configured format; detected when absent. `rss` and `atom` read each other's documents. */
  format?: WireFormat;
  contentType?: string | null;
}

/** Reads a wire document. A document that cannot be read at all is `ok: false` with the reason and its raw text. */
export function parseWire(input: Uint8Array | string, opts: ParseOptions = {}): WireParseResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const detected = detectFormat(opts.contentType, bytes);
  const format = opts.format ?? detected;
  const fail = (reason: string): WireParseResult => ({ ok: false, format, reason, raw: rawText(bytes) });
  if (!format) return fail('the document is not in a format we read (RSS, Atom, ninjs, NewsML-G2, NITF)');
  if (!WIRE_FORMATS.includes(format)) return fail(`unknown format "${String(format)}"`);
  if (bytes.byteLength > WIRE_MAX_BYTES) return fail(`document is ${bytes.byteLength} bytes, over the ${WIRE_MAX_BYTES}-byte limit`);

  try {
    let result: ItemsResult;
    let actual: WireFormat = format;
    if (format === 'ninjs') {
      result = parseNinjsDocument(parseJson(bytes));
    } else {
      const root = parseXml(bytes);
      actual = xmlFormat(root, format);
      result = actual === 'newsml-g2' ? parseNewsMlG2(root) : actual === 'nitf' ? parseNitf(root) : parseFeed(root);
    }
    return { ok: true, format: actual, items: result.items, rejected: result.rejected };
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}

/** The format an XML root really is, checked against the one expected (RSS and Atom stand in for each other). */
function xmlFormat(root: XmlElement, expected: WireFormat): WireFormat {
  const actual = ROOTS[root.local];
  const feeds: WireFormat[] = ['rss', 'atom'];
  if (actual === expected || (actual && feeds.includes(actual) && feeds.includes(expected))) return actual;
  throw new XmlError(`expected ${expected}, but the root element is <${root.name}>`);
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new Error('JSON document is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`malformed JSON: ${(err as Error).message}`);
  }
}

/** The document as text for the quarantine (invalid bytes shown as U+FFFD). */
function rawText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
