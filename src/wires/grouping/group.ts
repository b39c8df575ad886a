/**
 * Which wire story an incoming item belongs to, decided at ingest.
 *
 * 1. A new version of an item we already hold (same provider and guid) joins
 *    that item's group, whatever its text and time.
 * 2. Otherwise the item's fingerprint (the word set of its headline and lead,
 *    and that set's MinHash signature) is looked up in the LSH index; each
 *    candidate within the time window (72 hours by default) is verified by the
 *    exact Jaccard similarity of the two word sets, and the item joins the
 *    group of the most similar candidate at or above the threshold.
 * 3. Otherwise it starts a group of its own.
 *
 * The threshold and shingle size were chosen by measuring precision and
 * recall on the written examples in test/fixtures/wires/grouping (see
 * grouping.examples.test.ts): single words (k = 1) after stopword removal
 * separate "same event, two agencies" (lowest 0.35) from "different events,
 * same place and day" (highest 0.13) far more widely than word pairs do
 * (0.09 against 0.04), because two agencies retelling an event share its
 * names, numbers and key nouns but rarely the same pairs of words.
 *
 * No I/O here: candidates come from a CandidateSource, the in-memory
 * WireGroupIndex below or the database (group.store.ts keeps each item's
 * fingerprint and band keys, and answers with `WHERE band_key IN (…) AND
 * bucket IN (…)`); both go through verifyCandidates.
 */
import { LshIndex } from './lsh.js';
import { estimateJaccard, minhash } from './minhash.js';
import { DEFAULT_SHINGLE_SIZE, hash32, jaccard, shingles, words } from './text.js';

/** What grouping needs of a wire item (the parsers' WireItem maps to this). */
export interface GroupableItem {
  id: string | number;
  guid: string;
  provider: string;
  headline: string;
  text: string;
  time: Date | string | number;
}

export interface GroupingOptions {
  /** Exact Jaccard similarity of the word sets at or above which two items are one story (0.22). */
  threshold?: number;
  /** Items further apart than this are never grouped by similarity (72 hours). */
  windowMs?: number;
  /** Words of shingle (1: the words themselves). */
  shingleSize?: number;
  /** Words of body read after the headline: the lead, where agencies put the facts (120). */
  leadWords?: number;
  /** Verify candidates by the MinHash estimate instead of the exact word sets (what a store holding only signatures would do). */
  verifyBy?: 'exact' | 'estimate';
}

export const DEFAULT_THRESHOLD = 0.22;
export const DEFAULT_WINDOW_MS = 72 * 3600_000;
export const DEFAULT_GROUPING_SHINGLE_SIZE = DEFAULT_SHINGLE_SIZE;
export const DEFAULT_LEAD_WORDS = 120;

export interface Fingerprint {
  /** Sorted distinct shingle hashes of headline and lead. */
  shingles: Uint32Array;
  signature: Uint32Array;
}

export type GroupDecision =
  | { kind: 'version'; groupId: string; matchedId: string | number; fingerprint: Fingerprint }
  | { kind: 'similar'; groupId: string; matchedId: string | number; similarity: number; candidates: number; fingerprint: Fingerprint }
  | { kind: 'new'; candidates: number; fingerprint: Fingerprint };

interface Entry {
  groupId: string;
  time: number;
  shingles: Uint32Array;
  /** Kept only when candidates are verified by estimate (512 bytes an item the exact check does not need). */
  signature?: Uint32Array;
}

export function timeOf(t: GroupableItem['time']): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new RangeError(`item time is not a date: ${String(t)}`);
  return ms;
}

const guidKey = (item: Pick<GroupableItem, 'provider' | 'guid'>) => `${item.provider}\u0000${item.guid}`;

/** The item's fingerprint: shingles of its headline and the first words of its body, and their signature. */
export function fingerprint(item: Pick<GroupableItem, 'headline' | 'text'>, opts: GroupingOptions = {}): Fingerprint {
  const head = words(item.headline);
  const lead = words(item.text).slice(0, opts.leadWords ?? DEFAULT_LEAD_WORDS);
  const set = new Set<number>();
  // Headline and body are shingled apart, so no shingle straddles the two.
  for (const part of [head, lead]) for (const s of shingles(part, opts.shingleSize ?? DEFAULT_GROUPING_SHINGLE_SIZE)) set.add(hash32(s));
  const hashes = Uint32Array.from(set).sort();
  return { shingles: hashes, signature: minhash(hashes) };
}

/** The items grouping has seen: their groups, times and fingerprints, and the LSH index over them. */
export class WireGroupIndex implements CandidateSource {
  readonly lsh = new LshIndex<string | number>();
  private entries = new Map<string | number, Entry>();
  private versions = new Map<string, { groupId: string; id: string | number }>();

  constructor(readonly options: GroupingOptions = {}) {}

  get size(): number {
    return this.entries.size;
  }

  groupOf(id: string | number): string | undefined {
    return this.entries.get(id)?.groupId;
  }

  /** The group and latest recorded id of the provider's item with this guid, if any version was recorded. */
  earlierVersion(item: Pick<GroupableItem, 'provider' | 'guid'>): { groupId: string; id: string | number } | undefined {
    return this.versions.get(guidKey(item));
  }

