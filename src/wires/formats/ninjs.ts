/**
 * IPTC ninjs, 1.x and 2.x (JSON). A document is one ninjs object, an array of
 * them, or `{ "items": [...] }`.
 *
 * uri → guid; version (a string in the schema; numbers accepted) → version;
 * versioncreated, firstcreated; embargoed → embargo; expires; pubstatus;
 * urgency; headline (1.x) or headlines[] (2.x, the main one) → headline;
 * byline (1.x), by (2.x) or bylines[] → byline; body_html / body_text (1.x)
 * or bodies[] (2.x, HTML preferred) → body; description_text /
 * description_html or descriptions[] → summary; subject[] (1.x code/name) or
 * subjects[] (2.x uri/literal/name) → subjects, IPTC Media Topic URIs read as
 * medtop: codes; language; copyrightnotice (else copyrightholder) →
 * copyright; infosources[] (else copyrightholder) → credit line; located and
 * place[] / places[] → dateline and place.
 *
 * ninjs has no update or correction signal of its own. We read a `signal`
 * or `signals` field holding NewsML-G2 qcodes (`sig:correction`,
 * `sig:update`), as several agencies send, and an ednote starting with
 * "Correction" or "Corrects".
 *
 * A required field of the wrong type (uri, headline) rejects the item; an
 * optional one is ignored with a warning on the item.
 */
import { htmlToBody, htmlToText, textToBody } from '../html-body.js';
import {
  cleanText,
  normalizeDate,
  normalizeLanguage,
  normalizePubStatus,
  normalizeSubjectCode,
  normalizeUrgency,
  normalizeVersion,
  WireItemError,
  type WireItem,
  type WirePlace,
  type WireSubject,
} from '../wire.model.js';
import { finishItem, readEach, type ItemsResult } from './common.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Reads the items of a parsed ninjs document; throws WireItemError when the document is not ninjs-shaped at all. */
export function parseNinjsDocument(doc: unknown): ItemsResult {
  let list: unknown[];
  if (Array.isArray(doc)) list = doc;
  else if (isObject(doc) && Array.isArray(doc.items)) list = doc.items;
  else if (isObject(doc)) list = [doc];
  else throw new WireItemError('ninjs document is not an object or an array of objects');
  return readEach(list, readNinjs, (item) => JSON.stringify(item) ?? String(item), (item) => (isObject(item) && typeof item.uri === 'string' ? item.uri : null));
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field that should be a string: the string, or null with a warning when it is something else. */
function str(o: JsonObject, key: string, warnings: string[]): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  warnings.push(`${key} should be a string, got ${kind(v)}; ignored`);
  return null;
}

/** A field that should be an array of objects: those objects (others dropped with a warning). */
function objects(o: JsonObject, key: string, warnings: string[]): JsonObject[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    warnings.push(`${key} should be an array, got ${kind(v)}; ignored`);
    return [];
  }
  const out = v.filter(isObject);
  if (out.length !== v.length) warnings.push(`${key} has ${v.length - out.length} entries that are not objects; ignored`);
  return out;
}

