/**
 * What every format parser shares: reading a batch item by item (a bad item
 * is quarantined, the rest go on), and finishing a WireItem the same way
 * whatever the format (defaults, signal, subjects, headline, body check).
 */
import { bodyText, parseBodyDoc, type BodyDoc } from '../../content/body.js';
import {
  deriveSignal,
  uniqueSubjects,
  WireItemError,
  type PubStatus,
  type RejectedItem,
  type WireFormat,
  type WireItem,
  type WirePlace,
  type WireSubject,
} from '../wire.model.js';

export interface ItemsResult {
  items: WireItem[];
  rejected: RejectedItem[];
}

/** Reads each source into an item; any error rejects that one item with its raw payload and the error as the reason. */
export function readEach<T>(sources: readonly T[], read: (source: T) => WireItem, raw: (source: T) => string, guidOf: (source: T) => string | null): ItemsResult {
  const items: WireItem[] = [];
  const rejected: RejectedItem[] = [];
  for (const source of sources) {
    try {
      items.push(read(source));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      let guid: string | null = err instanceof WireItemError ? err.guid : null;
      let payload = '';
      try {
        guid ??= guidOf(source);
        payload = raw(source);
      } catch {
        /* the raw form is best effort */
      }
      rejected.push({ reason, raw: payload, guid });
    }
  }
  return { items, rejected };
}

/** What a parser knows about an item; `finishItem` fills in the rest. */
export interface ItemDraft {
  format: WireFormat;
  guid: string | null;
  version: number;
  versionTime: string | null;
  firstCreated?: string | null;
  headline: string | null;
  summary?: string | null;
  byline?: string | null;
  creditLine?: string | null;
  copyright?: string | null;
  dateline?: string | null;
  place?: WirePlace | null;
  agency?: string | null;
  body: BodyDoc;
  language: string | null;
  urgency?: number | null;
  subjects?: WireSubject[];
  embargoUntil?: string | null;
  expires?: string | null;
  pubStatus: PubStatus;
  /** The agency said this version corrects an earlier one. */
  correction?: boolean;
  /** The agency said this version updates an earlier one. */
  update?: boolean;
  previousVersion?: number | null;
  url?: string | null;
  warnings: string[];
}

const HEADLINE_FALLBACK_WORDS = 12;

/**
 * Checks the few things an item cannot do without (a guid; a headline, or
 * text to make one from) and gives the normalized item. A body that is not a
 * valid document of ours would be a bug in a converter, so it is checked here
 * too rather than trusted.
 */
export function finishItem(d: ItemDraft): WireItem {
  const guid = d.guid?.trim();
  if (!guid) throw new WireItemError('item has no identifier (guid/uri/id)');
  if (guid.length > 1000) throw new WireItemError('item identifier is longer than 1000 characters', guid.slice(0, 1000));
  try {
    parseBodyDoc(d.body);
  } catch (err) {
    throw new WireItemError(`body could not be converted: ${(err as Error).message}`, guid);
  }
  let headline = d.headline?.trim() || null;
  if (!headline) {
    const words = (d.summary || bodyText(d.body)).split(/\s+/).filter(Boolean);
    if (!words.length) throw new WireItemError('item has no headline and no text', guid);
    headline = words.slice(0, HEADLINE_FALLBACK_WORDS).join(' ') + (words.length > HEADLINE_FALLBACK_WORDS ? '…' : '');
    d.warnings.push('item has no headline; made one from its first words');
  }
  const { signal, previousVersion } = deriveSignal({
    pubStatus: d.pubStatus,
    version: d.version,
    correction: d.correction,
    update: d.update,
    previousVersion: d.previousVersion,
  });
  return {
    format: d.format,
    guid,
    version: d.version,
    versionTime: d.versionTime,
    firstCreated: d.firstCreated ?? null,
    headline,
    summary: d.summary ?? null,
    byline: d.byline ?? null,
    creditLine: d.creditLine ?? null,
    copyright: d.copyright ?? null,
    dateline: d.dateline ?? null,
    place: d.place ?? null,
    agency: d.agency ?? null,
    body: d.body,
    language: d.language,
    urgency: d.urgency ?? null,
    subjects: uniqueSubjects(d.subjects ?? []),
    embargoUntil: d.embargoUntil ?? null,
    expires: d.expires ?? null,
    pubStatus: d.pubStatus,
    signal,
    previousVersion,
    url: d.url ?? null,
    warnings: d.warnings,
  };
}

/** An http(s) URL as given, or null. */
export function httpUrl(raw: string | null | undefined): string | null {
  const s = raw?.trim();
  if (!s) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}
