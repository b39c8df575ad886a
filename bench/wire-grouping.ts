/**
 * Wire grouping benchmark (not a test): `npx tsx bench/wire-grouping.ts`, and
 * the `wire-grouping` target of `npm run bench`.
 *
 * Fills an in-memory grouping index with 100,000 generated wire items (words
 * drawn from a 20,000-word generated vocabulary with Zipf–Mandelbrot
 * frequencies, weight 1/(rank + 30): the content words of news copy once the
 * stopwords, which hold the top ranks, are gone, so the commonest word is
 * about 0.5% of words; one in ten is another agency's rewrite of a recent
 * item; a thousand items a day over 100 days), then times groupFor (fingerprint, LSH
 * lookup, window filter and exact verification) for 2,000 incoming items at
 * that size: half rewrites of stored items, half new stories. Reports median
 * and p99 milliseconds per item, candidates per lookup, and the index's memory.
 * Deterministic: the same items every run.
 *
 * Environment:
 *   BENCH_GROUPING_ITEMS    stored items (100000)
 *   BENCH_GROUPING_QUERIES  timed items (2000)
 *   BENCH_GROUPING_ZIPF_OFFSET  the 30 above; 0 is plain Zipf, a much harsher case (the commonest word is 10% of words)
 * Run node with --expose-gc for a steadier memory figure (npm run bench does not; the figure is then heap growth).
 */
import { pathToFileURL } from 'node:url';
import { assignGroup, groupFor, WireGroupIndex, type GroupableItem } from '../src/wires/grouping/group.js';

export interface GroupingBenchResult {
  target: 'wire-grouping';
  storedItems: number;
  zipfOffset: number;
  queries: number;
  buildSeconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanCandidates: number;
  rewritesGrouped: number;
  newGrouped: number;
  indexMB: number;
  lshTypedArrayMB: number;
}

const SYLLABLES = 'ka ro mi te su na lo ve di sa ne ko ri ta mu be la po fi ga do ze hu ni'.split(' ');
const DAY = 24 * 3600_000;
const START = Date.parse('2026-01-01T00:00:00Z');

/** The deterministic item generator (also used by bench/wire-ingest.ts, through the database). */
export function generator(rootSeed: number, zipfOffset: number) {
  let seed = rootSeed;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => Array.from({ length: 2 + (i % 3) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]!).join('') + (i % 7));
  const cumulative = new Float64Array(vocabulary.length);
  let total = 0;
  for (let i = 0; i < vocabulary.length; i++) cumulative[i] = total += 1 / (i + 1 + zipfOffset);
  const word = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  /** Another agency's telling: keeps most of the words, reorders them, drops some and adds its own. */
  const rewrite = (text: string) => {
    const kept = text.split(' ').filter(() => rand() < 0.7);
    for (let i = kept.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [kept[i], kept[j]] = [kept[j]!, kept[i]!];
    }
    return `${kept.join(' ')} ${words(15)}`;
  };
  /**
   * Stored item i, the same every time it is asked for (so the benchmark keeps
   * no copy of the items and the memory figure is the index's): one in ten
   * retells one of the 200 items before it.
   */
  const itemAt = (i: number): GroupableItem => {
    const outer = seed;
    seed = Math.imul(i + 1, 0x9e3779b1) ^ rootSeed;
    const base = { id: i, guid: `g${i}`, provider: `p${i % 5}`, time: START + Math.floor((i / 1000) * DAY) };
    const source = i > 200 && rand() < 0.1 ? itemAt(i - 1 - Math.floor(rand() * 200)) : undefined;
    const item = source ? { ...base, headline: rewrite(source.headline), text: rewrite(source.text) } : { ...base, headline: words(8), text: words(70) };
    seed = outer;
    return item;
  };
  return { rand, words, rewrite, itemAt };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function runWireGroupingBench(
  storedItems = Number(process.env.BENCH_GROUPING_ITEMS ?? 100_000),
  queries = Number(process.env.BENCH_GROUPING_QUERIES ?? 2_000),
  zipfOffset = Number(process.env.BENCH_GROUPING_ZIPF_OFFSET ?? 30),
): GroupingBenchResult {
  const g = generator(20261129, zipfOffset);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();

  const index = new WireGroupIndex();
  const started = performance.now();
  for (let i = 0; i < storedItems; i++) assignGroup(g.itemAt(i), index);
  const buildSeconds = (performance.now() - started) / 1000;
  gc?.();
  const after = process.memoryUsage();

  // Warm the JIT on a few lookups before timing.
  for (let i = 0; i < 200; i++) groupFor({ id: -1, guid: 'warm', provider: 'w', time: START, headline: g.words(8), text: g.words(70) }, index);

  const times: number[] = [];
  let candidates = 0;
  let rewritesGrouped = 0;
  let newGrouped = 0;
  for (let q = 0; q < queries; q++) {
    const isRewrite = q % 2 === 0;
    const source = g.itemAt(Math.floor(g.rand() * storedItems));
    const item: GroupableItem = isRewrite
      ? { id: `q${q}`, guid: `q${q}`, provider: 'bench', time: Number(source.time) + 3600_000, headline: g.rewrite(source.headline), text: g.rewrite(source.text) }
      : { id: `q${q}`, guid: `q${q}`, provider: 'bench', time: Number(source.time), headline: g.words(8), text: g.words(70) };
    const t0 = performance.now();
    const d = groupFor(item, index);
    times.push(performance.now() - t0);
    candidates += d.kind === 'version' ? 0 : d.candidates;
    if (d.kind === 'similar') {
      if (isRewrite) rewritesGrouped++;
      else newGrouped++;
    }
  }
  times.sort((a, b) => a - b);
  const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  const ms = (x: number) => Math.round(x * 1000) / 1000;
  return {
    target: 'wire-grouping',
    storedItems,
    zipfOffset,
    queries,
    buildSeconds: Math.round(buildSeconds * 10) / 10,
    p50Ms: ms(percentile(times, 50)),
    p99Ms: ms(percentile(times, 99)),
    maxMs: ms(times[times.length - 1]!),
    meanCandidates: Math.round(candidates / queries),
    rewritesGrouped: Math.round((rewritesGrouped / Math.ceil(queries / 2)) * 1000) / 1000,
    newGrouped: Math.round((newGrouped / Math.floor(queries / 2)) * 1000) / 1000,
    indexMB: mb(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers),
    lshTypedArrayMB: mb(index.lsh.typedArrayBytes()),
  };
}

export function formatGroupingResult(r: GroupingBenchResult): string {
  return (
    `wire grouping at ${r.storedItems.toLocaleString('en')} stored items (Zipf offset ${r.zipfOffset}): groupFor p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms per item ` +
    `(${r.meanCandidates} LSH candidates on average); rewrites grouped ${(r.rewritesGrouped * 100).toFixed(1)}%, new stories wrongly grouped ${(r.newGrouped * 100).toFixed(1)}%; ` +
    `index ${r.indexMB} MB (LSH typed arrays ${r.lshTypedArrayMB} MB), built in ${r.buildSeconds} s`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = runWireGroupingBench();
  console.log(formatGroupingResult(r));
  console.log(JSON.stringify(r));
}
