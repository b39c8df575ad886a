/**
 * NITF 3.x documents (one story per document).
 *
 * head/docdata: du-key@key (else doc-id@id-string) → guid; du-key@version
 * (else @generation) → version; urgency@ed-urg → urgency; date.issue@norm →
 * versionTime; date.release@norm → embargo (when in the future of the issue
 * date, it is what NITF has for one); date.expire@norm → expires;
 * @management-status → status; correction → a correction signal;
 * doc.copyright → copyright; evloc → place; key-list keywords and
 * tobject.subject (IPTC subject codes, or Media Topics) → subjects;
 * body.head: hedline/hl1 (else head/title) → headline, hedline/hl2 or
 * abstract → summary, byline, distributor → credit line and agency,
 * dateline (location/city → place when there is no evloc);
 * body.content → body; xml:lang on nitf, head or body → language.
 */
import { xmlToBody } from '../html-body.js';
import {
  normalizeDate,
  normalizeLanguage,
  normalizePubStatus,
  normalizeSubjectCode,
  normalizeUrgency,
  normalizeVersion,
  WireItemError,
  type WireItem,
  type WireSubject,
} from '../wire.model.js';
import { attr, child, children, path, serializeXml, textOf, type XmlElement } from '../xml.js';
import { finishItem, readEach, type ItemsResult } from './common.js';

export function parseNitf(root: XmlElement): ItemsResult {
  if (root.local !== 'nitf') throw new WireItemError(`root element <${root.name}> is not <nitf>`);
  return readEach([root], readNitf, serializeXml, guidOf);
}

function guidOf(nitf: XmlElement): string | null {
  const docdata = path(nitf, 'head', 'docdata');
  return attr(child(docdata, 'du-key'), 'key') ?? attr(child(docdata, 'doc-id'), 'id-string');
}

function readNitf(nitf: XmlElement): WireItem {
  const warnings: string[] = [];
  const head = child(nitf, 'head');
  const docdata = child(head, 'docdata');
  const body = child(nitf, 'body');
  const bodyHead = child(body, 'body.head');
  const duKey = child(docdata, 'du-key');
  const hedline = child(bodyHead, 'hedline');
  const dateline = child(bodyHead, 'dateline');
  const evloc = child(docdata, 'evloc');

  const status = attr(docdata, 'management-status');
  const issued = normalizeDate(attr(child(docdata, 'date.issue'), 'norm'), 'date.issue', warnings);
  const distributor = textOf(child(bodyHead, 'distributor'));

  return finishItem({
    format: 'nitf',
    guid: guidOf(nitf),
    version: normalizeVersion(attr(duKey, 'version') ?? attr(duKey, 'generation'), guidOf(nitf)),
    versionTime: issued,
    headline: textOf(child(hedline, 'hl1')) ?? textOf(child(head, 'title')),
    summary: textOf(child(hedline, 'hl2')) ?? textOf(child(bodyHead, 'abstract')),
    byline: bylineOf(child(bodyHead, 'byline')),
    creditLine: distributor,
    copyright: copyrightOf(child(docdata, 'doc.copyright')),
    dateline: textOf(dateline),
    place: placeOf(evloc, dateline),
    agency: distributor,
    body: xmlToBody(child(body, 'body.content')?.children ?? []),
    language: normalizeLanguage(attr(nitf, 'lang') ?? attr(head, 'lang') ?? attr(body, 'lang'), warnings),
    urgency: normalizeUrgency(attr(child(docdata, 'urgency'), 'ed-urg'), warnings),
    subjects: subjectsOf(head, docdata),
    embargoUntil: normalizeDate(attr(child(docdata, 'date.release'), 'norm'), 'date.release', warnings),
    expires: normalizeDate(attr(child(docdata, 'date.expire'), 'norm'), 'date.expire', warnings),
    // NITF also has "embargoed" as a status: the item is usable from its release date.
    pubStatus: status?.toLowerCase() === 'embargoed' ? 'usable' : normalizePubStatus(status, warnings),
    correction: child(docdata, 'correction') !== null,
    warnings,
  });
}

/** The byline without its "By" and with the title the agency adds (byttl) kept after a comma. */
function bylineOf(el: XmlElement | null): string | null {
  const text = textOf(el);
  return text ? text.replace(/^by\s+/i, '') : null;
}

function copyrightOf(el: XmlElement | null): string | null {
  const holder = attr(el, 'holder');
  if (!holder) return null;
  const year = attr(el, 'year');
  return year ? `© ${year} ${holder}` : `© ${holder}`;
}

function placeOf(evloc: XmlElement | null, dateline: XmlElement | null) {
  const city = attr(evloc, 'city');
  if (city) return { name: city, code: attr(evloc, 'iso-cc') ?? attr(evloc, 'country-code') };
  const location = child(dateline, 'location');
  const name = textOf(child(location, 'city')) ?? textOf(location);
  return name ? { name, code: null } : null;
}

function subjectsOf(head: XmlElement | null, docdata: XmlElement | null): WireSubject[] {
  const subjects: WireSubject[] = [];
  for (const tobject of children(head, 'tobject')) {
    for (const s of children(tobject, 'tobject.subject')) {
      const ref = attr(s, 'tobject.subject.refnum');
      const code = /^\d{8}$/.test(ref ?? '') ? `subj:${ref}` : normalizeSubjectCode(ref);
      const name = attr(s, 'tobject.subject.detail') ?? attr(s, 'tobject.subject.matter') ?? attr(s, 'tobject.subject.type');
      if (code || name) subjects.push({ code, name });
    }
  }
  for (const kw of children(child(docdata, 'key-list'), 'keyword')) {
    const key = attr(kw, 'key');
    if (key) subjects.push({ code: null, name: key });
  }
  return subjects;
}
