/**
 * The wire stories API: items pushed (signed ninjs) by two agencies about one
 * event, and one about another event, read back as groups with what each
 * agency adds, and an item's versions compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { buildStaff, type SignedIn } from '../../../test/helpers/accounts.js';
import { signPush } from '../wire-push.routes.js';

let t: TestApp;
let staff: Record<'contributor' | 'editor' | 'admin' | 'reader', SignedIn>;
const secrets = new Map<string, string>();

const FIRE_A = {
  headline: 'Fire destroys warehouse in Port Halden docks',
  text: 'A fire destroyed a timber warehouse in the docks of Port Halden early on Wednesday, the city fire service said.\n\nMore than 60 firefighters fought the blaze for five hours before bringing it under control. No one was injured, but smoke forced the closure of the eastern ring road.',
};
const FIRE_B = {
  headline: 'Blaze guts Port Halden dockside timber warehouse, no injuries',
  text: 'Sixty firefighters spent five hours battling a blaze that gutted a timber warehouse at Port Halden\'s docks on Wednesday morning. Nobody was hurt, according to fire chief Anna Velt. The eastern ring road was closed because of thick smoke. Insurers put the damage at 4 million crowns.',
};
const VOTE = {
  headline: 'Orlen council approves new tram line budget',
  text: 'The Orlen city council voted 31 to 12 on Wednesday to fund a second tram line across the river, after two years of debate over its route and cost.',
};

async function push(provider: string, uri: string, version: number, x: { headline: string; text: string }, extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({ uri, version: String(version), versioncreated: `2026-03-04T0${5 + version}:00:00Z`, headline: x.headline, body_text: x.text, language: 'en', urgency: 3, ...extra });
  const ts = Math.floor(Date.now() / 1000);
  const res = await t.app.inject({
    method: 'POST', url: `/api/wires/${provider}`, payload: body,
    headers: { 'content-type': 'application/ninjs+json', 'x-dispatch-timestamp': String(ts), 'x-dispatch-signature': signPush(secrets.get(provider)!, ts, body) },
  });
  expect(res.statusCode, res.body).toBe(200);
}

interface GroupJson {
  id: number;
  headline: string;
  itemCount: number;
  providerCount: number;
  providers: Array<{ name: string; credit: string }>;
  items: Array<{ id: number; guid: string; headline: string; version: number; urgency: number | null; embargoUntil: string | null; pubStatus: string; provider: { name: string; credit: string }; group: number }>;
}
type Items = { items: Array<{ id: number; guid: string; group: number | null }> };

beforeAll(async () => {
  t = await startTestApp();
  staff = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor', admin: 'admin', reader: 'reader' });
  for (const [name, credit] of [['meridian', 'Meridian Press'], ['northwind', 'Northwind News']]) {
    const made = await t.api<{ secret: string }>('POST', '/api/admin/wires/providers', { as: staff.admin, body: { name, credit, format: 'ninjs', transport: 'push' } });
    secrets.set(name!, made.body!.secret);
  }
  await push('meridian', 'mp-fire', 1, FIRE_A);
  await push('northwind', 'nn-fire', 1, FIRE_B, { embargoed: '2026-03-04T09:00:00Z' });
  await push('meridian', 'mp-vote', 1, VOTE);
  // A correction of the first fire item: a figure changed, a sentence added.
  await push('meridian', 'mp-fire', 2, {
    headline: FIRE_A.headline,
    text: FIRE_A.text.replace('More than 60', 'More than 80') + ' Fire chief Anna Velt said the cause was not yet known.',
  });
});
afterAll(async () => t?.close());

describe('wire stories in the admin API', () => {
  it('lists the two agencies\' items about one event as one story, newest activity first, and the other event apart', async () => {
    const res = await t.api<{ groups: GroupJson[]; next: string | null }>('GET', '/api/admin/wires/groups', { as: staff.contributor });
    expect(res.status).toBe(200);
    const [latest, ...rest] = res.body!.groups;
    // The correction was the last thing to arrive: the fire story is on top.
    expect(latest).toMatchObject({ headline: FIRE_A.headline, itemCount: 2, providerCount: 2 });
    expect(latest!.providers.map((p) => p.credit).sort()).toEqual(['Meridian Press', 'Northwind News']);
    expect(latest!.items.map((i) => [i.provider.name, i.guid, i.version])).toEqual([['meridian', 'mp-fire', 2], ['northwind', 'nn-fire', 1]]);
    expect(latest!.items[1]).toMatchObject({ embargoUntil: '2026-03-04T09:00:00.000Z', pubStatus: 'usable', urgency: 3, group: latest!.id });
    expect(rest.map((g) => [g.headline, g.itemCount])).toEqual([[VOTE.headline, 1]]);

    const multi = await t.api<{ groups: GroupJson[] }>('GET', '/api/admin/wires/groups?minItems=2', { as: staff.editor });
    expect(multi.body!.groups.map((g) => g.id)).toEqual([latest!.id]);
    const page = await t.api<{ groups: GroupJson[]; next: string | null }>('GET', '/api/admin/wires/groups?limit=1', { as: staff.editor });
    expect(page.body!.groups.map((g) => g.id)).toEqual([latest!.id]);
    const next = await t.api<{ groups: GroupJson[]; next: string | null }>('GET', `/api/admin/wires/groups?limit=1&before=${page.body!.next}`, { as: staff.editor });
    expect(next.body!.groups.map((g) => g.headline)).toEqual([VOTE.headline]);
    expect(next.body!.next).toBeNull();

    const items = await t.api<Items>('GET', `/api/admin/wires/items?group=${latest!.id}`, { as: staff.contributor });
    expect(items.body!.items.map((i) => i.guid).sort()).toEqual(['mp-fire', 'nn-fire']);
  });

  it('shows what each agency\'s version adds to the others', async () => {
    const groups = (await t.api<{ groups: GroupJson[] }>('GET', '/api/admin/wires/groups?minItems=2', { as: staff.contributor })).body!.groups;
    const res = await t.api<{ group: GroupJson; contributions: Array<{ itemId: number; provider: { name: string }; adds: string[] }> }>('GET', `/api/admin/wires/groups/${groups[0]!.id}`, { as: staff.contributor });
    expect(res.status).toBe(200);
    const northwind = res.body!.contributions.find((c) => c.provider.name === 'northwind')!;
    expect(northwind.adds).toEqual(['Insurers put the damage at 4 million crowns.']);
    const meridian = res.body!.contributions.find((c) => c.provider.name === 'meridian')!;
    expect(meridian.adds.join(' ')).not.toMatch(/Insurers/);
    expect((await t.api('GET', '/api/admin/wires/groups/999999', { as: staff.contributor })).status).toBe(404);
  });

  it('compares two versions of an item: the changed figure and the added sentence', async () => {
    const fire = (await t.api<Items>('GET', '/api/admin/wires/items?q=fire+destroys', { as: staff.contributor })).body!.items[0]!;
    type Diff = { from: { seq: number }; to: { seq: number }; headline: unknown; segments: Array<{ kind: string; text?: string; parts?: Array<{ kind: string; text: string }> }>; counts: Record<string, number> };
    const res = await t.api<Diff>('GET', `/api/admin/wires/items/${fire.id}/diff?from=1&to=2`, { as: staff.editor });
    expect(res.status).toBe(200);
    expect(res.body!).toMatchObject({ from: { seq: 1 }, to: { seq: 2 }, headline: null, counts: { added: 1, changed: 1 } });
    const changed = res.body!.segments.find((s) => s.kind === 'changed')!;
    expect(changed.parts!.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text.trim()])).toEqual([['removed', '60'], ['added', '80']]);
    expect(res.body!.segments.find((s) => s.kind === 'added')!.text).toBe('Fire chief Anna Velt said the cause was not yet known.');
    // Without from/to: the current version against the one before it.
    expect((await t.api<Diff>('GET', `/api/admin/wires/items/${fire.id}/diff`, { as: staff.editor })).body!.counts).toEqual(res.body!.counts);
    expect((await t.api('GET', `/api/admin/wires/items/${fire.id}/diff?from=2&to=1`, { as: staff.editor })).status).toBe(400);
    expect((await t.api('GET', `/api/admin/wires/items/${fire.id}/diff?from=1&to=7`, { as: staff.editor })).status).toBe(404);
  });

  it('is for staff: contributors and editors read, readers and the signed-out do not', async () => {
    const fire = (await t.api<Items>('GET', '/api/admin/wires/items?q=fire+destroys', { as: staff.admin })).body!.items[0]!;
    for (const url of ['/api/admin/wires/groups', `/api/admin/wires/groups/${fire.group}`, `/api/admin/wires/items/${fire.id}/diff`]) {
      for (const who of ['contributor', 'editor', 'admin'] as const) expect((await t.api('GET', url, { as: staff[who] })).status, `${who} ${url}`).toBe(200);
      expect((await t.api('GET', url, { as: staff.reader })).status).toBe(403);
      expect((await t.api('GET', url)).status).toBe(401);
    }
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { tags: string[] }>> };
    for (const p of ['/api/admin/wires/groups', '/api/admin/wires/groups/{id}', '/api/admin/wires/items/{id}/diff']) expect(spec.paths[p]!.get!.tags).toEqual(['wires']);
  });
});
