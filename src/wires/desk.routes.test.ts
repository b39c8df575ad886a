/**
 * The wire desk's path to a story, through the admin API: "Use this" (credit,
 * section, standfirst, provenance), the embargo held by content's publish
 * guard (publish and schedule), kills (the alert, and the unpublish setting),
 * "update available" with its diff, and who may do what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { buildSection, publishStory } from '../../test/helpers/factories.js';
import type { WireProviderRow } from './wire.service.js';
import { SYSTEM } from '../accounts/staff.js';

let t: TestApp;
let who: Record<'reader' | 'contributor' | 'editor' | 'admin', SignedIn>;
let meridian: WireProviderRow;
let atlas: WireProviderRow;
const db = () => t.db.kysely;

const HOUR = 3600_000;
/** The app's clock runs this far ahead of the real one (the scheduler test moves it). */
let offset = 0;

function ninjs(uri: string, over: Record<string, unknown> = {}) {
  return Buffer.from(JSON.stringify({
    uri, version: '1', headline: 'Harbour derby ends in a draw', language: 'en', urgency: 4, pubstatus: 'usable',
    description_text: 'Rovers and United shared the points on Saturday.',
    body_html: '<p>HARBOUR CITY — Rovers and United drew 1-1 on Saturday.</p><p>The home side equalised in the 89th minute.</p>',
    subject: [{ code: 'medtop:15000000', name: 'sport' }],
    ...over,
  }));
}

async function ingest(p: WireProviderRow, uri: string, over: Record<string, unknown> = {}): Promise<number> {
  // Apart in time, so "newest first" is not decided by a tie within one millisecond.
  await new Promise((r) => setTimeout(r, 3));
  await t.app.deps.wires.ingest(p, ninjs(uri, over), 'application/ninjs+json');
  const row = await db().selectFrom('wire_items').select('id').where('guid', '=', uri).where('provider_id', '=', p.id).executeTakeFirstOrThrow();
  return row.id;
}

async function use(as: SignedIn, items: number[]) {
  return t.api<{ article: { id: number; headline: string; standfirst: string; credit: string | null; section: { slug: string }; status: string } }>('POST', '/api/admin/wires/use', { as, body: { items } });
}

beforeAll(async () => {
  t = await startTestApp({
    now: () => new Date(Date.now() + offset),
    seed: async ({ db: { kysely } }) => {
      for (const [i, slug] of ['world', 'politics', 'economy', 'sport', 'culture'].entries()) await buildSection(kysely, { slug, name: slug, position: i });
    },
  });
  who = await buildStaff(db(), { reader: 'reader', contributor: 'contributor', editor: 'editor', admin: 'admin' });
  meridian = (await t.app.deps.wires.createProvider({ name: 'meridian', credit: 'Meridian Press', format: 'ninjs', transport: 'push' })).provider;
  atlas = (await t.app.deps.wires.createProvider({ name: 'atlas', credit: 'Atlas Wire', format: 'ninjs', transport: 'push' })).provider;
});
afterAll(async () => t?.close());

