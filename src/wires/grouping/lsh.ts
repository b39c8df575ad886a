/**
 * Locality-sensitive hashing over MinHash signatures: the signature is cut into
 * b bands of r positions; two items become candidates when all r positions of
 * at least one band agree. For items of Jaccard similarity s that happens with
 * probability
 *
 *     P(s) = 1 − (1 − s^r)^b
 *
 * an S-curve whose steep part sits near (1/b)^(1/r). We verify candidates at an
 * exact word-set Jaccard of 0.22 (group.ts), and the lowest similarity among
 * the written examples of one event told by two agencies is about 0.35, so the
 * curve must already be high at 0.22 and low for unrelated copy (s ≈ 0.02–0.05):
 *
 *     b × r     P(0.05)  P(0.22)  P(0.35)   steep near
 *     32 × 4    0.0002   0.07     0.33      0.42   too strict: misses rewrites
 *     42 × 3    0.005    0.37     0.85      0.29   misses a sixth of rewrites
 *     48 × 2    0.11     0.91     0.998     0.14   ← chosen
 *     64 × 2    0.15     0.96     0.9996    0.13   a third more memory and candidates
 *
 * 48 × 2 uses 96 of the signature's 128 positions (the rest sharpen the
 * Jaccard estimate). The price is a candidate set of a few percent of the
 * index for ordinary copy, which exact verification dismisses in microseconds.
 *
 * Each band's rows hash to one 32-bit band hash. `bandKeys` spells them as
 * short strings so a database can keep one row per (item, band key) with an
 * index on the key and find candidates with `WHERE band_key IN (…)`; the
 * in-memory index below does the same with typed arrays: every (item, band)
 * posting is a node in a chained hash table (8 bytes a posting, 384 an item
 * at 48 bands, plus the chain heads and spare capacity: 65 MB at 100,000
 * items, with no per-entry JavaScript objects).
 */
import { fmix32 } from './text.js';
import { NUM_PERMUTATIONS } from './minhash.js';

export const LSH_BANDS = 48;
export const LSH_ROWS = 2;

const BAND_SEEDS = Uint32Array.from({ length: LSH_BANDS }, (_, j) => fmix32(Math.imul(j + 1, 0x85ebca6b) ^ 0x5bd1e995));

/** Probability that two items of Jaccard similarity s share at least one band. */
export function candidateProbability(s: number, bands = LSH_BANDS, rows = LSH_ROWS): number {
  return 1 - (1 - s ** rows) ** bands;
}

/** The signature's band hashes, one 32-bit value per band (the band's index is mixed in). */
export function bandHashes(sig: Uint32Array): Uint32Array {
  if (sig.length < LSH_BANDS * LSH_ROWS || sig.length !== NUM_PERMUTATIONS) {
    throw new RangeError(`a signature has ${NUM_PERMUTATIONS} positions (got ${sig.length})`);
  }
  const out = new Uint32Array(LSH_BANDS);
  for (let j = 0; j < LSH_BANDS; j++) {
    let h = BAND_SEEDS[j]!;
    for (let r = 0; r < LSH_ROWS; r++) h = fmix32(h ^ sig[j * LSH_ROWS + r]!);
    out[j] = h;
  }
  return out;
}

/**
 * The band keys a database stores for an item: two hex digits of band number
 * and eight of band hash ("07a41c9e2b"). Items that share any key are candidates.
 */
export function bandKeys(sig: Uint32Array): string[] {
  return Array.from(bandHashes(sig), (h, j) => j.toString(16).padStart(2, '0') + h.toString(16).padStart(8, '0'));
}

/** A band hash as filed under a partition (partition 0 leaves it as it is). */
function filed(h: number, partition: number): number {
  return partition === 0 ? h : fmix32(h ^ Math.imul(partition, 0x9e3779b1));
}

/**
 * An in-memory LSH index of item ids. Removal marks an item dead; its postings
 * are dropped at the next rebuild (when the table grows, or when the dead
 * outnumber the living).
 *
 * Items can be filed under a partition (grouping uses one per time window of
 * 72 hours) and looked up in a few partitions only, so the cost of a lookup
 * follows the copy of the last few days rather than everything ever stored;
 * a database gets the same from `WHERE band_key IN (…) AND time BETWEEN …`.
 */
