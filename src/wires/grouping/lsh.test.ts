import { describe, expect, it } from 'vitest';
import { bandKeys, candidateProbability, LSH_BANDS, LSH_ROWS, LshIndex } from './lsh.js';
import { minhash, NUM_PERMUTATIONS } from './minhash.js';

const set = (from: number, n: number) => Uint32Array.from({ length: n }, (_, i) => (from + i) * 2654435761);

describe('LSH banding', () => {
  it('uses the signature within its length, with an S-curve high at the grouping threshold and low for unrelated copy', () => {
    expect(LSH_BANDS * LSH_ROWS).toBeLessThanOrEqual(NUM_PERMUTATIONS);
    expect(candidateProbability(0.35)).toBeGreaterThan(0.99);
    expect(candidateProbability(0.22)).toBeGreaterThan(0.85);
    expect(candidateProbability(0.03)).toBeLessThan(0.05);
  });

  it('gives one stable, short band key per band that identical signatures share', () => {
    const sig = minhash(set(0, 50));
    const keys = bandKeys(sig);
    expect(keys).toHaveLength(LSH_BANDS);
    expect(new Set(keys).size).toBe(LSH_BANDS);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{10}$/);
    expect(keys[0]!.slice(0, 2)).toBe('00');
    expect(bandKeys(minhash(set(0, 50)))).toEqual(keys);
    const unrelated = new Set(bandKeys(minhash(set(1000, 50))));
    expect(keys.filter((k) => unrelated.has(k))).toEqual([]);
  });

  it('finds similar items, not unrelated ones, and forgets removed ones', () => {
    const index = new LshIndex<string>();
    index.add('base', minhash(set(0, 100)));
    index.add('near', minhash(set(10, 100))); // Jaccard 90/110 ≈ 0.82
    index.add('far', minhash(set(5000, 100)));
    expect(index.query(minhash(set(5, 100))).sort()).toEqual(['base', 'near']);
    expect(index.remove('near')).toBe(true);
    expect(index.remove('near')).toBe(false);
    expect(index.query(minhash(set(5, 100)))).toEqual(['base']);
    expect(index.size).toBe(2);
    // Re-adding an id replaces its entry.
    index.add('base', minhash(set(5000, 100)));
    expect(index.query(minhash(set(5, 100)))).toEqual([]);
    expect(index.query(minhash(set(5000, 100))).sort()).toEqual(['base', 'far']);
  });

  it('stays correct through growth and compaction', () => {
    const index = new LshIndex<number>();
    for (let i = 0; i < 5000; i++) index.add(i, minhash(set(i * 1000, 30)));
    for (let i = 0; i < 5000; i += 2) index.remove(i);
    expect(index.size).toBe(2500);
    for (const i of [1, 2, 2501, 4999]) {
      expect(index.query(minhash(set(i * 1000, 30)))).toEqual(i % 2 ? [i] : []);
    }
  });
});

describe('LSH partitions', () => {
  it('finds an item only in the partitions it is filed under', () => {
    const index = new LshIndex<string>();
    const sig = minhash(set(0, 60));
    index.add('monday', sig, 9000);
    index.add('last-month', sig, 8990);
    expect(index.query(sig, [8999, 9000, 9001])).toEqual(['monday']);
    expect(index.query(sig, [8990])).toEqual(['last-month']);
    expect(index.query(sig)).toEqual([]);
  });
});
