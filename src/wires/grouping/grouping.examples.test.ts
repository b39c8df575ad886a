/**
 * The grouping threshold and shingle size, measured on the written examples
 * (test/fixtures/wires/grouping/examples.json): pairs of fictional agency items
 * that are the same story (two agencies' rewrites, successive versions) or
 * not (different events in the same place, on the same day, on the same topic).
 *
 * Every item of every pair goes through one index in time order, as at ingest,
 * so an item can also be grouped wrongly with an item of another pair; a pair
 * counts as grouped when its two items end in the same group.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignGroup, DEFAULT_GROUPING_SHINGLE_SIZE, DEFAULT_THRESHOLD, WireGroupIndex, type GroupableItem, type GroupingOptions } from './group.js';

interface ExampleItem extends Omit<GroupableItem, 'id'> {
  time: string;
}
interface ExamplePair {
  name: string;
  kind: 'rewrite' | 'version' | 'distinct';
  expect: 'group' | 'apart';
  a: ExampleItem;
  b: ExampleItem;
}

const examples = JSON.parse(fs.readFileSync(new URL('../../../test/fixtures/wires/grouping/examples.json', import.meta.url), 'utf8')) as { pairs: ExamplePair[] };
const pairs = examples.pairs;
const keyOf = (x: ExampleItem) => `${x.provider}/${x.guid}@${x.time}`;

interface Score {
  precision: number;
  recall: number;
  wrong: string[];
}

function score(opts: GroupingOptions): Score {
  const items = new Map<string, GroupableItem>();
  for (const p of pairs) for (const x of [p.a, p.b]) items.set(keyOf(x), { ...x, id: keyOf(x) });
  const index = new WireGroupIndex(opts);
  for (const item of [...items.values()].sort((x, y) => Date.parse(String(x.time)) - Date.parse(String(y.time)))) assignGroup(item, index);

  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: string[] = [];
  for (const p of pairs) {
    const grouped = index.groupOf(keyOf(p.a)) === index.groupOf(keyOf(p.b));
    if (grouped && p.expect === 'group') tp++;
    else if (grouped) fp++;
    else if (p.expect === 'group') fn++;
    if (grouped !== (p.expect === 'group')) wrong.push(p.name);
  }
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), wrong };
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(4);

describe('grouping on the written examples', () => {
  it('has enough examples of each kind', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(30);
    expect(pairs.filter((p) => p.kind === 'rewrite').length).toBeGreaterThanOrEqual(10);
    expect(pairs.filter((p) => p.kind === 'version').length).toBeGreaterThanOrEqual(5);
    expect(pairs.filter((p) => p.kind === 'distinct').length).toBeGreaterThanOrEqual(10);
  });

  it('groups the same story and keeps different events apart (precision and recall >= 0.9 at the defaults)', () => {
    const s = score({});
    console.log(
      `wire grouping on ${pairs.length} example pairs (k=${DEFAULT_GROUPING_SHINGLE_SIZE}, threshold ${DEFAULT_THRESHOLD}, exact Jaccard): ` +
        `precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}${s.wrong.length ? `; wrong: ${s.wrong.join('; ')}` : ''}`,
    );
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('also holds when candidates are verified by the MinHash estimate alone', () => {
    const s = score({ verifyBy: 'estimate' });
    console.log(`wire grouping, MinHash estimate: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}${s.wrong.length ? `; wrong: ${s.wrong.join('; ')}` : ''}`);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('measures shingle sizes and thresholds (the table behind the defaults)', () => {
    const thresholds = [0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.18, 0.22, 0.26, 0.3, 0.35];
    const lines = [`k  ${thresholds.map((t) => `  ${t.toFixed(2)}  `).join('')}   (precision/recall)`];
    const best: Record<number, number> = {};
    for (const k of [1, 2, 3]) {
      let row = `${k}  `;
      for (const threshold of thresholds) {
        const s = score({ shingleSize: k, threshold });
        row += ` ${pct(s.precision)}/${pct(s.recall)}`;
        best[k] = Math.max(best[k] ?? 0, Math.min(s.precision, s.recall));
      }
      lines.push(row);
    }
    console.log(lines.join('\n'));
    // Single words reach full marks over a wide band of thresholds; the chosen default is inside it.
    expect(best[1]).toBe(1);
    expect(score({ threshold: DEFAULT_THRESHOLD - 0.04 }).wrong).toEqual([]);
    expect(score({ threshold: DEFAULT_THRESHOLD + 0.04 }).wrong).toEqual([]);
  });

  it('never groups by similarity across more than the window, but always groups versions of one guid', () => {
    const strike = pairs.find((p) => p.name.startsWith('same event three days later'))!;
    const index = new WireGroupIndex();
    const first = assignGroup({ ...strike.a, id: 'a' }, index);
    expect(assignGroup({ ...strike.b, id: 'b' }, index).groupId).not.toBe(first.groupId);
    const wide = new WireGroupIndex({ windowMs: 7 * 24 * 3600_000 });
    const again = assignGroup({ ...strike.a, id: 'a' }, wide);
    expect(assignGroup({ ...strike.b, id: 'b' }, wide).groupId).toBe(again.groupId);

    // A version a week later with a rewritten text still joins its guid's group.
    const later = { ...strike.a, id: 'a2', time: '2026-04-09T08:00:00Z', headline: 'Port Halden terminal reopens', text: 'Work resumed at the container terminal.' };
    expect(assignGroup(later, index)).toMatchObject({ kind: 'version', groupId: first.groupId, matchedId: 'a' });
  });
});