export class LshIndex<Id> {
  private ids: Array<Id | undefined> = [];
  private slotOf = new Map<Id, number>();
  private alive = new Uint8Array(0);
  private stamp = new Uint32Array(0);
  private generation = 0;
  /** Per posting (slot × LSH_BANDS + band): its band hash, and the next posting in its chain (−1 ends). */
  private keys = new Uint32Array(0);
  private next = new Int32Array(0);
  private heads = new Int32Array(1 << 12).fill(-1);
  private slots = 0;
  private dead = 0;

  get size(): number {
    return this.slotOf.size;
  }

  has(id: Id): boolean {
    return this.slotOf.has(id);
  }

  /** Adds an item (replacing any earlier entry for the same id), filed under a partition (a whole number). */
  add(id: Id, sig: Uint32Array, partition = 0): void {
    if (this.slotOf.has(id)) this.remove(id);
    const hashes = bandHashes(sig);
    if (this.slots === this.alive.length) this.growSlots();
    if ((this.slots + 1) * LSH_BANDS > this.heads.length * 2) this.rebuild(this.heads.length * 2);
    const slot = this.slots++;
    this.ids[slot] = id;
    this.alive[slot] = 1;
    this.slotOf.set(id, slot);
    const mask = this.heads.length - 1;
    for (let j = 0; j < LSH_BANDS; j++) {
      const p = slot * LSH_BANDS + j;
      const h = filed(hashes[j]!, partition);
      this.keys[p] = h;
      this.next[p] = this.heads[h & mask]!;
      this.heads[h & mask] = p;
    }
  }

  remove(id: Id): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.alive[slot] = 0;
    this.ids[slot] = undefined;
    this.dead++;
    if (this.dead > 1024 && this.dead > this.slotOf.size) this.rebuild(this.heads.length);
    return true;
  }

  /** The ids of living items, filed under one of the partitions, sharing at least one band with the signature, each once. */
  query(sig: Uint32Array, partitions: readonly number[] = [0]): Id[] {
    const hashes = bandHashes(sig);
    const out: Id[] = [];
    const gen = this.nextGeneration();
    const mask = this.heads.length - 1;
    for (let q = 0; q < LSH_BANDS * partitions.length; q++) {
      const j = q % LSH_BANDS;
      const h = filed(hashes[j]!, partitions[(q / LSH_BANDS) | 0]!);
      for (let p = this.heads[h & mask]!; p !== -1; p = this.next[p]!) {
        if (this.keys[p] !== h || p % LSH_BANDS !== j) continue;
        const slot = (p / LSH_BANDS) | 0;
        if (this.alive[slot] === 0 || this.stamp[slot] === gen) continue;
        this.stamp[slot] = gen;
        out.push(this.ids[slot] as Id);
      }
    }
    return out;
  }

  /** Bytes held in typed arrays (the id map and id array come on top). */
  typedArrayBytes(): number {
    return this.alive.byteLength + this.stamp.byteLength + this.keys.byteLength + this.next.byteLength + this.heads.byteLength;
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }

  private growSlots(): void {
    const cap = Math.max(1024, this.alive.length * 2);
    this.alive = grow(this.alive, cap);
    this.stamp = grow(this.stamp, cap);
    this.keys = grow(this.keys, cap * LSH_BANDS);
    this.next = grow(this.next, cap * LSH_BANDS);
  }

  /** Renumbers the living items into fresh slots and re-chains their postings into `headCount` chains. */
  private rebuild(headCount: number): void {
    const heads = new Int32Array(headCount).fill(-1);
    const mask = headCount - 1;
    const keys = new Uint32Array(this.keys.length);
    const next = new Int32Array(this.next.length);
    const alive = new Uint8Array(this.alive.length);
    const ids: Array<Id | undefined> = [];
    let slots = 0;
    for (let old = 0; old < this.slots; old++) {
      if (this.alive[old] === 0) continue;
      const slot = slots++;
      const id = this.ids[old] as Id;
      ids[slot] = id;
      alive[slot] = 1;
      this.slotOf.set(id, slot);
      for (let j = 0; j < LSH_BANDS; j++) {
        const p = slot * LSH_BANDS + j;
        const h = this.keys[old * LSH_BANDS + j]!;
        keys[p] = h;
        next[p] = heads[h & mask]!;
        heads[h & mask] = p;
      }
    }
    this.heads = heads;
    this.keys = keys;
    this.next = next;
    this.alive = alive;
    this.ids = ids;
    this.slots = slots;
    this.dead = 0;
    this.stamp.fill(0);
  }
}

function grow<T extends Uint8Array | Uint32Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
