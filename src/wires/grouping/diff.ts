/**
 * What each version of a wire story adds, in a shape a page can render.
 *
 * - `diffVersions(previous, next)`: successive versions of one item, sentence
 *   by sentence (the `diff` package's array diff over sentences); a removed
 *   sentence followed by a similar added one is shown as one changed sentence
 *   with its words marked (an array diff over the words), so "6.2 percent" → "6.4 percent" reads
 *   as a two-word change rather than a paragraph out and a paragraph in.
 * - `agencyContributions(items)`: two agencies' rewrites share facts but hardly
 *   any sentences, so a sentence diff between them is all red and green. For
 *   each item this marks instead the words no other item in the group has and
 *   the sentences made mostly of them: what that agency's version adds.
 *
 * Pure functions, no I/O.
 */
import { diffArrays } from 'diff';
import { words } from './text.js';

export interface WordPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export type SentenceSegment =
  | { kind: 'same' | 'added' | 'removed'; text: string }
  | { kind: 'changed'; before: string; after: string; parts: WordPart[] };

export interface VersionDiff {
  /** The headline's words, marked; null when it did not change. */
  headline: WordPart[] | null;
  segments: SentenceSegment[];
  counts: { added: number; removed: number; changed: number; same: number };
}

export interface Contribution<Id> {
  id: Id;
  provider: string;
  /** The item's sentences, in order, with the words no other item has marked `novel`. */
  sentences: Array<{ text: string; novel: boolean; parts: Array<{ text: string; novel: boolean }> }>;
  /** The sentences made mostly of new material: what this version adds. */
  adds: string[];
}

/** A removed and an added sentence sharing at least this share of their words are one changed sentence. */
const CHANGED_SENTENCE_SIMILARITY = 0.4;
/** A sentence is new material when at least this share of its words are in no other version. */
const NOVEL_SENTENCE_SHARE = 0.5;

/** Splits text into sentences at . ! ? … and the Arabic question mark (closing quotes stay with their sentence), and at line breaks. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?؟…]["'”’»)]*)\s+(?=\S)/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function wordSimilarity(a: string, b: string): number {
  const x = new Set(words(a));
  const y = new Set(words(b));
  if (x.size === 0 && y.size === 0) return a.trim() === b.trim() ? 1 : 0;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return common / (x.size + y.size - common);
}

/**
 * Word by word, where a word is everything between spaces: "6.2" → "6.4" and
 * "January." stay whole (the `diff` package's own word diff splits at the dot).
 */
function wordParts(before: string, after: string): WordPart[] {
  const tokens = (s: string) => s.split(/(\s+)/u).filter(Boolean);
  const changes = diffArrays(tokens(before), tokens(after));
  // A lone space between two changes joins them, so "as phone sales slump" → "union threatens strike"
  // reads as one replaced phrase rather than four interleaved words.
  const out: WordPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) out.push({ kind: 'removed', text: removed });
    if (added) out.push({ kind: 'added', text: added });
    removed = added = '';
  };
  changes.forEach((c, i) => {
    const text = c.value.join('');
    if (c.removed) removed += text;
    else if (c.added) added += text;
    else if ((removed || added) && /^\s+$/u.test(text) && changes[i + 1] && (changes[i + 1]!.added || changes[i + 1]!.removed)) {
      if (removed) removed += text;
      if (added) added += text;
    } else {
      flush();
      out.push({ kind: 'same', text });
    }
  });
  flush();
  return out;
}

/** Pairs a run of removed sentences with the run of added ones that replaced it, keeping both orders. */
function pairRuns(removed: string[], added: string[], out: SentenceSegment[]): void {
  let i = 0;
  let j = 0;
  while (i < removed.length && j < added.length) {
    const r = removed[i]!;
    const a = added[j]!;
    if (wordSimilarity(r, a) >= CHANGED_SENTENCE_SIMILARITY) {
      out.push({ kind: 'changed', before: r, after: a, parts: wordParts(r, a) });
      i++;
      j++;
    } else if (j + 1 < added.length && wordSimilarity(r, added[j + 1]!) >= CHANGED_SENTENCE_SIMILARITY) {
      out.push({ kind: 'added', text: a });
      j++;
    } else {
      out.push({ kind: 'removed', text: r });
      i++;
    }
  }
  for (; i < removed.length; i++) out.push({ kind: 'removed', text: removed[i]! });
  for (; j < added.length; j++) out.push({ kind: 'added', text: added[j]! });
}

/** Successive versions of one item compared: headline by words, body by sentences and words inside changed sentences. */
export function diffVersions(previous: { headline: string; text: string }, next: { headline: string; text: string }): VersionDiff {
  const segments: SentenceSegment[] = [];
  let removed: string[] = [];
  for (const change of diffArrays(splitSentences(previous.text), splitSentences(next.text))) {
    if (change.removed) {
      removed.push(...change.value);
      continue;
    }
    if (change.added) {
      pairRuns(removed, change.value, segments);
    } else {
      pairRuns(removed, [], segments);
      for (const text of change.value) segments.push({ kind: 'same', text });
    }
    removed = [];
  }
  pairRuns(removed, [], segments);

  const counts = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const s of segments) counts[s.kind]++;
  const headline = previous.headline.trim() === next.headline.trim() ? null : wordParts(previous.headline, next.headline);
  return { headline, segments, counts };
}

/** For each item of a group, the words and sentences no other item of the group has. */
export function agencyContributions<Id>(items: ReadonlyArray<{ id: Id; provider: string; headline: string; text: string }>): Array<Contribution<Id>> {
  const vocab = items.map((it) => new Set(words(`${it.headline} ${it.text}`)));
  return items.map((item, n) => {
    const others = new Set<string>();
    vocab.forEach((v, m) => {
      if (m !== n) for (const w of v) others.add(w);
    });
    const sentences = splitSentences(item.text).map((text) => {
      // Words and the spaces and punctuation between them, each marked novel when none of its words is elsewhere.
      const parts: Array<{ text: string; novel: boolean }> = [];
      let content = 0;
      let novelCount = 0;
      for (const token of text.split(/(\s+)/u)) {
        const ws = words(token);
        const novel = ws.length > 0 && ws.every((w) => !others.has(w));
        content += ws.length > 0 ? 1 : 0;
        novelCount += novel ? 1 : 0;
        const last = parts[parts.length - 1];
        // Spaces and stopwords take the marking of what comes before them, so a marked run reads as a phrase.
        if (last && (ws.length === 0 || last.novel === novel)) last.text += token;
        else parts.push({ text: token, novel });
      }
      return { text, novel: content > 0 && novelCount / content >= NOVEL_SENTENCE_SHARE, parts };
    });
    return { id: item.id, provider: item.provider, sentences, adds: sentences.filter((s) => s.novel).map((s) => s.text) };
  });
}
