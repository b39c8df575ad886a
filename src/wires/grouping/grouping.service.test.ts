/**
 * Grouping in the database, at ingest: the written examples
 * (test/fixtures/wires/grouping/examples.json) pushed as ninjs through the
 * ingest service in time order, as an agency would send them, on SQLite and
 * (DATABASE_URL) PostgreSQL.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/helpers/db.js';
import { EventBus } from '../../platform/events.js';
import { createWireService, type WireProviderRow, type WireService } from '../wire.service.js';
import { storedGroupSource } from './grouping.service.js';

interface ExampleItem {
  provider: string;
  guid: string;
  time: string;
  headline: string;
  text: string;
}
interface ExamplePair {
  name: string;
  kind: 'rewrite' | 'version' | 'distinct';
  expect: 'group' | 'apart';
  a: ExampleItem;
  b: ExampleItem;
}

const { pairs } = JSON.parse(fs.readFileSync(new URL('../../../test/fixtures/wires/grouping/examples.json', import.meta.url), 'utf8')) as { pairs: ExamplePair[] };

let t: TestDb;
let wires: WireService;
let clock = new Date('2026-01-01T00:00:00Z');
const providers = new Map<string, WireProviderRow>();

const ninjs = (x: ExampleItem, version: number, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ uri: x.guid, version: String(version), versioncreated: x.time, headline: x.headline, body_text: x.text, language: 'en', ...extra }));

async function providerFor(name: string): Promise<WireProviderRow> {
  let p = providers.get(name);
  if (!p) {
    p = (await wires.createProvider({ name, credit: name, format: 'ninjs', transport: 'push' })).provider;
    providers.set(name, p);
  }
  return p;
}

async function itemRow(provider: string, guid: string) {
  const p = await providerFor(provider);
  return t.db.kysely.selectFrom('wire_items').selectAll().where('provider_id', '=', p.id).where('guid', '=', guid).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestDb();
  wires = createWireService({ db: t.db.kysely, events: new EventBus(), now: () => clock });
  // Every distinct item of the examples once, oldest first; later times of one guid are its next versions.
  const items = new Map<string, ExampleItem>();
  for (const p of pairs) for (const x of [p.a, p.b]) items.set(`${x.provider}/${x.guid}@${x.time}`, x);
  const versions = new Map<string, number>();
  for (const x of [...items.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time))) {
    const key = `${x.provider}/${x.guid}`;
    const version = (versions.get(key) ?? 0) + 1;
    versions.set(key, version);
    clock = new Date(x.time);
    const counts = await wires.ingest(await providerFor(x.provider), ninjs(x, version), 'application/ninjs+json');
    expect(counts.quarantined).toBe(0);
  }
});
afterAll(async () => t?.destroy());

describe('wire stories stored at ingest', () => {
  it('groups the same event across agencies and keeps different events apart (precision and recall printed)', async () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const wrong: string[] = [];
    for (const p of pairs) {
      const [a, b] = [await itemRow(p.a.provider, p.a.guid), await itemRow(p.b.provider, p.b.guid)];
      expect(a.group_id).not.toBeNull();
      const grouped = a.group_id === b.group_id;
      if (grouped && p.expect === 'group') tp++;
      else if (grouped) fp++;
      else if (p.expect === 'group') fn++;
      if (grouped !== (p.expect === 'group')) wrong.push(p.name);
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`wire grouping through the database (${t.db.dialect}) on ${pairs.length} example pairs: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}${wrong.length ? `; wrong: ${wrong.join('; ')}` : ''}`);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps every group\'s counts true to its items', async () => {
    const groups = await t.db.kysely.selectFrom('wire_groups').selectAll().execute();
    const items = await t.db.kysely.selectFrom('wire_items').select(['id', 'provider_id', 'group_id']).execute();
    expect(items.every((i) => i.group_id !== null)).toBe(true);
    for (const g of groups) {
      const mine = items.filter((i) => i.group_id === g.id);
      expect({ items: g.item_count, providers: g.provider_count }).toEqual({ items: mine.length, providers: new Set(mine.map((i) => i.provider_id)).size });
      expect(mine.map((i) => i.id)).toContain(g.representative_item_id);
    }
  });

  it('keeps a new version in its group, and the group\'s headline follows its representative', async () => {
    const fire = pairs.find((p) => p.name === 'warehouse fire, two agencies')!;
    const a = await itemRow(fire.a.provider, fire.a.guid);
    const before = (await wires.grouping.group(a.group_id!)).group;
    expect(before.representative_item_id).toBe(a.id);
    clock = new Date('2026-03-04T09:00:00Z');
    // A correction with a rewritten text: grouping follows the guid, not the words.
    const v2 = { ...fire.a, time: clock.toISOString(), headline: 'Warehouse fire: investigators name faulty wiring', text: 'Investigators blamed faulty wiring.' };
    expect(await wires.ingest(await providerFor(fire.a.provider), ninjs(v2, a.version + 1), null)).toMatchObject({ updated: 1 });
    const after = await itemRow(fire.a.provider, fire.a.guid);
    expect(after.group_id).toBe(a.group_id);
    const { group } = await wires.grouping.group(a.group_id!);
    expect(group).toMatchObject({ headline: v2.headline, item_count: before.item_count, last_seen_at: clock.toISOString() });
  });

  it('lists wire stories newest activity first, in keyset pages, each with its items', async () => {
    const all: number[] = [];
    let before: { at: string; id: number } | undefined;
    for (;;) {
      const page = await wires.grouping.list({ limit: 5, ...(before ? { before } : {}) });
      for (const g of page) expect(g.items.length).toBe(g.group.item_count);
      all.push(...page.map((g) => g.group.id));
      if (page.length < 5) break;
      const last = page[page.length - 1]!.group;
      before = { at: last.last_seen_at, id: last.id };
    }
    const groups = await t.db.kysely.selectFrom('wire_groups').select(['id', 'last_seen_at']).orderBy('last_seen_at', 'desc').orderBy('id', 'desc').execute();
    expect(all).toEqual(groups.map((g) => g.id));
    const multi = await wires.grouping.list({ limit: 100, minItems: 2 });
    expect(multi.length).toBeGreaterThan(5);
    expect(multi.every((g) => g.items.length >= 2)).toBe(true);

    // What the desk's group view reads: the same order, the representative item first.
    const desk = await storedGroupSource(wires.grouping).listGroups({ limit: 100 });
    expect(desk.map((g) => Number(g.id))).toEqual(groups.slice(0, 100).map((g) => g.id));
    const reps = new Map((await t.db.kysely.selectFrom('wire_groups').select(['id', 'representative_item_id']).execute()).map((g) => [String(g.id), g.representative_item_id]));
    expect(desk.every((g) => g.itemIds[0] === reps.get(g.id))).toBe(true);
  });

  it('puts similar items stored at the same moment by concurrent transactions into one group', async () => {
    const rewrites = pairs.filter((p) => p.kind === 'rewrite' && p.a.provider !== p.b.provider).slice(0, 8);
    clock = new Date('2026-12-01T12:00:00Z');
    const [one, two] = [await providerFor('concurrent-a'), await providerFor('concurrent-b')];
    // Both agencies' items of each event at once (PostgreSQL runs them on separate connections).
    await Promise.all(rewrites.flatMap((p, n) => [
      wires.ingest(one, ninjs({ ...p.a, guid: `c-${n}-a`, time: clock.toISOString() }, 1), null),
      wires.ingest(two, ninjs({ ...p.b, guid: `c-${n}-b`, time: clock.toISOString() }, 1), null),
    ]));
    for (let n = 0; n < rewrites.length; n++) {
      const [a, b] = [await itemRow('concurrent-a', `c-${n}-a`), await itemRow('concurrent-b', `c-${n}-b`)];
      expect(a.group_id, rewrites[n]!.name).toBe(b.group_id);
    }
  });

  it('counts a story again when an agency is removed, and drops the stories left empty', async () => {
    const fire = pairs.find((p) => p.name === 'warehouse fire, two agencies')!;
    const [a, b] = [await itemRow(fire.a.provider, fire.a.guid), await itemRow(fire.b.provider, fire.b.guid)];
    const before = (await wires.grouping.group(b.group_id!)).group;
    expect(before.representative_item_id).toBe(a.id);
    const onlyMeridian = await t.db.kysely.selectFrom('wire_groups').select('id').where('representative_item_id', 'in',
      t.db.kysely.selectFrom('wire_items').select('id').where('provider_id', '=', (await providerFor('meridian')).id)).where('item_count', '=', 1).execute();
    expect(onlyMeridian.length).toBeGreaterThan(0);

    await wires.removeProvider((await providerFor('meridian')).id);
    const { group, items } = await wires.grouping.group(b.group_id!);
    expect(items.map((i) => i.id)).not.toContain(a.id);
    expect(group).toMatchObject({ item_count: items.length, representative_item_id: items[0]!.id, headline: items[0]!.headline });
    expect(group.item_count).toBe(before.item_count - 1);
    expect(await t.db.kysely.selectFrom('wire_groups').select('id').where('id', 'in', onlyMeridian.map((g) => g.id)).execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom('wire_groups').select('id').where('item_count', '=', 0).execute()).toEqual([]);
  });
});
