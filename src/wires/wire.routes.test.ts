import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { countRows } from '../../test/helpers/db.js';
import { signPush } from './wire-push.routes.js';

let t: TestApp;
let staff: Record<'contributor' | 'editor' | 'admin' | 'reader', SignedIn>;
let secret: string;

beforeAll(async () => {
  t = await startTestApp();
  staff = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor', admin: 'admin', reader: 'reader' });
  const made = await t.api<{ secret: string; provider: { pushPath: string } }>('POST', '/api/admin/wires/providers', {
    as: staff.admin, body: { name: 'meridian', credit: 'Meridian Press', format: 'ninjs', transport: 'push' },
  });
  expect(made.status).toBe(201);
  expect(made.body!.provider.pushPath).toBe('/api/wires/meridian');
  secret = made.body!.secret;
});
afterAll(async () => t?.close());

const doc = (uri: string, version = 1, headline = 'Harbour bridge reopens') =>
  JSON.stringify({ uri, version: String(version), headline, body_text: `${headline}. More text.`, language: 'en', urgency: 3, subject: [{ uri: 'http://cv.iptc.org/newscodes/mediatopic/20000002', name: 'arts' }] });

function push(body: string, headers: Record<string, string | undefined>) {
  return t.app.inject({
    method: 'POST', url: '/api/wires/meridian', payload: body,
    headers: Object.fromEntries(Object.entries({ 'content-type': 'application/ninjs+json', ...headers }).filter(([, v]) => v !== undefined)) as Record<string, string>,
  });
}
const nowSeconds = () => Math.floor(Date.now() / 1000);
const signed = (body: string, ts = nowSeconds(), key = secret) => ({ 'x-dispatch-timestamp': String(ts), 'x-dispatch-signature': signPush(key, ts, body) });

describe('the push endpoint', () => {
  it('stores a signed push, and a re-signed retry of it once', async () => {
    const body = doc('urn:push:1');
    const first = await push(body, signed(body));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stored: 1, updated: 0, duplicates: 0, quarantined: 0 });
    const again = await push(body, signed(body, nowSeconds() + 1));
    expect(again.json()).toEqual({ stored: 0, updated: 0, duplicates: 1, quarantined: 0 });
    const v2 = doc('urn:push:1', 2, 'Harbour bridge reopens to traffic');
    expect((await push(v2, signed(v2))).json()).toMatchObject({ updated: 1 });
    expect(await countRows(t.db.kysely, 'wire_items')).toBe(1);
    expect(await countRows(t.db.kysely, 'wire_item_versions')).toBe(2);
  });

  it.each([
    ['unsigned', () => ({}), 401, 'signature_required'],
    ['signed with another key', (b: string) => signed(b, nowSeconds(), 'not the secret'), 401, 'bad_signature'],
    ['signed over another body', () => signed(doc('urn:other')), 401, 'bad_signature'],
    ['stale (10 minutes old)', (b: string) => signed(b, nowSeconds() - 600), 401, 'stale_timestamp'],
    ['from the future', (b: string) => signed(b, nowSeconds() + 600), 401, 'stale_timestamp'],
    ['with a timestamp that is not a number', (b: string) => ({ ...signed(b), 'x-dispatch-timestamp': 'yesterday' }), 401, 'bad_timestamp'],
  ])('refuses a push %s, storing nothing', async (_what, headers, status, code) => {
    const body = doc(`urn:refused:${code}`);
    const before = { items: await countRows(t.db.kysely, 'wire_items'), q: await countRows(t.db.kysely, 'wire_quarantine') };
    const res = await push(body, headers(body));
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toMatch(/Nothing was stored/);
    expect(await countRows(t.db.kysely, 'wire_items')).toBe(before.items);
    expect(await countRows(t.db.kysely, 'wire_quarantine')).toBe(before.q);
  });

  it('refuses a replayed push (the same signature) with 409, storing nothing more', async () => {
    const body = doc('urn:replay:1');
    const headers = signed(body);
    expect((await push(body, headers)).statusCode).toBe(200);
    const versions = await countRows(t.db.kysely, 'wire_item_versions');
    const replay = await push(body, headers);
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error.code).toBe('replayed');
    expect(await countRows(t.db.kysely, 'wire_item_versions')).toBe(versions);
  });

  it('answers 404 for a provider that does not take pushes, and quarantines an unreadable signed body', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/wires/nobody', payload: '{}', headers: { 'content-type': 'application/json' } })).statusCode).toBe(404);
    const body = '{"uri": "urn:broken", ';
    const res = await push(body, signed(body));
    expect(res.json()).toEqual({ stored: 0, updated: 0, duplicates: 0, quarantined: 1 });
  });

  it('is in the OpenAPI document under the wires tag', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { tags: string[] }>> };
    expect(spec.paths['/api/wires/{provider}']!.post!.tags).toEqual(['wires']);
    expect(spec.paths['/api/admin/wires/items']!.get!.tags).toEqual(['wires']);
  });
});

