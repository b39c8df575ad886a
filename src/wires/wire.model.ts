/**
 * The wire item as the desk sees it, whichever agency format it came in.
 * Each parser in ./formats maps its own fields onto this one shape; nothing
 * downstream (storage, grouping, the desk, "Use this") looks at the raw
 * format again except to show it in the quarantine.
 *
 * Field mapping per format is in the README section "Wire formats".
 */
import type { BodyDoc } from '../content/body.js';

/** The formats we read. `rss` and `atom` are one parser; the item says which it was. */
export type WireFormat = 'rss' | 'atom' | 'ninjs' | 'newsml-g2' | 'nitf';

export const WIRE_FORMATS: readonly WireFormat[] = ['rss', 'atom', 'ninjs', 'newsml-g2', 'nitf'];

/** IPTC publication status (NewsML-G2 `stat:*`, ninjs `pubstatus`, NITF `management-status`). */
export type PubStatus = 'usable' | 'withheld' | 'canceled';

/**
 * What this version says about the ones before it. `kill` is a canceled item;
 * `correction` and `update` come from the agency's own signal (NewsML-G2
 * `sig:correction` / `sig:update`, NITF `<correction>`), or `update` is
 * inferred from a version number above 1.
 */
export type WireSignal = 'update' | 'correction' | 'kill';

export interface WireSubject {
  /**
   * A qualified code: `medtop:20000001` for an IPTC Media Topic,
   * `subj:04000000` for an old IPTC Subject Code, the agency's own qcode as it
   * is otherwise; null for a free keyword or category.
   */
  code: string | null;
  /** The label as the agency gave it, when it did. */
  name: string | null;
}

export interface WirePlace {
  name: string;
  /** A code or URI for the place when the agency gave one (e.g. `geo:2643743`). */
  code: string | null;
}

export interface WireItem {
  format: WireFormat;
  /** The agency's identifier, stable across versions (NewsML-G2 guid, ninjs uri, RSS guid/link, Atom id, NITF du-key/doc-id). */
  guid: string;
  /** Whole number >= 1. Formats without versions (RSS, Atom) say 1; their versions differ by `versionTime`. */
  version: number;
  /** When this version was made (ISO 8601, UTC), or null when the item does not say. */
  versionTime: string | null;
  /** When the first version was made, when the item says. */
  firstCreated: string | null;
  headline: string;
  /** A short summary (RSS description next to a full content:encoded, ninjs description, G2 drol:summary). */
  summary: string | null;
  byline: string | null;
  /** The credit the agency asks for ("Meridian Press"), from credit line, distributor or info source. */
  creditLine: string | null;
  copyright: string | null;
  /** The dateline as written ("HARBOUR CITY, June 2"). */
  dateline: string | null;
  /** Where the story is located, when the item names it. */
  place: WirePlace | null;
  /** The agency as the item names itself (G2 provider, NITF distributor, feed title), not our provider configuration. */
  agency: string | null;
  /** The story in our body format (see content/body.ts): only our allowlisted nodes, safe links. */
  body: BodyDoc;
  /** BCP 47 tag (`en`, `en-GB`, `fr-CA`), or null when the item does not say or says something invalid. */
  language: string | null;
  /** 1 (flash) to 9 (lowest), or null when the item gives none. */
  urgency: number | null;
  subjects: WireSubject[];
  /** Not to be published before this time (ISO 8601, UTC). */
  embargoUntil: string | null;
  /** Not to be used after this time, when the agency says (NITF date.expire, ninjs expires). */
  expires: string | null;
  pubStatus: PubStatus;
  signal: WireSignal | null;
  /** The version this one replaces, when it is an update, correction or kill of an earlier one. */
  previousVersion: number | null;
  /** The item's web page, when it has one (RSS link, Atom alternate link). */
  url: string | null;
  /** Optional fields that were present but unusable, so an editor or operator can see what was ignored. */
  warnings: string[];
}

/** An item (or a whole document) that could not be read: kept with its raw payload for the quarantine. */
export interface RejectedItem {
  reason: string;
  /** The item's raw text as it arrived (for XML, the item's element; for ninjs, its JSON). */
  raw: string;
  /** The item's guid when it could still be read, so a retry can be matched up. */
  guid: string | null;
}

/**
 * The result of parsing one document (a feed, a news message, a ninjs file).
 * A document that cannot be read at all (malformed, DTD, too big) is `ok: false`
 * and goes to the quarantine whole; otherwise each item is read on its own and
 * the bad ones are listed in `rejected`, so one bad item never stops a batch.
 */
export type WireParseResult =
  | { ok: true; format: WireFormat; items: WireItem[]; rejected: RejectedItem[] }
  | { ok: false; format: WireFormat | null; reason: string; raw: string };

/** An error a parser throws for one item; the batch catches it and quarantines the item. */
export class WireItemError extends Error {
  constructor(
    message: string,
    readonly guid: string | null = null,
  ) {
    super(message);
    this.name = 'WireItemError';
  }
}

/** The agency's 1–9 urgency, or null (with a warning) when it is anything else. */
export function normalizeUrgency(raw: unknown, warnings: string[]): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 9) return n;
  warnings.push(`urgency ${JSON.stringify(raw)} is not a whole number from 1 to 9; ignored`);
  return null;
}