function kind(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function readNinjs(raw: unknown): WireItem {
  if (!isObject(raw)) throw new WireItemError(`ninjs item is ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}, not an object`);
  const o = raw;
  if (typeof o.uri !== 'string' || !o.uri.trim()) {
    throw new WireItemError(o.uri === undefined ? 'ninjs item has no uri' : `ninjs uri should be a string, got ${kind(o.uri)}`);
  }
  const guid = o.uri.trim();
  if (o.type !== undefined && o.type !== 'text' && o.type !== 'composite') {
    throw new WireItemError(`ninjs item of type ${JSON.stringify(o.type)} is not a text story`, guid);
  }
  const warnings: string[] = [];
  const headline = headlineOf(o, guid);
  const version = normalizeVersion(o.version, guid);
  const signals = signalsOf(o);
  const ednote = str(o, 'ednote', warnings) ?? '';
  const places = [...objects(o, 'place', warnings), ...objects(o, 'places', warnings)];
  const located = locatedOf(o.located, warnings);

  return finishItem({
    format: 'ninjs',
    guid,
    version,
    versionTime: normalizeDate(o.versioncreated, 'versioncreated', warnings),
    firstCreated: normalizeDate(o.firstcreated, 'firstcreated', warnings),
    headline,
    summary: summaryOf(o, warnings),
    byline: bylineOf(o, warnings),
    creditLine: creditOf(o, warnings),
    copyright: str(o, 'copyrightnotice', warnings) ?? str(o, 'copyrightholder', warnings),
    dateline: located,
    place: placeOf(places, located),
    agency: cleanText(str(o, 'copyrightholder', warnings)),
    body: bodyOf(o, warnings),
    language: normalizeLanguage(o.language, warnings),
    urgency: normalizeUrgency(o.urgency, warnings),
    subjects: [...objects(o, 'subject', warnings), ...objects(o, 'subjects', warnings)].map(subjectOf).filter((s): s is WireSubject => s !== null),
    embargoUntil: normalizeDate(o.embargoed, 'embargoed', warnings),
    expires: normalizeDate(o.expires, 'expires', warnings),
    pubStatus: normalizePubStatus(o.pubstatus, warnings),
    correction: signals.includes('sig:correction') || /^\s*correct(ion|s)\b/i.test(ednote),
    update: signals.includes('sig:update'),
    warnings,
  });
}

function headlineOf(o: JsonObject, guid: string): string | null {
  if (o.headline !== undefined && typeof o.headline !== 'string') {
    throw new WireItemError(`ninjs headline should be a string, got ${kind(o.headline)}`, guid);
  }
  if (typeof o.headline === 'string' && o.headline.trim()) return cleanText(o.headline);
  if (o.headlines !== undefined) {
    if (!Array.isArray(o.headlines)) throw new WireItemError(`ninjs headlines should be an array, got ${kind(o.headlines)}`, guid);
    const hs = o.headlines.filter(isObject).filter((h) => typeof h.value === 'string');
    const main = hs.find((h) => h.role === 'main') ?? hs.find((h) => h.role === undefined) ?? hs[0];
    if (main) return main.contenttype === 'text/html' ? htmlToText(String(main.value)) : cleanText(main.value);
  }
  return null;
}

function summaryOf(o: JsonObject, warnings: string[]): string | null {
  const text = str(o, 'description_text', warnings);
  if (text) return cleanText(text);
  const html = str(o, 'description_html', warnings);
  if (html) return htmlToText(html);
  const ds = objects(o, 'descriptions', warnings).filter((d) => typeof d.value === 'string');
  const d = ds.find((x) => x.role === 'summary' || x.role === 'drol:summary') ?? ds[0];
  if (!d) return null;
  return d.contenttype === 'text/html' ? htmlToText(String(d.value)) : cleanText(d.value);
}

function bylineOf(o: JsonObject, warnings: string[]): string | null {
  const single = str(o, 'byline', warnings) ?? str(o, 'by', warnings);
  if (single) return cleanText(single);
  const names = objects(o, 'bylines', warnings)
    .map((b) => cleanText(b.byline) ?? cleanText(b.name))
    .filter((n): n is string => !!n);
  return names.length ? names.join(', ') : null;
}

function creditOf(o: JsonObject, warnings: string[]): string | null {
  const explicit = str(o, 'creditline', warnings);
  if (explicit) return cleanText(explicit);
  const sources = objects(o, 'infosources', warnings)
    .map((s) => cleanText(s.name))
    .filter((n): n is string => !!n);
  if (sources.length) return sources.join(', ');
  return cleanText(str(o, 'copyrightholder', warnings));
}

function locatedOf(v: Json | undefined, warnings: string[]): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return cleanText(v);
  if (isObject(v) && typeof v.name === 'string') return cleanText(v.name);
  warnings.push(`located should be a string, got ${kind(v)}; ignored`);
  return null;
}

function placeOf(places: JsonObject[], located: string | null): WirePlace | null {
  for (const p of places) {
    const name = cleanText(p.name);
    if (name) return { name, code: cleanText(p.code) ?? cleanText(p.uri) ?? cleanText(p.literal) };
  }
  return located ? { name: located, code: null } : null;
}

function subjectOf(s: JsonObject): WireSubject | null {
  const raw = typeof s.code === 'string' ? s.code : typeof s.uri === 'string' ? s.uri : typeof s.literal === 'string' ? s.literal : null;
  let code = normalizeSubjectCode(raw);
  // 1.x puts the scheme beside a bare code: { "scheme": "http://cv.iptc.org/newscodes/mediatopic/", "code": "20000001" }
  if (code && /^\d{8}$/.test(code) && typeof s.scheme === 'string') code = normalizeSubjectCode(`${s.scheme.replace(/\/?$/, '/')}${code}`);
  const name = cleanText(s.name);
  return code || name ? { code, name } : null;
}

function signalsOf(o: JsonObject): string[] {
  const v = o.signals ?? o.signal;
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list
    .map((s) => (typeof s === 'string' ? s : isObject(s) ? (s.qcode ?? s.code ?? s.uri) : null))
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.toLowerCase().replace(/^https?:\/\/cv\.iptc\.org\/newscodes\/signal\//, 'sig:'))
    .map((s) => (s.startsWith('sig:') ? s : `sig:${s}`));
}

function bodyOf(o: JsonObject, warnings: string[]) {
  const html = str(o, 'body_html', warnings);
  if (html) return htmlToBody(html);
  const text = str(o, 'body_text', warnings);
  if (text) return textToBody(text);
  const bodies = objects(o, 'bodies', warnings).filter((b) => typeof b.value === 'string');
  const htmlBody = bodies.find((b) => b.contenttype === 'text/html' || b.contenttype === 'application/xhtml+xml');
  if (htmlBody) return htmlToBody(String(htmlBody.value));
  if (bodies[0]) return textToBody(String(bodies[0].value));
  return { type: 'doc' as const, content: [] };
}
