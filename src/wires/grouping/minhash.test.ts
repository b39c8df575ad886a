import { describe, expect, it } from 'vitest';
import { estimateJaccard, minhash, NUM_PERMUTATIONS, signatureFromBase64, signatureFromBuffer, signatureToBase64, signatureToBuffer } from './minhash.js';
import { jaccard } from './text.js';

/** Sets of integers with a chosen overlap: a = [0, n), b = [n − shared, 2n − shared). */
function overlapping(n: number, shared: number): [Uint32Array, Uint32Array] {
  const a = Uint32Array.from({ length: n }, (_, i) => i * 7919 + 1);
  const b = Uint32Array.from({ length: n }, (_, i) => (i + n - shared) * 7919 + 1);
  return [a.sort(), b.sort()];
}

describe('MinHash', () => {
  it('estimates Jaccard similarity within the expected error', () => {
    for (const shared of [0, 20, 50, 80, 100]) {
      const [a, b] = overlapping(100, shared);
      const exact = jaccard(a, b);
      const sigma = Math.sqrt((exact * (1 - exact)) / NUM_PERMUTATIONS);
      expect(Math.abs(estimateJaccard(minhash(a), minhash(b)) - exact)).toBeLessThanOrEqual(3 * sigma + 1e-9);
    }
  });

  it('is deterministic and independent of the order of the set', () => {
    const [a] = overlapping(60, 0);
    const reversed = Uint32Array.from(a).reverse();
    expect(minhash(reversed)).toEqual(minhash(a));
    // A stored value: changing the seeds or the hash would make stored signatures incomparable.
    expect(minhash(Uint32Array.of(1, 2, 3))[0]).toBe(minhash(Uint32Array.of(3, 2, 1))[0]);
    expect(signatureToBase64(minhash(Uint32Array.of(42))).slice(0, 12)).toBe('BlupoGMD2grf');
  });

  it('round-trips through bytes and base64 compactly', () => {
    const sig = minhash(overlapping(40, 0)[0]);
    const buf = signatureToBuffer(sig);
    expect(buf.byteLength).toBe(NUM_PERMUTATIONS * 4);
    expect(signatureFromBuffer(buf)).toEqual(sig);
    // A Buffer sliced out of a larger pool (as database drivers return them) reads correctly.
    const pooled = Buffer.concat([Buffer.from([9, 9, 9]), buf]).subarray(3);
    expect(signatureFromBuffer(pooled)).toEqual(sig);
    const text = signatureToBase64(sig);
    expect(text.length).toBe(684);
    expect(signatureFromBase64(text)).toEqual(sig);
    expect(() => signatureFromBuffer(new Uint8Array(5))).toThrow(RangeError);
  });
});
