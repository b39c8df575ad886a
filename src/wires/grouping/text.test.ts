import { describe, expect, it } from 'vitest';
import { hash32, jaccard, shingleHashes, shingles, words } from './text.js';

describe('words for similarity', () => {
  it('lower-cases, folds compatibility forms and drops punctuation and stopwords', () => {
    expect(words('The Mayor said: “Ｆｉｒｅ at Pier 9!”')).toEqual(['mayor', 'fire', 'pier', '9']);
    expect(words('L’incendie de l’entrepôt, selon les pompiers')).toEqual(['incendie', 'entrepôt', 'pompiers']);
    expect(words('El fuego y las llamas')).toEqual(['fuego', 'llamas']);
  });

  it('keeps Arabic letters and drops optional short vowels and tatweel, so vocalized and plain spellings match', () => {
    expect(words('افتتاح سدّ وادي الريحـان في إقليم')).toEqual(words('افتتاح سد وادي الريحان في إقليم'));
    expect(words('حريق في السوق')).toEqual(['حريق', 'السوق']);
  });

  it('keeps negations and numbers, and can keep stopwords', () => {
    expect(words('He will not resign in 2026')).toEqual(['will', 'not', 'resign', '2026']);
    expect(words('the fire', { keepStopwords: true })).toEqual(['the', 'fire']);
  });
});

describe('shingles', () => {
  it('are the distinct runs of k words', () => {
    expect(shingles(['a1', 'b2', 'c3', 'a1', 'b2'], 2)).toEqual(['a1 b2', 'b2 c3', 'c3 a1']);
    expect(shingles(['only'], 3)).toEqual(['only']);
    expect(shingles([], 2)).toEqual([]);
    expect(() => shingles(['x'], 0)).toThrow(RangeError);
  });

  it('hash the same way every time, and exact Jaccard counts shared shingles', () => {
    expect(hash32('port halden')).toBe(hash32('port halden'));
    expect(hash32('port halden')).not.toBe(hash32('port haldem'));
    const a = shingleHashes('fire at the port of Halden', 1);
    const b = shingleHashes('fire at the harbour of Halden', 1);
    // {fire, port, halden} and {fire, harbour, halden}: 2 shared of 4.
    expect(jaccard(a, b)).toBeCloseTo(0.5);
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(new Uint32Array(0), new Uint32Array(0))).toBe(0);
  });
});
