/**
 * MinHash signatures: a fixed-size sketch of a set of shingle hashes whose
 * positions agree, between two sets, with probability equal to the sets'
 * Jaccard similarity. 128 positions give an estimate within about ±0.04 of
 * the true value at the similarities the desk cares about (σ = √(J(1−J)/128)).
 *
 * Permutation i is x ↦ fmix32(x ⊕ seedᵢ): xor with a constant and MurmurHash3's
 * finalizer are both bijections on 32-bit integers, so each is a true
 * permutation, and it costs a handful of integer operations. The seeds are
 * fixed: a signature stored today compares with one computed next year.
 *
 * Stored as 4 bytes per position, little-endian (512 bytes for 128; 684
 * characters of base64), so a database can keep it as a BLOB/bytea or text.
 */
import { fmix32 } from './text.js';

export const NUM_PERMUTATIONS = 128;

/** Deterministic per-permutation seeds (golden-ratio steps through fmix32). */
const SEEDS = Uint32Array.from({ length: NUM_PERMUTATIONS }, (_, i) => fmix32(Math.imul(i + 1, 0x9e3779b9)));

/** The MinHash signature of a set of 32-bit hashes (an empty set gives all 0xffffffff: compare only non-empty sets). */
export function minhash(hashes: ArrayLike<number>): Uint32Array {
  const sig = new Uint32Array(NUM_PERMUTATIONS).fill(0xffffffff);
  for (let n = 0; n < hashes.length; n++) {
    const x = hashes[n]!;
    for (let i = 0; i < NUM_PERMUTATIONS; i++) {
      const h = fmix32(x ^ SEEDS[i]!);
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

/** The share of positions where two signatures agree: an unbiased estimate of the sets' Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new RangeError(`signatures differ in length (${a.length} and ${b.length})`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? 0 : same / a.length;
}

/** The signature as bytes (little-endian 32-bit words), for a BLOB/bytea column. */
export function signatureToBuffer(sig: Uint32Array): Buffer {
  const buf = Buffer.allocUnsafe(sig.length * 4);
  for (let i = 0; i < sig.length; i++) buf.writeUInt32LE(sig[i]!, i * 4);
  return buf;
}

/** A signature back from the bytes signatureToBuffer wrote. */
export function signatureFromBuffer(buf: Uint8Array): Uint32Array {
  if (buf.byteLength % 4 !== 0) throw new RangeError(`a signature is a whole number of 4-byte words (got ${buf.byteLength} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const sig = new Uint32Array(buf.byteLength / 4);
  for (let i = 0; i < sig.length; i++) sig[i] = view.getUint32(i * 4, true);
  return sig;
}

/** The signature as base64 text (684 characters for 128 positions). */
export function signatureToBase64(sig: Uint32Array): string {
  return signatureToBuffer(sig).toString('base64');
}

export function signatureFromBase64(text: string): Uint32Array {
  return signatureFromBuffer(Buffer.from(text, 'base64'));
}