describe('"Use this"', () => {
  it('makes a draft from one item: its headline, standfirst, body, the agency\'s credit and a section from the subjects, with provenance', async () => {
    const item = await ingest(meridian, 'urn:m:derby');
    const r = await use(who.editor, [item]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const a = r.body!.article;
    expect(a).toMatchObject({ headline: 'Harbour derby ends in a draw', standfirst: 'Rovers and United shared the points on Saturday.', credit: 'Meridian Press', status: 'draft' });
    expect(a.section.slug).toBe('sport');
    const full = await t.api<{ article: { body: { content: unknown[] } } }>('GET', `/api/admin/articles/${a.id}`, { as: who.editor });
    expect(JSON.stringify(full.body!.article.body)).toContain('equalised in the 89th minute');
    const rows = await db().selectFrom('wire_story_sources').select(['article_id', 'item_id', 'seq']).where('article_id', '=', a.id).execute();
    expect(rows).toEqual([{ article_id: a.id, item_id: item, seq: 1 }]);
  });

  it('credits "Staff, Agencies" for two providers\' items, records both, and takes the standfirst from the first paragraph when there is no summary', async () => {
    const m = await ingest(meridian, 'urn:m:budget', { headline: 'Council passes budget', description_text: undefined, body_html: '<p>The council passed its budget on Tuesday.</p><p>More.</p>', subject: [{ code: 'medtop:04000000', name: 'economy, business and finance' }] });
    const a2 = await ingest(atlas, 'urn:a:budget', { headline: 'Budget approved', subject: [{ code: null, name: 'Parliament' }] });
    const r = await use(who.contributor, [m, a2]);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body!.article).toMatchObject({ credit: 'Staff, Agencies', headline: 'Council passes budget', standfirst: 'The council passed its budget on Tuesday.' });
    expect(r.body!.article.section.slug).toBe('economy');
    const rows = await db().selectFrom('wire_story_sources').select('item_id').where('article_id', '=', r.body!.article.id).orderBy('item_id').execute();
    expect(rows.map((x) => x.item_id)).toEqual([m, a2].sort((x, y) => x - y));
  });

  it('suggests the fallback section for subjects it does not know', async () => {
    const item = await ingest(meridian, 'urn:m:odd', { subject: [{ code: 'medtop:99999999', name: 'something else' }] });
    expect((await use(who.editor, [item])).body!.article.section.slug).toBe('world');
  });

  it('is refused to readers and for an unknown item, and makes nothing', async () => {
    const item = await ingest(meridian, 'urn:m:roles');
    const before = await db().selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect((await use(who.reader, [item])).status).toBe(403);
    expect((await t.api('POST', '/api/admin/wires/use', { body: { items: [item] } })).status).toBe(401);
    expect((await use(who.editor, [999999])).status).toBe(404);
    const after = await db().selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('the embargo', () => {
  it('refuses to publish or schedule before the embargo, saying until when and whose copy, and schedules at or after it', async () => {
    const embargo = new Date(Date.now() + 3 * HOUR);
    embargo.setUTCSeconds(0, 0);
    const item = await ingest(meridian, 'urn:m:embargo', { embargoed: embargo.toISOString() });
    const id = (await use(who.editor, [item])).body!.article.id;

    const now = await t.api<{ error: { code: string; message: string } }>('POST', `/api/admin/articles/${id}/publish`, { as: who.editor });
    expect(now.status).toBe(409);
    expect(now.body!.error.code).toBe('embargoed');
    expect(now.body!.error.message).toContain(`Embargoed until ${embargo.toISOString().slice(11, 16)} UTC`);
    expect(now.body!.error.message).toContain('this story uses Meridian Press copy under embargo');

    const early = await t.api<{ error: { code: string } }>('POST', `/api/admin/articles/${id}/publish`, { as: who.editor, body: { at: new Date(embargo.getTime() - 60_000).toISOString() } });
    expect(early.status).toBe(409);
    expect(early.body!.error.code).toBe('embargoed');
    const story = await t.api<{ article: { status: string } }>('GET', `/api/admin/articles/${id}`, { as: who.editor });
    expect(story.body!.article.status).toBe('draft');

    const scheduled = await publishStory(t, who.editor, id, embargo.toISOString());
    expect(scheduled.status).toBe('scheduled');
  });

  it('keeps a scheduled story waiting when the agency moves its embargo later, and publishes it once that passes', async () => {
    const first = new Date(Date.now() + HOUR);
    const item = await ingest(meridian, 'urn:m:moved-embargo', { embargoed: first.toISOString() });
    const id = (await use(who.editor, [item])).body!.article.id;
    await publishStory(t, who.editor, id, new Date(first.getTime() + 60_000).toISOString());
    await ingest(meridian, 'urn:m:moved-embargo', { version: '2', embargoed: new Date(Date.now() + 3 * HOUR).toISOString() });
    try {
      offset = 2 * HOUR;
      expect(await t.app.deps.scheduler.runDueNow()).not.toContain(id);
      // Through the service: a staff session would lapse over hours of the moved clock.
      expect((await t.app.deps.stories.get(SYSTEM, id)).row.status).toBe('scheduled');
      offset = 4 * HOUR;
      expect(await t.app.deps.scheduler.runDueNow()).toContain(id);
      expect((await t.app.deps.stories.get(SYSTEM, id)).row.status).toBe('published');
    } finally {
      offset = 0;
    }
  });

  it('lets a story go out once the embargo has passed', async () => {
    const item = await ingest(meridian, 'urn:m:past-embargo', { embargoed: new Date(Date.now() - HOUR).toISOString() });
    const id = (await use(who.editor, [item])).body!.article.id;
    expect((await publishStory(t, who.editor, id)).status).toBe('published');
  });
});

describe('kills and updates', () => {
  it('flags a story whose item is killed; with the setting off it stays published', async () => {
    const item = await ingest(meridian, 'urn:m:kill-off');
    const id = (await use(who.editor, [item])).body!.article.id;
    await publishStory(t, who.editor, id);
    await ingest(meridian, 'urn:m:kill-off', { version: '2', pubstatus: 'canceled' });
    const wire = await t.api<{ killed: boolean }>('GET', `/api/admin/articles/${id}/wire`, { as: who.editor });
    expect(wire.body!.killed).toBe(true);
    expect((await t.api<{ article: { status: string } }>('GET', `/api/admin/articles/${id}`, { as: who.editor })).body!.article.status).toBe('published');
  });

  it('with the admin setting on, unpublishes every story made from a killed item at once, with an audit entry', async () => {
    expect((await t.api('PUT', '/api/admin/wires/settings', { as: who.editor, body: { killUnpublish: true } })).status).toBe(403);
    expect((await t.api<{ killUnpublish: boolean }>('PUT', '/api/admin/wires/settings', { as: who.admin, body: { killUnpublish: true } })).body).toEqual({ killUnpublish: true });
    const item = await ingest(meridian, 'urn:m:kill-on');
    const id = (await use(who.editor, [item])).body!.article.id;
    await publishStory(t, who.editor, id);
    await ingest(meridian, 'urn:m:kill-on', { version: '2', pubstatus: 'canceled' });
    expect((await t.api<{ article: { status: string } }>('GET', `/api/admin/articles/${id}`, { as: who.editor })).body!.article.status).toBe('unpublished');
    const entry = await db().selectFrom('audit_log').select(['action']).where('subject', '=', `article:${id}`).where('action', '=', 'wire.kill.unpublish').executeTakeFirst();
    expect(entry).toBeDefined();
    await t.api('PUT', '/api/admin/wires/settings', { as: who.admin, body: { killUnpublish: false } });
  });

  it('shows "update available" with the diff when an item behind a story gets a correction, until an editor marks it seen', async () => {
    const item = await ingest(meridian, 'urn:m:update');
    const id = (await use(who.editor, [item])).body!.article.id;
    type Wire = { updateAvailable: boolean; updates: Array<{ fromSeq: number; toSeq: number; signal: string | null; diff: { segments: Array<{ kind: string; parts?: Array<{ kind: string; text: string }> }> } }> };
    expect((await t.api<Wire>('GET', `/api/admin/articles/${id}/wire`, { as: who.editor })).body!.updateAvailable).toBe(false);
    await ingest(meridian, 'urn:m:update', {
      version: '2', signals: [{ qcode: 'sig:correction' }],
      body_html: '<p>HARBOUR CITY — Rovers and United drew 2-2 on Saturday.</p><p>The home side equalised in the 89th minute.</p>',
    });
    const wire = (await t.api<Wire>('GET', `/api/admin/articles/${id}/wire`, { as: who.editor })).body!;
    expect(wire.updateAvailable).toBe(true);
    expect(wire.updates).toHaveLength(1);
    expect(wire.updates[0]).toMatchObject({ fromSeq: 1, toSeq: 2, signal: 'correction' });
    const changed = wire.updates[0]!.diff.segments.find((s) => s.kind === 'changed');
    expect(changed?.parts?.filter((p) => p.kind !== 'same').map((p) => p.text.trim())).toEqual(expect.arrayContaining(['1-1', '2-2']));

    expect((await t.api<{ seen: number }>('POST', `/api/admin/articles/${id}/wire/seen`, { as: who.editor })).body).toEqual({ seen: 1 });
    expect((await t.api<Wire>('GET', `/api/admin/articles/${id}/wire`, { as: who.editor })).body!.updateAvailable).toBe(false);
  });
});