/** A BCP 47 tag in canonical case (`en_gb` → `en-GB`), or null with a warning. */
export function normalizeLanguage(raw: unknown, warnings: string[]): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') {
    warnings.push(`language ${JSON.stringify(raw)} is not a string; ignored`);
    return null;
  }
  try {
    const [tag] = Intl.getCanonicalLocales(raw.trim().replace(/_/g, '-'));
    if (tag) return tag;
  } catch {
    /* not a language tag */
  }
  warnings.push(`language ${JSON.stringify(raw)} is not a BCP 47 tag; ignored`);
  return null;
}

/**
 * A version number: a whole number >= 1 (ninjs sends it as a string); 1 when
 * absent. Anything else rejects the item: the version decides whether an
 * item is new, so a guess could drop a real update as a duplicate.
 */
export function normalizeVersion(raw: unknown, guid: string | null): number {
  if (raw === undefined || raw === null || raw === '') return 1;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isSafeInteger(n) && n >= 1) return n;
  throw new WireItemError(`version ${JSON.stringify(raw)} is not a whole number from 1`, guid);
}

/** `usable` unless the item says `withheld` or `canceled` (with or without the G2 `stat:` prefix). */
export function normalizePubStatus(raw: unknown, warnings: string[]): PubStatus {
  if (raw === undefined || raw === null || raw === '') return 'usable';
  const s = typeof raw === 'string' ? raw.trim().toLowerCase().replace(/^stat:/, '') : '';
  if (s === 'usable' || s === 'withheld' || s === 'canceled') return s;
  if (s === 'cancelled' || s === 'killed' || s === 'kill') return 'canceled';
  warnings.push(`publication status ${JSON.stringify(raw)} is unknown; read as usable`);
  return 'usable';
}

const BASIC_ISO = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date-time in ISO 8601 UTC, from ISO 8601 (extended or NITF's basic
 * `20250602T101500Z`) or RFC 822 (RSS); null with a warning when unreadable.
 * A time without a zone is read as UTC, which is what the agencies mean.
 */
export function normalizeDate(raw: unknown, field: string, warnings: string[]): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') {
    warnings.push(`${field} ${JSON.stringify(raw)} is not a date; ignored`);
    return null;
  }
  let s = raw.trim();
  const basic = BASIC_ISO.exec(s);
  if (basic) {
    const [, y, mo, d, h = '00', mi = '00', sec = '00', zone = 'Z'] = basic;
    const z = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    s = `${y}-${mo}-${d}T${h}:${mi}:${sec}${z}`;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) {
    s += 'Z';
  }
  const t = Date.parse(s);
  if (Number.isNaN(t)) {
    warnings.push(`${field} ${JSON.stringify(raw)} is not a date; ignored`);
    return null;
  }
  return new Date(t).toISOString();
}

const MEDIA_TOPIC_URI = /^https?:\/\/cv\.iptc\.org\/newscodes\/mediatopic\/(\d{8})\/?$/i;
const SUBJECT_CODE_URI = /^https?:\/\/cv\.iptc\.org\/newscodes\/subjectcode\/(\d{8})\/?$/i;

/** A subject code as a qcode: IPTC URIs become `medtop:`/`subj:`; other codes are kept as given. */
export function normalizeSubjectCode(raw: string | null | undefined): string | null {
  const s = raw?.trim();
  if (!s) return null;
  const medtop = MEDIA_TOPIC_URI.exec(s);
  if (medtop) return `medtop:${medtop[1]}`;
  const subj = SUBJECT_CODE_URI.exec(s);
  if (subj) return `subj:${subj[1]}`;
  const q = /^(medtop|subj):(\d{8})$/i.exec(s);
  if (q) return `${q[1]!.toLowerCase()}:${q[2]}`;
  return s;
}

/** Whether a subject is an IPTC Media Topic (the codes the desk filters and suggests sections on). */
export function isMediaTopic(subject: WireSubject): boolean {
  return subject.code?.startsWith('medtop:') ?? false;
}

/** Subjects without repeats (same code, or same name when there is no code). */
export function uniqueSubjects(subjects: WireSubject[]): WireSubject[] {
  const seen = new Set<string>();
  return subjects.filter((s) => {
    const key = s.code ?? `name:${s.name?.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The signal and previous version, from what the item says explicitly and what
 * its status and version imply: a canceled item is a kill whatever else it
 * says; an explicit correction wins over an update; a version above 1 without
 * a signal is an update of the one before.
 */
export function deriveSignal(input: {
  pubStatus: PubStatus;
  version: number;
  correction?: boolean;
  update?: boolean;
  previousVersion?: number | null;
}): { signal: WireSignal | null; previousVersion: number | null } {
  const implied = input.version > 1 ? input.version - 1 : null;
  const previousVersion = input.previousVersion ?? implied;
  if (input.pubStatus === 'canceled') return { signal: 'kill', previousVersion };
  if (input.correction) return { signal: 'correction', previousVersion };
  if (input.update || input.version > 1) return { signal: 'update', previousVersion };
  return { signal: null, previousVersion: input.previousVersion ?? null };
}

/** Collapses whitespace and trims; null for empty. */
export function cleanText(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.replace(/\s+/g, ' ').trim();
  return s || null;
}
