/**
 * IPTC NewsML-G2 news items, alone or in a newsMessage's itemSet.
 *
 * newsItem@guid and @version → guid and version; itemMeta: versionCreated,
 * firstCreated, embargoed, pubStatus (stat:usable | stat:withheld |
 * stat:canceled), signal (sig:update, sig:correction), provider → agency,
 * link rel="irel:previousVersion" @version → previousVersion;
 * contentMeta: urgency, headline (the main one), by, creditline, dateline,
 * located (name and qcode) → place, subject (@qcode or @uri, name) →
 * subjects, language@tag (else newsItem@xml:lang), description (summary);
 * rightsInfo: copyrightNotice (else copyrightHolder) → copyright;
 * contentSet: the first inlineXML (XHTML body, or NITF body.content) else
 * inlineData as plain text → body.
 */
import { textToBody, xmlToBody } from '../html-body.js';
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
  type WireSubject,
} from '../wire.model.js';
import { attr, child, children, path, rawTextOf, serializeXml, textOf, type XmlElement, type XmlNode } from '../xml.js';
import { finishItem, readEach, type ItemsResult } from './common.js';

export function parseNewsMlG2(root: XmlElement): ItemsResult {
  let items: XmlElement[];
  if (root.local === 'newsItem') items = [root];
  else if (root.local === 'newsMessage') {
    // Anything in the itemSet that is not a newsItem (packageItem, conceptItem) is listed as rejected, not lost.
    items = children(child(root, 'itemSet'));
  } else throw new WireItemError(`root element <${root.name}> is not a NewsML-G2 newsItem or newsMessage`);
  return readEach(items, readNewsItem, serializeXml, (el) => attr(el, 'guid'));
}

function readNewsItem(el: XmlElement): WireItem {
  const guid = attr(el, 'guid');
  if (el.local !== 'newsItem') throw new WireItemError(`<${el.name}> is not a newsItem; only news items are read`, guid);
  const warnings: string[] = [];
  const meta = child(el, 'itemMeta');
  const content = child(el, 'contentMeta');
  const rights = child(el, 'rightsInfo');

  const signals = children(meta, 'signal').map((s) => attr(s, 'qcode')?.toLowerCase() ?? '');
  const previous = children(meta, 'link').find((l) => /previousversion/i.test(attr(l, 'rel') ?? ''));
  const located = child(content, 'located');

  return finishItem({
    format: 'newsml-g2',
    guid,
    version: normalizeVersion(attr(el, 'version'), guid),
    versionTime: normalizeDate(textOf(child(meta, 'versionCreated')), 'versionCreated', warnings),
    firstCreated: normalizeDate(textOf(child(meta, 'firstCreated')), 'firstCreated', warnings),
    headline: mainOf(children(content, 'headline'), 'hld:main'),
    summary: mainOf(children(content, 'description'), 'drol:summary'),
    byline: textOf(child(content, 'by')),
    creditLine: textOf(child(content, 'creditline')),
    copyright: textOf(child(rights, 'copyrightNotice')) ?? nameOf(child(rights, 'copyrightHolder')),
    dateline: textOf(child(content, 'dateline')),
    place: located ? placeOf(located) : null,
    agency: nameOf(child(meta, 'provider')),
    body: bodyOf(child(el, 'contentSet')),
    language: normalizeLanguage(attr(child(content, 'language'), 'tag') ?? attr(el, 'lang'), warnings),
    urgency: normalizeUrgency(textOf(child(content, 'urgency')), warnings),
    subjects: children(content, 'subject').map(subjectOf).filter((s): s is WireSubject => s !== null),
    embargoUntil: normalizeDate(textOf(child(meta, 'embargoed')), 'embargoed', warnings),
    pubStatus: normalizePubStatus(attr(child(meta, 'pubStatus'), 'qcode'), warnings),
    correction: signals.includes('sig:correction'),
    update: signals.includes('sig:update'),
    previousVersion: previous ? normalizePrevious(attr(previous, 'version')) : null,
    warnings,
  });
}

/** The element with the given role, else one with no role, else the first. */
function mainOf(els: XmlElement[], role: string): string | null {
  const pick = els.find((e) => attr(e, 'role') === role) ?? els.find((e) => !attr(e, 'role')) ?? els[0];
  return textOf(pick);
}

/** A G2 "flex party": a name child, or a literal, or a qcode. */
function nameOf(el: XmlElement | null): string | null {
  if (!el) return null;
  return textOf(child(el, 'name')) ?? attr(el, 'literal') ?? cleanText(textOf(el)) ?? attr(el, 'qcode');
}

function placeOf(el: XmlElement) {
  const name = textOf(child(el, 'name')) ?? attr(el, 'literal');
  const code = attr(el, 'qcode') ?? attr(el, 'uri');
  return name ? { name, code } : null;
}

function subjectOf(el: XmlElement): WireSubject | null {
  const code = normalizeSubjectCode(attr(el, 'qcode') ?? attr(el, 'uri'));
  const name = textOf(child(el, 'name'));
  return code || name ? { code, name } : null;
}

function normalizePrevious(raw: string | null): number | null {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

function bodyOf(contentSet: XmlElement | null) {
  const inline = child(contentSet, 'inlineXML');
  if (inline) {
    const html = child(inline, 'html');
    const nitfBody = path(child(inline, 'nitf'), 'body', 'body.content');
    const nodes: XmlNode[] = html ? (child(html, 'body')?.children ?? []) : nitfBody ? nitfBody.children : inline.children;
    return xmlToBody(nodes);
  }
  const data = child(contentSet, 'inlineData');
  if (data) return textToBody(rawTextOf(data));
  return { type: 'doc' as const, content: [] };
}
