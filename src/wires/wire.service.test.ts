import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, countRows, type TestDb } from '../../test/helpers/db.js';
import { EventBus } from '../platform/events.js';
import { createWireService, type WireProviderRow, type WireService } from './wire.service.js';
import { DEMO_PROVIDERS, readDemoFeed } from './demo/index.js';

let t: TestDb;
let wires: WireService;
const stored: number[] = [];

beforeAll(async () => {
  t = await createTestDb();
  const events = new EventBus();
  events.on('wire.item.stored', ({ itemId }) => void stored.push(itemId));
  wires = createWireService({ db: t.db.kysely, events, now: () => new Date() });
});
afterAll(async () => t?.destroy());

let n = 0;
async function provider(over: Partial<Parameters<WireService['createProvider']>[0]> = {}): Promise<WireProviderRow> {
  const { provider: p } = await wires.createProvider({ name: `agency-${++n}`, credit: 'Agency', format: 'auto', transport: 'push', ...over });
  return p;
}

const ninjs = (uri: string, version: number, headline: string, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ uri, version: String(version), versioncreated: `2026-04-20T0${version}:00:00Z`, headline, body_text: `${headline}. Text.`, language: 'en', ...extra }));

const rss = (items: Array<{ guid: string; title: string; date: string }>) => Buffer.from(
  `<rss version="2.0"><channel><title>Northwind</title>${items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><pubDate>${i.date}</pubDate><description>${i.title} text.</description></item>`).join('')}</channel></rss>`,
);

async function versionsOf(providerId: number, guid: string) {
  const item = await t.db.kysely.selectFrom('wire_items').selectAll().where('provider_id', '=', providerId).where('guid', '=', guid).executeTakeFirstOrThrow();
  const versions = await t.db.kysely.selectFrom('wire_item_versions').selectAll().where('item_id', '=', item.id).orderBy('seq').execute();
  return { item, versions };
}

describe('ingest, exactly once', () => {
  it('stores a feed polled twice once, with its versions, and announces only what is new', async () => {
    const demo = DEMO_PROVIDERS[0]!; // Meridian Press: 3 items, two of them with a second version in the same file
    const p = await provider({ format: demo.format });
    const before = stored.length;
    expect(await wires.ingest(p, readDemoFeed(demo), demo.contentType)).toEqual({ stored: 3, updated: 2, duplicates: 0, quarantined: 0 });
    expect(await wires.ingest(p, readDemoFeed(demo), demo.contentType)).toEqual({ stored: 0, updated: 0, duplicates: 5, quarantined: 0 });
    expect(stored.length - before).toBe(5);
    const items = await t.db.kysely.selectFrom('wire_items').selectAll().where('provider_id', '=', p.id).execute();
    expect(items).toHaveLength(3);
    const ferry = await versionsOf(p.id, 'urn:meridian-press:demo:ferry-fares');
    expect(ferry.item).toMatchObject({ current_seq: 2, version: 2, pubstatus: 'canceled', signal: 'kill' });
    expect(ferry.versions.map((v) => [v.seq, v.version])).toEqual([[1, 1], [2, 2]]);
    expect(JSON.parse(ferry.versions[1]!.item)).toMatchObject({ guid: 'urn:meridian-press:demo:ferry-fares', pubStatus: 'canceled' });
  });

  it('stores a new version as a version of the same item, and ignores an older or equal one', async () => {
    const p = await provider({ format: 'ninjs' });
    expect(await wires.ingest(p, ninjs('urn:x:1', 1, 'Dam opens'), 'application/json')).toMatchObject({ stored: 1 });
    // The same push, retried: the raw payload of a one-item document is kept with its version.
    expect(await wires.ingest(p, ninjs('urn:x:1', 1, 'Dam opens'), 'application/json')).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await wires.ingest(p, ninjs('urn:x:1', 3, 'Dam opens, two hurt', { urgency: 2 }), null)).toMatchObject({ updated: 1 });
    expect(await wires.ingest(p, ninjs('urn:x:1', 2, 'Dam opens (late v2)'), null)).toMatchObject({ updated: 0, duplicates: 1 });
    const { item, versions } = await versionsOf(p.id, 'urn:x:1');
    expect(item).toMatchObject({ headline: 'Dam opens, two hurt', version: 3, current_seq: 2, urgency: 2, signal: 'update' });
    expect(versions.map((v) => v.version)).toEqual([1, 3]);
    expect(versions[0]!.raw).toContain('"uri":"urn:x:1"');
  });

  it('takes an RSS item with the same guid and a later date as a new version; the same date is a duplicate', async () => {
    const p = await provider({ format: 'rss' });
    const first = [{ guid: 'nw:1', title: 'Storm warning', date: 'Mon, 20 Apr 2026 08:00:00 GMT' }];
    expect(await wires.ingest(p, rss(first), null)).toMatchObject({ stored: 1 });
    expect(await wires.ingest(p, rss(first), null)).toMatchObject({ duplicates: 1 });
    expect(await wires.ingest(p, rss([{ guid: 'nw:1', title: 'Storm warning lifted', date: 'Mon, 20 Apr 2026 09:00:00 GMT' }]), null)).toMatchObject({ updated: 1 });
    const { item, versions } = await versionsOf(p.id, 'nw:1');
    expect(item.headline).toBe('Storm warning lifted');
    expect(versions.map((v) => [v.seq, v.version])).toEqual([[1, 1], [2, 1]]);
  });

  it('stores a document ingested by several callers at once exactly once', async () => {
    const p = await provider({ format: 'ninjs' });
    const doc = Buffer.from(JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ uri: `urn:race:${i}`, version: '1', headline: `Race ${i}`, body_text: 'x' }))));
    const v2 = Buffer.from(JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ uri: `urn:race:${i}`, version: '2', headline: `Race ${i} v2`, body_text: 'x' }))));
    const results = await Promise.all([wires.ingest(p, doc, null), wires.ingest(p, doc, null), wires.ingest(p, doc, null)]);
    expect(results.reduce((s, r) => s + r.stored, 0)).toBe(20);
    const updates = await Promise.all([wires.ingest(p, v2, null), wires.ingest(p, v2, null)]);
    expect(updates.reduce((s, r) => s + r.updated, 0)).toBe(20);
    const items = await t.db.kysely.selectFrom('wire_items').select('id').where('provider_id', '=', p.id).execute();
    expect(items).toHaveLength(20);
    const versions = await t.db.kysely.selectFrom('wire_item_versions').select('id').where('item_id', 'in', items.map((i) => i.id)).execute();
    expect(versions).toHaveLength(40);
  });
});

describe('the quarantine', () => {
  it('keeps a bad item with its raw payload and reason, and stores the rest', async () => {
    const p = await provider({ format: 'rss' });
    const doc = '<rss version="2.0"><channel><title>N</title><item><guid>ok:1</guid><title>Fine</title></item><item><title></title><description></description></item><item><guid>ok:2</guid><title>Also fine</title></item></channel></rss>';
    expect(await wires.ingest(p, Buffer.from(doc), null)).toEqual({ stored: 2, updated: 0, duplicates: 0, quarantined: 1 });
    const [q] = await wires.quarantineList({ providerId: p.id, limit: 10 });
    expect(q).toMatchObject({ status: 'open', reason: 'item has no identifier (guid/uri/id)' });
    expect(q!.raw).toContain('<item>');
  });

  it('quarantines an unreadable document once, as one entry, and not again when it comes back', async () => {
    const p = await provider({ format: 'auto' });
    const bad = Buffer.from('<rss><channel><item>unclosed');
    expect(await wires.ingest(p, bad, null)).toEqual({ stored: 0, updated: 0, duplicates: 0, quarantined: 1 });
    expect(await wires.ingest(p, bad, null)).toMatchObject({ quarantined: 1 });
    const entries = await wires.quarantineList({ providerId: p.id, limit: 10 });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.raw).toBe('<rss><channel><item>unclosed');
  });

  it('retries an entry that reads now (its items stored once), and discards another', async () => {
    // A ninjs item sent to a provider configured as NITF: quarantined; once the format is fixed, a retry stores it.
    const p = await provider({ format: 'nitf' });
    expect(await wires.ingest(p, ninjs('urn:retry:1', 1, 'Bridge reopens'), 'application/json')).toMatchObject({ quarantined: 1 });
    const [entry] = await wires.quarantineList({ providerId: p.id, status: 'open', limit: 10 });
    const still = await wires.retryQuarantined(entry!.id);
    expect(still).toMatchObject({ resolved: false, quarantined: 1 });
    await wires.updateProvider(p.id, { format: 'ninjs' });
    expect(await wires.retryQuarantined(entry!.id)).toMatchObject({ resolved: true, stored: 1 });
    expect((await wires.quarantineEntry(entry!.id))!.status).toBe('retried');
    await expect(wires.retryQuarantined(entry!.id)).rejects.toMatchObject({ status: 409 });
    expect((await versionsOf(p.id, 'urn:retry:1')).versions).toHaveLength(1);

    expect(await wires.ingest(p, Buffer.from('not a feed'), null)).toMatchObject({ quarantined: 1 });
    const [other] = await wires.quarantineList({ providerId: p.id, status: 'open', limit: 10 });
    await wires.discardQuarantined(other!.id);
    expect((await wires.quarantineEntry(other!.id))!.status).toBe('discarded');
    await expect(wires.discardQuarantined(other!.id)).rejects.toMatchObject({ status: 409 });
    await expect(wires.discardQuarantined(999_999)).rejects.toMatchObject({ status: 404 });
  });

  it('retries a quarantined RSS item on its own (its feed is put back around it)', async () => {
    const p = await provider({ format: 'rss' });
    const doc = '<rss version="2.0"><channel><title>N</title><item><guid>r:1</guid><title>Ok</title><pubDate>yesterday-ish</pubDate></item><item><description/></item></channel></rss>';
    await wires.ingest(p, Buffer.from(doc), null);
    const [entry] = await wires.quarantineList({ providerId: p.id, status: 'open', limit: 10 });
    // Still no guid: it stays open, with the reason.
    expect(await wires.retryQuarantined(entry!.id)).toMatchObject({ resolved: false, reason: 'item has no identifier (guid/uri/id)' });
  });
});

describe('providers', () => {
  it('makes a push provider with a secret shown once, refuses a duplicate name, and removes it with its items', async () => {
    const made = await wires.createProvider({ name: 'Wire-Push', credit: 'Reuters', format: 'ninjs', transport: 'push' });
    expect(made.provider.name).toBe('wire-push');
    expect(made.secret).toMatch(/^[\w-]{40,}$/);
    await expect(wires.createProvider({ name: 'wire-push', credit: 'X', format: 'ninjs', transport: 'push' })).rejects.toMatchObject({ status: 409 });
    await expect(wires.createProvider({ name: 'feed', credit: 'X', format: 'rss', transport: 'http' })).rejects.toMatchObject({ status: 400 });
    await expect(wires.createProvider({ name: 'feed', credit: 'X', format: 'rss', transport: 'http', url: 'file:///etc/passwd' })).rejects.toMatchObject({ status: 400 });
    await wires.ingest(made.provider, ninjs('urn:rm:1', 1, 'Gone soon'), null);
    const items = await countRows(t.db.kysely, 'wire_items');
    await wires.removeProvider(made.provider.id);
    expect(await countRows(t.db.kysely, 'wire_items')).toBe(items - 1);
    expect(await wires.providerByName('wire-push')).toBeUndefined();
  });
});