describe('the admin API of the wire desk', () => {
  it('lets admins only manage providers; staff read their status', async () => {
    const body = { name: 'northwind', credit: 'Northwind', format: 'rss', transport: 'http', url: 'https://feeds.example.org/rss' };
    for (const who of ['contributor', 'editor'] as const) expect((await t.api('POST', '/api/admin/wires/providers', { as: staff[who], body })).status).toBe(403);
    expect((await t.api('POST', '/api/admin/wires/providers', { as: staff.reader, body })).status).toBe(403);
    expect((await t.api('POST', '/api/admin/wires/providers', { body })).status).toBe(401);
    const made = await t.api<{ provider: { id: number }; secret: null }>('POST', '/api/admin/wires/providers', { as: staff.admin, body });
    expect(made.status).toBe(201);
    expect(made.body!.secret).toBeNull();
    const list = await t.api<{ providers: Array<{ name: string; status: { itemsLastHour: number } }> }>('GET', '/api/admin/wires/providers', { as: staff.contributor });
    expect(list.status).toBe(200);
    expect(list.body!.providers.find((p) => p.name === 'meridian')!.status.itemsLastHour).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect((await t.api('PATCH', `/api/admin/wires/providers/${made.body!.provider.id}`, { as: staff.editor, body: { enabled: false } })).status).toBe(403);
    expect((await t.api('PATCH', `/api/admin/wires/providers/${made.body!.provider.id}`, { as: staff.admin, body: { enabled: false } })).status).toBe(200);
    expect((await t.api('DELETE', `/api/admin/wires/providers/${made.body!.provider.id}`, { as: staff.admin })).status).toBe(204);
  });

  it('lists the queue newest first with filters and keyset pages, and an item with all its versions', async () => {
    for (let i = 0; i < 3; i++) {
      const body = doc(`urn:queue:${i}`, 1, `Queue story ${i}`);
      await push(body, signed(body));
    }
    type Items = { items: Array<{ id: number; guid: string; headline: string; urgency: number; provider: { name: string } }>; next: string | null };
    const page1 = await t.api<Items>('GET', '/api/admin/wires/items?limit=2&q=queue', { as: staff.contributor });
    expect(page1.status).toBe(200);
    expect(page1.body!.items.map((i) => i.headline)).toEqual(['Queue story 2', 'Queue story 1']);
    const page2 = await t.api<Items>('GET', `/api/admin/wires/items?limit=2&q=queue&before=${page1.body!.next}`, { as: staff.contributor });
    expect(page2.body!.items.map((i) => i.headline)).toEqual(['Queue story 0']);
    expect(page2.body!.next).toBeNull();
    expect((await t.api<Items>('GET', '/api/admin/wires/items?subject=medtop:20000002&provider=meridian&urgency=3&language=en', { as: staff.editor })).body!.items.length).toBeGreaterThanOrEqual(3);
    expect((await t.api<Items>('GET', '/api/admin/wires/items?killed=true', { as: staff.editor })).body!.items).toEqual([]);
    expect((await t.api('GET', '/api/admin/wires/items', { as: staff.reader })).status).toBe(403);

    const updated = (await t.api<Items>('GET', '/api/admin/wires/items?q=harbour', { as: staff.contributor })).body!.items.find((i) => i.guid === 'urn:push:1')!;
    const detail = await t.api<{ item: { version: number; versions: number }; versions: Array<{ seq: number; item: { headline: string } }> }>('GET', `/api/admin/wires/items/${updated.id}`, { as: staff.contributor });
    expect(detail.body!.item).toMatchObject({ version: 2, versions: 2 });
    expect(detail.body!.versions.map((v) => v.item.headline)).toEqual(['Harbour bridge reopens', 'Harbour bridge reopens to traffic']);
  });

  it('lets editors and admins, not contributors, work the quarantine', async () => {
    type Entries = { entries: Array<{ id: number; reason: string; raw: string; status: string }> };
    expect((await t.api('GET', '/api/admin/wires/quarantine', { as: staff.contributor })).status).toBe(403);
    const list = await t.api<Entries>('GET', '/api/admin/wires/quarantine?status=open', { as: staff.editor });
    const entry = list.body!.entries.find((e) => e.raw.includes('urn:broken'))!;
    expect(entry.reason).toMatch(/JSON/);
    expect((await t.api('POST', `/api/admin/wires/quarantine/${entry.id}/discard`, { as: staff.contributor })).status).toBe(403);
    const retry = await t.api<{ resolved: boolean }>('POST', `/api/admin/wires/quarantine/${entry.id}/retry`, { as: staff.editor });
    expect(retry.body).toMatchObject({ resolved: false });
    const discarded = await t.api<{ status: string }>('POST', `/api/admin/wires/quarantine/${entry.id}/discard`, { as: staff.admin });
    expect(discarded.body!.status).toBe('discarded');
    expect((await t.api('POST', `/api/admin/wires/quarantine/${entry.id}/discard`, { as: staff.admin })).status).toBe(409);
  });
});
