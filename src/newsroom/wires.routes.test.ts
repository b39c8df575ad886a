/**
 * The wire desk in the browser's terms: the queue and its GET filters, the
 * live queue's JSON (`since`), one item with its versions and diff, "Use
 * this" as a form, the wire panel in the editor (kill alert, embargo refusal,
 * "update available"), the story list's badge and filter, the quarantine and
 * providers screens, and who may open what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { buildSection, publishStory } from '../../test/helpers/factories.js';
import { pageOf, sameOrigin as sameOriginHeaders } from '../../test/helpers/http.js';
import type { WireProviderRow } from '../wires/wire.service.js';

let t: TestApp;
let who: Record<'reader' | 'contributor' | 'editor' | 'admin', SignedIn>;
let meridian: WireProviderRow;
let atlas: WireProviderRow;
const db = () => t.db.kysely;
const item = {} as Record<'derby' | 'embargo' | 'killed' | 'budget' | 'flash', number>;
const HOUR = 3600_000;
let embargo: Date;

function ninjs(uri: string, over: Record<string, unknown> = {}) {
  return Buffer.from(JSON.stringify({
    uri, version: '1', headline: 'Harbour derby ends in a draw', language: 'en', urgency: 4, pubstatus: 'usable', byline: 'Lena Okafor', located: 'HARBOUR CITY',
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
  return (await db().selectFrom('wire_items').select('id').where('guid', '=', uri).where('provider_id', '=', p.id).executeTakeFirstOrThrow()).id;
}

/** The wire item ids a queue page shows, in order. */
const rowsOf = (html: string) => [...html.matchAll(/<tr data-wire-id="(\d+)"/g)].map((m) => Number(m[1]));
const rowOf = (html: string, id: number) => new RegExp(`<tr data-wire-id="${id}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
const sameOrigin = () => sameOriginHeaders(t.url);
const post = (path: string, as: SignedIn, form: Record<string, string | string[]> = {}) => t.request('POST', path, { as, form, headers: sameOrigin() });

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely } }) => {
      for (const [i, slug] of ['world', 'politics', 'economy', 'sport'].entries()) await buildSection(kysely, { slug, name: slug, position: i });
    },
  });
  who = await buildStaff(db(), { reader: 'reader', contributor: 'contributor', editor: 'editor', admin: 'admin' });
  meridian = (await t.app.deps.wires.createProvider({ name: 'meridian', credit: 'Meridian Press', format: 'ninjs', transport: 'push' })).provider;
  atlas = (await t.app.deps.wires.createProvider({ name: 'atlas', displayName: 'Atlas Wire', credit: 'Atlas Wire', format: 'ninjs', transport: 'push' })).provider;
  embargo = new Date(Date.now() + 5 * HOUR);
  embargo.setUTCSeconds(0, 0);
  item.derby = await ingest(meridian, 'urn:m:derby');
  item.embargo = await ingest(meridian, 'urn:m:embargo', { headline: 'Schools report due', embargoed: embargo.toISOString(), subject: [{ code: 'medtop:05000000', name: 'education' }] });
  item.killed = await ingest(atlas, 'urn:a:killed', { headline: 'Minister resigns', language: 'fr', subject: [{ code: 'medtop:11000000', name: 'politics' }] });
  item.budget = await ingest(atlas, 'urn:a:budget', { headline: 'Budget approved', urgency: 6, subject: [{ code: 'medtop:04000000', name: 'economy' }] });
  item.flash = await ingest(meridian, 'urn:m:flash', { headline: 'Flash: port closed', urgency: 1 });
  await ingest(atlas, 'urn:a:killed', { version: '2', headline: 'Minister resigns', pubstatus: 'canceled', language: 'fr', subject: [{ code: 'medtop:11000000', name: 'politics' }] });
});
afterAll(async () => t?.close());

describe('the queue', () => {
  it('lists every item newest change first, each row with time, provider, urgency, badges, versions and "Use this"', async () => {
    const page = await t.page('/newsroom/wires', who.contributor);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(rowsOf(page.html)).toEqual([item.killed, item.flash, item.budget, item.embargo, item.derby]);
    const killed = rowOf(page.html, item.killed);
    expect(killed).toContain('KILLED — do not use');
    expect(killed).toContain('2 versions');
    expect(killed).toContain('Atlas Wire');
    const embargoed = rowOf(page.html, item.embargo);
    expect(embargoed).toContain(`Embargoed until ${embargo.toISOString().slice(11, 16)} UTC`);
    expect(rowOf(page.html, item.derby)).toMatch(/Use this/);
    expect(rowOf(page.html, item.flash)).toContain('1 flash');
    expect(page.html).toContain('data-poll-url="/api/admin/wires/items?limit=100"');
    expect(page.html).not.toContain('href="/newsroom/wires/quarantine"');
    expect((await t.page('/newsroom/wires', who.editor)).html).toContain('href="/newsroom/wires/quarantine"');
  });

  it.each([
    ['provider=atlas', ['killed', 'budget']],
    ['urgency=2', ['flash']],
    ['language=fr', ['killed']],
    ['subject=economy', ['budget']],
    ['subject=medtop%3A15000000', ['flash', 'derby']],
    ['q=derby', ['derby']],
    ['embargoed=1', ['embargo']],
    ['killed=1', ['killed']],
    ['provider=atlas&killed=1', ['killed']],
  ] as const)('filters with %s', async (query, names) => {
    const page = await t.page(`/newsroom/wires?${query}`, who.editor);
    expect(page.status).toBe(200);
    expect(rowsOf(page.html)).toEqual(names.map((n) => item[n]));
  });

  it('gives the live script only the items changed since the newest it shows', async () => {
    const since = new Date().toISOString();
    const none = await t.api<{ items: unknown[] }>('GET', `/api/admin/wires/items?since=${encodeURIComponent(since)}`, { as: who.contributor });
    expect(none.body!.items).toEqual([]);
    const fresh = await ingest(meridian, 'urn:m:fresh', { headline: 'Fresh copy' });
    const some = await t.api<{ items: Array<{ id: number; headline: string }> }>('GET', `/api/admin/wires/items?since=${encodeURIComponent(since)}`, { as: who.contributor });
    expect(some.body!.items.map((i) => i.id)).toEqual([fresh]);
  });

  it('sends the signed-out to sign in and refuses readers', async () => {
    const out = await t.page('/newsroom/wires');
    expect(out.status).toBe(302);
    expect(out.location).toContain('/signin?next=');
    expect((await t.page('/newsroom/wires', who.reader)).status).toBe(403);
    expect((await t.page(`/newsroom/wires/items/${item.derby}`, who.reader)).status).toBe(403);
    expect((await post('/newsroom/wires/use', who.reader, { items: String(item.derby) })).status).toBe(403);
  });
});

describe('one item', () => {
  it('shows every version with its fields and body, and the diff between them marked in words as well as style', async () => {
    await ingest(meridian, 'urn:m:derby', {
      version: '2', signals: [{ qcode: 'sig:correction' }],
      body_html: '<p>HARBOUR CITY — Rovers and United drew 2-2 on Saturday.</p><p>The home side equalised in the 89th minute.</p>',
    });
    const page = await t.page(`/newsroom/wires/items/${item.derby}`, who.contributor);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Version 2 (current)');
    expect(page.html).toContain('Version 1');
    expect(page.html).toContain('Lena Okafor');
    expect(page.html).toContain('HARBOUR CITY');
    expect(page.html).toContain('sport medtop:15000000');
    expect(page.html).toContain('<p>HARBOUR CITY — Rovers and United drew 2-2 on Saturday.</p>');
    expect(page.html).toContain('What changed from version 1');
    expect(page.html).toMatch(/<del><span class="visually-hidden">\[removed: <\/span>1-1/);
    expect(page.html).toMatch(/<ins><span class="visually-hidden">\[added: <\/span>2-2/);
  });

  it('answers 404 for an unknown item', async () => {
    expect((await t.page('/newsroom/wires/items/999999', who.editor)).status).toBe(404);
  });
});

describe('"Use this" and the story afterwards', () => {
  it('makes a draft from the form and opens it in the editor, which says where it came from', async () => {
    const res = await post('/newsroom/wires/use', who.contributor, { items: String(item.budget) });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/newsroom\/stories\/\d+\?done=wire$/);
    const editor = await t.page(location, who.contributor);
    expect(editor.html).toContain('Draft made from wire copy');
    expect(editor.html).toContain('From the wire:');
    expect(editor.html).toContain('Atlas Wire, “Budget approved”');
    expect(editor.html).toMatch(/name="credit"[^>]*value="Atlas Wire"|value="Atlas Wire"[^>]*name="credit"/);
  });

  it('makes one story of several ticked items, credited "Staff, Agencies"', async () => {
    const res = await post('/newsroom/wires/use', who.editor, { items: [String(item.flash), String(item.budget)] });
    expect(res.status).toBe(303);
    const id = Number(/stories\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const story = await t.api<{ article: { credit: string } }>('GET', `/api/admin/articles/${id}`, { as: who.editor });
    expect(story.body!.article.credit).toBe('Staff, Agencies');
  });

  it('refuses to publish an embargoed story from the editor, saying why, and shows the embargo', async () => {
    const res = await post('/newsroom/wires/use', who.editor, { items: String(item.embargo) });
    const id = Number(/stories\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const editor = await t.page(`/newsroom/stories/${id}`, who.editor);
    expect(editor.html).toContain(`Embargoed until ${embargo.toISOString().slice(11, 16)} UTC`);
    const refused = await pageOf(await post(`/newsroom/stories/${id}`, who.editor, { intent: 'publish', headline: 'Schools report due', section: 'world', language: 'en' }));
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('this story uses Meridian Press copy under embargo');
    expect((await t.api<{ article: { status: string } }>('GET', `/api/admin/articles/${id}`, { as: who.editor })).body!.article.status).toBe('draft');
  });

  it('puts a prominent alert on every story made from killed copy, in the editor and the story list', async () => {
    const res = await post('/newsroom/wires/use', who.editor, { items: String(item.killed) });
    const id = Number(/stories\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const editor = await t.page(`/newsroom/stories/${id}`, who.editor);
    expect(editor.html).toMatch(/role="alert"><strong>KILLED: <\/strong>Atlas Wire has killed “Minister resigns”/);
    const list = await t.page('/newsroom', who.editor);
    const row = new RegExp(`<tr data-story-id="${id}"[\\s\\S]*?</tr>`).exec(list.html)![0];
    expect(row).toContain('Wire copy killed');
  });

  it('shows "update available" with the diff after a correction, filters the story list on it, and forgets it once seen', async () => {
    const uri = 'urn:m:update';
    const source = await ingest(meridian, uri, { headline: 'Ferry fares to rise' , body_html: '<p>Fares rise 5 percent in May.</p>' });
    const res = await post('/newsroom/wires/use', who.editor, { items: String(source) });
    const id = Number(/stories\/(\d+)/.exec(res.headers.get('location')!)![1]);
    await publishStory(t, who.editor, id);
    const other = Number(/stories\/(\d+)/.exec((await post('/newsroom/wires/use', who.editor, { items: String(item.flash) })).headers.get('location')!)![1]);
    expect((await t.page(`/newsroom/stories/${id}`, who.editor)).html).not.toContain('Update available');

    await ingest(meridian, uri, { version: '2', headline: 'Ferry fares to rise', signals: [{ qcode: 'sig:correction' }], body_html: '<p>Fares rise 7 percent in May.</p>' });
    const editor = await t.page(`/newsroom/stories/${id}`, who.editor);
    expect(editor.html).toContain('<strong>Update available</strong>');
    expect(editor.html).toContain('Meridian Press sent a correction (version 2)');
    expect(editor.html).toMatch(/<ins><span class="visually-hidden">\[added: <\/span>7/);

    const filtered = await t.page('/newsroom?wireUpdate=1', who.editor);
    const ids = [...filtered.html.matchAll(/<tr data-story-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toContain(id);
    expect(ids).not.toContain(other);
    expect(filtered.html).toContain('Wire update available');
    expect(filtered.html).toMatch(/name="wireUpdate" value="1" checked/);

    const seen = await post(`/newsroom/stories/${id}/wire-seen`, who.editor);
    expect(seen.status).toBe(303);
    expect((await t.page(`/newsroom/stories/${id}`, who.editor)).html).not.toContain('<strong>Update available</strong>');
    const after = await t.page('/newsroom?wireUpdate=1', who.editor);
    expect([...after.html.matchAll(/<tr data-story-id="(\d+)"/g)].map((m) => Number(m[1]))).not.toContain(id);
  });
});

describe('quarantine, providers and groups', () => {
  it('lists open quarantine entries with retry and discard, for editors only', async () => {
    await t.app.deps.wires.ingest(meridian, Buffer.from('{"uri": "urn:broken", '), 'application/ninjs+json');
    const page = await t.page('/newsroom/wires/quarantine', who.editor);
    expect(page.status).toBe(200);
    const id = Number(/quarantine\/(\d+)\/discard/.exec(page.html)![1]);
    expect(page.html).toContain(`/newsroom/wires/quarantine/${id}/retry`);
    expect((await t.page('/newsroom/wires/quarantine', who.contributor)).status).toBe(403);
    const retried = await post(`/newsroom/wires/quarantine/${id}/retry`, who.editor);
    expect(retried.headers.get('location')).toContain('done=retry-failed');
    const discarded = await post(`/newsroom/wires/quarantine/${id}/discard`, who.editor);
    expect(discarded.headers.get('location')).toContain('done=discarded');
    expect((await t.page('/newsroom/wires/quarantine', who.editor)).html).toContain('Nothing in the quarantine.');
  });

  it('shows providers and their status to the desk; only admins add, remove and set the kill setting', async () => {
    const editor = await t.page('/newsroom/wires/providers', who.contributor);
    expect(editor.status).toBe(200);
    expect(editor.html).toContain('Meridian Press');
    expect(editor.html).toContain('POST /api/wires/meridian');
    expect(editor.html).not.toContain('Add a provider');
    expect((await post('/newsroom/wires/providers', who.editor, { name: 'x', credit: 'X', format: 'rss', transport: 'push' })).status).toBe(403);

    const added = await pageOf(await post('/newsroom/wires/providers', who.admin, { name: 'northwind', credit: 'Northwind', format: 'rss', transport: 'push' }));
    expect(added.status).toBe(200);
    expect(added.html).toContain('The push secret of northwind');
    expect((await post('/newsroom/wires/settings', who.admin, { killUnpublish: '1' })).status).toBe(303);
    expect(await t.app.deps.desk.killUnpublish()).toBe(true);
    expect((await post('/newsroom/wires/settings', who.admin, {})).status).toBe(303);
    expect(await t.app.deps.desk.killUnpublish()).toBe(false);
  });

  it('shows the wire stories, one event told by two agencies in one story, each with "Use this"', async () => {
    const lead = await ingest(meridian, 'urn:m:ferry', {
      headline: 'Ferry strike halts island crossings for a second day',
      body_html: '<p>PORT AVERELL — Ferry crews on the island routes stayed out for a second day on Tuesday, halting every crossing to Kestrel Island.</p>',
    });
    const other = await ingest(atlas, 'urn:a:ferry', {
      headline: 'Island ferry crossings halted as crews strike for second day',
      body_html: '<p>PORT AVERELL — Every crossing to Kestrel Island stayed halted on Tuesday as ferry crews struck for a second day.</p>',
    });
    const page = await t.page('/newsroom/wires/groups', who.contributor);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('is not stored yet');
    const story = [...page.html.matchAll(/<section class="nr-panel nr-wire-group"[\s\S]*?<\/section>/g)].map((m) => m[0]).find((g) => g.includes('Ferry strike halts'));
    expect(story).toBeDefined();
    expect(story).toContain('Island ferry crossings halted');
    expect(story).toContain('action="/newsroom/wires/use"');
    const groups = await db().selectFrom('wire_items').select(['id', 'group_id']).where('id', 'in', [lead, other]).execute();
    expect(new Set(groups.map((g) => g.group_id)).size).toBe(1);
    const groupId = groups[0]!.group_id!;
    expect(story).toContain(`href="/newsroom/wires/groups/${groupId}"`);

    // What each agency's version adds: Atlas's later report has the union's statement; Meridian's has the harbour master's.
    await ingest(meridian, 'urn:m:ferry', {
      version: '2',
      headline: 'Ferry strike halts island crossings for a second day',
      body_html: '<p>PORT AVERELL — Ferry crews on the island routes stayed out for a second day on Tuesday, halting every crossing to Kestrel Island.</p><p>The harbour master said supply boats would sail under escort from Thursday.</p>',
    });
    const detail = await t.page(`/newsroom/wires/groups/${groupId}`, who.contributor);
    expect(detail.status).toBe(200);
    const meridianPart = /<section class="nr-panel nr-wire-contribution" aria-label="Meridian Press:[\s\S]*?<\/section>/.exec(detail.html)?.[0] ?? '';
    const atlasPart = /<section class="nr-panel nr-wire-contribution" aria-label="Atlas Wire:[\s\S]*?<\/section>/.exec(detail.html)?.[0] ?? '';
    expect(meridianPart).toMatch(/Adds[\s\S]*harbour master said supply boats would sail under escort/);
    expect(atlasPart).not.toContain('harbour master');
    expect(detail.html).toContain('<span class="visually-hidden">Only here: </span>');
    expect((await t.page(`/newsroom/wires/groups/${groupId}`, who.reader)).status).toBe(403);
    expect((await t.page('/newsroom/wires/groups/999999', who.contributor)).status).toBe(404);
  });
});
