/**
 * What a reader types in the search box, parsed once and shared by both
 * databases: words, "quoted phrases" and -excluded words or -"phrases".
 * Every word is reduced to letters and digits, so nothing a reader types can
 * become an operator in FTS5's or PostgreSQL's query syntax.
 */

/** One thing to look for: a single word, or the words of a phrase in order. */
export type QueryItem = string[];

export interface ParsedQuery {
  /** Every item must match (each is a word or a phrase). */
  include: QueryItem[];
  /** No result may match any of these. */
  exclude: QueryItem[];
  /** The query as understood, for display: `water "ondara valley" -drought`. */
  normalized: string;
}

export type QueryProblemCode = 'empty' | 'too_long' | 'no_words' | 'only_common_words' | 'only_exclusions' | 'too_many_terms';

export interface QueryProblem {
  code: QueryProblemCode;
  /** A sentence a reader can act on. */
  message: string;
}

export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; problem: QueryProblem };

export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_TERMS = 12;

/**
 * Words too common to find anything by (PostgreSQL's English list, which its
 * search drops too). SQLite's tokenizer keeps them, so they are dropped here
 * for both, except inside phrases where their position matters.
 */
const STOPWORDS = new Set(
  ("i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself " +
    "they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having " +
    "do does did doing a an the and but if or because as until while of at by for with about against between into through during before " +
    "after above below to from up down in out on off over under again further then once here there when where why how all any both each " +
    "few more most other some such no nor not only own same so than too very s t can will just don should now").split(' '),
);

/** Letters (with their combining marks) and digits: the characters both tokenizers keep. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function wordsOf(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((w) => w.normalize('NFC'));
}

function show(item: QueryItem, quoted: boolean): string {
  return quoted || item.length > 1 ? `"${item.join(' ')}"` : item[0]!;
}

/** Parses a reader's query, or says plainly what is wrong with it. */
export function parseQuery(raw: string): ParseResult {
  const text = raw.trim();
  if (!text) {
    return { ok: false, problem: { code: 'empty', message: 'Type a word or two to search for, for example a place, a person or a topic.' } };
  }
  if (text.length > MAX_QUERY_LENGTH) {
    return {
      ok: false,
      problem: { code: 'too_long', message: `That search is too long (${text.length} characters). Use at most ${MAX_QUERY_LENGTH} characters: a few distinctive words work best.` },
    };
  }

  const include: QueryItem[] = [];
  const exclude: QueryItem[] = [];
  const shown: string[] = [];
  let sawWords = false;
  // A quoted phrase (the closing quote may be missing), or a run of non-space characters.
  const TOKEN = /(-?)"([^"]*)"?|(\S+)/g;
  for (const m of text.matchAll(TOKEN)) {
    const phrase = m[2];
    let bare = m[3];
    let negated = m[1] === '-';
    if (bare !== undefined && bare.startsWith('-') && bare.length > 1) {
      negated = true;
      bare = bare.slice(1);
    }
    const words = wordsOf(phrase ?? bare ?? '');
    if (!words.length) continue;
    sawWords = true;
    const quoted = phrase !== undefined;
    // A lone common word finds everything (or, in PostgreSQL, nothing): leave it out.
    if (!quoted && words.length === 1 && STOPWORDS.has(words[0]!)) continue;
    const target = negated ? exclude : include;
    if (target.some((item) => item.join(' ') === words.join(' '))) continue;
    target.push(words);
    shown.push((negated ? '-' : '') + show(words, quoted));
  }

  if (!sawWords) {
    return { ok: false, problem: { code: 'no_words', message: 'That search has no words in it, only symbols. Try a word or two, for example a place or a name.' } };
  }
  if (!include.length && !exclude.length) {
    return { ok: false, problem: { code: 'only_common_words', message: 'Those words are too common to search for. Add a more distinctive word, such as a place, a name or a topic.' } };
  }
  if (!include.length) {
    return { ok: false, problem: { code: 'only_exclusions', message: 'A search needs at least one word to look for, not only words to leave out (-word).' } };
  }
  if (include.length + exclude.length > MAX_QUERY_TERMS) {
    return { ok: false, problem: { code: 'too_many_terms', message: `That search has too many words and phrases (${include.length + exclude.length}). Use at most ${MAX_QUERY_TERMS}.` } };
  }
  return { ok: true, query: { include, exclude, normalized: shown.join(' ') } };
}

/** FTS5 MATCH syntax: every item a quoted string (a word or a phrase), excluded ones after NOT. */
export function toFts5(q: ParsedQuery): string {
  const item = (words: QueryItem) => `"${words.join(' ')}"`;
  const positive = `(${q.include.map(item).join(' AND ')})`;
  return q.exclude.length ? `${positive} NOT ${q.exclude.map(item).join(' NOT ')}` : positive;
}

/**
 * PostgreSQL's websearch_to_tsquery syntax. Words are letters and digits only,
 * so the only operators are the ones written here; "or" never reaches it as a
 * bare word because it is a stop word.
 */
export function toWebsearch(q: ParsedQuery): string {
  const item = (words: QueryItem) => (words.length > 1 ? `"${words.join(' ')}"` : words[0]!);
  return [...q.include.map(item), ...q.exclude.map((w) => `-${item(w)}`)].join(' ');
}
