/**
 * Text as the near-duplicate detector sees it: normalized words and the word
 * shingles (runs of k consecutive words) that MinHash samples.
 *
 * Normalization makes two agencies' spellings of the same words equal:
 * Unicode NFKC (full-width digits, ligatures and presentation forms fold to
 * their plain letters), lower case, Arabic short vowels and tatweel dropped
 * (agencies vocalize differently), and everything that is not a letter or a
 * digit of any script turned into a word break. Words of one character and
 * a short stopword list (English, French, Spanish, Arabic) are dropped: they
 * are in every story, so shingles made of them say nothing about the event.
 *
 * Pure functions, no I/O.
 */

/** Shingle size chosen by measuring precision and recall on the written examples (grouping.examples.test.ts; why in group.ts). */
export const DEFAULT_SHINGLE_SIZE = 1;

// Function words only, in the four languages the desk is most likely to see. Negations
// ("not", "pas", "no", "لا") are kept: "X will not resign" and "X will resign" differ.
const STOPWORDS = new Set(
  [
    // English
    'the an and or of to in on at by for with from as is are was were be been has have had it its this that these those',
    'he she they we you his her their our which who whom than then there also but into over after before about said says',
    // French
    'le la les un une des du de et ou au aux en dans sur par pour avec est sont été il elle ils elles qui que ce cette ces',
    'son sa ses leur leurs se ne plus été a selon dit après avant lors',
    // Spanish
    'el los las unos unas del y o al en con por para es son fue ha han su sus que se lo como este esta estos estas tras según dijo',
    // Arabic (after normalization: no short vowels)
    'في من على إلى الى عن مع أن ان إن هذا هذه ذلك التي الذي الذين وقد قد كان كانت أو او ثم حيث وفي وقال قال',
  ]
    .join(' ')
    .split(' '),
);

// Arabic harakat, superscript alef and tatweel: optional marks that agencies add or leave out.
const ARABIC_OPTIONAL = /[\u064B-\u065F\u0670\u0640]/g;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;

/** The text's words for similarity: NFKC, lower-cased, punctuation removed, stopwords dropped unless asked to keep them. */
export function words(text: string, opts: { keepStopwords?: boolean } = {}): string[] {
  const plain = text.normalize('NFKC').toLowerCase().replace(ARABIC_OPTIONAL, '').replace(NOT_WORD, ' ');
  const out: string[] = [];
  for (const w of plain.split(' ')) {
    if (w.length < 2 && !/\p{N}/u.test(w)) continue;
    if (!opts.keepStopwords && STOPWORDS.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** The distinct shingles of k consecutive words (a text shorter than k words gives one shingle of all its words). */
export function shingles(ws: readonly string[], k: number = DEFAULT_SHINGLE_SIZE): string[] {
  if (k < 1 || !Number.isInteger(k)) throw new RangeError(`shingle size must be a whole number >= 1 (got ${k})`);
  if (ws.length === 0) return [];
  if (ws.length <= k) return [ws.join(' ')];
  const seen = new Set<string>();
  for (let i = 0; i + k <= ws.length; i++) seen.add(ws.slice(i, i + k).join(' '));
  return [...seen];
}

/**
 * 32-bit FNV-1a over the string's UTF-16 code units, finished with MurmurHash3's
 * avalanche so nearby strings land far apart. Deterministic across processes and
 * machines, which stored signatures depend on.
 */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** MurmurHash3's finalizer: a bijection on 32-bit integers with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The distinct 32-bit hashes of a text's shingles, sorted ascending (what MinHash and exact Jaccard use). */
export function shingleHashes(text: string, k: number = DEFAULT_SHINGLE_SIZE): Uint32Array {
  const set = new Set<number>();
  for (const s of shingles(words(text), k)) set.add(hash32(s));
  return Uint32Array.from(set).sort();
}

/** Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted hash sets (0 when both are empty). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}