  /** Records an item in a group (its fingerprint is computed unless given). */
  add(item: GroupableItem, groupId: string, fp: Fingerprint = fingerprint(item, this.options)): void {
    const time = timeOf(item.time);
    this.entries.set(item.id, { groupId, time, shingles: fp.shingles, ...(this.options.verifyBy === 'estimate' ? { signature: fp.signature } : {}) });
    this.versions.set(guidKey(item), { groupId, id: item.id });
    if (fp.shingles.length > 0) this.lsh.add(item.id, fp.signature, this.partitionOf(time));
  }

  /**
   * The LSH partition of a time: one per window length, so that everything
   * within one window of `time` is filed under its partition or a neighbour.
   */
  partitionOf(time: number): number {
    return partitionOf(time, this.options);
  }

  candidates(signature: Uint32Array, partitions: readonly number[]): Candidate[] {
    const out: Candidate[] = [];
    for (const id of this.lsh.query(signature, partitions)) {
      const e = this.entries.get(id);
      if (e) out.push({ id, ...e });
    }
    return out;
  }

  /** Forgets an item (other versions of its guid keep their group). */
  remove(id: string | number): boolean {
    this.lsh.remove(id);
    return this.entries.delete(id);
  }
}

/** A stored item that may be the same story: its group, time and fingerprint (the signature only when verifying by estimate). */
export interface Candidate {
  id: string | number;
  groupId: string;
  time: number;
  shingles: Uint32Array;
  signature?: Uint32Array | undefined;
}

/**
 * Where grouping finds what it compares an item with: the in-memory
 * WireGroupIndex, or the database (group.store.ts, the same questions as
 * `WHERE band_key IN (…) AND bucket IN (…)`). Either may answer at once or
 * with a promise; the verification below is the same for both.
 */
export interface CandidateSource {
  /** The group (and latest recorded id) of an earlier version of the provider's item with this guid. */
  earlierVersion(item: GroupableItem): { groupId: string; id: string | number } | undefined | Promise<{ groupId: string; id: string | number } | undefined>;
  /** Items filed under one of the partitions that share at least one LSH band with the signature. */
  candidates(signature: Uint32Array, partitions: readonly number[]): Candidate[] | Promise<Candidate[]>;
}

/** The LSH partition of a time: one per window length, so everything within one window of it is in its partition or a neighbour. */
export function partitionOf(time: number, opts: GroupingOptions = {}): number {
  return Math.floor(time / (opts.windowMs ?? DEFAULT_WINDOW_MS));
}

/** The partitions to look in for an item at `time`: its own and both neighbours. */
export function partitionsAround(time: number, opts: GroupingOptions = {}): number[] {
  const p = partitionOf(time, opts);
  return [p - 1, p, p + 1];
}

/** The verification step shared by every candidate source: within the window, most similar at or above the threshold. */
export function verifyCandidates(item: GroupableItem, fp: Fingerprint, candidates: readonly Candidate[], opts: GroupingOptions = {}): GroupDecision {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const window = opts.windowMs ?? DEFAULT_WINDOW_MS;
  const byEstimate = opts.verifyBy === 'estimate';
  const t = timeOf(item.time);
  let best: { id: string | number; groupId: string; similarity: number } | undefined;
  for (const e of candidates) {
    if (e.id === item.id || Math.abs(e.time - t) > window) continue;
    const similarity = byEstimate && e.signature ? estimateJaccard(fp.signature, e.signature) : jaccard(fp.shingles, e.shingles);
    if (similarity >= threshold && (!best || similarity > best.similarity)) best = { id: e.id, groupId: e.groupId, similarity };
  }
  if (!best) return { kind: 'new', candidates: candidates.length, fingerprint: fp };
  return { kind: 'similar', groupId: best.groupId, matchedId: best.id, similarity: best.similarity, candidates: candidates.length, fingerprint: fp };
}

/** The group an incoming item belongs to, from any candidate source (see groupFor for the in-memory index). */
export async function groupFrom(item: GroupableItem, source: CandidateSource, opts: GroupingOptions = {}, fp: Fingerprint = fingerprint(item, opts)): Promise<GroupDecision> {
  const earlier = await source.earlierVersion(item);
  if (earlier) return { kind: 'version', groupId: earlier.groupId, matchedId: earlier.id, fingerprint: fp };
  if (fp.shingles.length === 0) return { kind: 'new', candidates: 0, fingerprint: fp };
  return verifyCandidates(item, fp, await source.candidates(fp.signature, partitionsAround(timeOf(item.time), opts)), opts);
}

/** The group an incoming item belongs to (the index is not changed; see assignGroup). */
export function groupFor(item: GroupableItem, index: WireGroupIndex): GroupDecision {
  const opts = index.options;
  const fp = fingerprint(item, opts);
  const earlier = index.earlierVersion(item);
  if (earlier) return { kind: 'version', groupId: earlier.groupId, matchedId: earlier.id, fingerprint: fp };
  if (fp.shingles.length === 0) return { kind: 'new', candidates: 0, fingerprint: fp };
  return verifyCandidates(item, fp, index.candidates(fp.signature, partitionsAround(timeOf(item.time), opts)), opts);
}

/** groupFor, then records the item: in the group found, or in a new one named by `newGroupId` (the item's id by default). */
export function assignGroup(item: GroupableItem, index: WireGroupIndex, newGroupId: string = String(item.id)): GroupDecision & { groupId: string } {
  const decision = groupFor(item, index);
  const groupId = decision.kind === 'new' ? newGroupId : decision.groupId;
  index.add(item, groupId, decision.fingerprint);
  return { ...decision, groupId };
}
