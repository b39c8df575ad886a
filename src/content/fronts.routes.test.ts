/**
 * Curated fronts end to end, on the database the suite runs on (SQLite, or
 * PostgreSQL with DATABASE_URL): an editor arranges the home page and a
 * section front through /api/admin/fronts, readers see the stories in that
 * order, a pinned story taken down leaves its slot at once (the cached
 * front is purged) and the front closes the gap, a scheduled layout goes
 * live on time, and every malformed layout is refused with a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildSection, createStory, publishStory, type Story } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import type { ApiError } from '../../test/helpers/api-types.js';
import type { FrontEnvelope, FrontListJson } from '../newsroom/fronts.schemas.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { openDb } from '../platform/db/connection.js';

const SECOND = 1000;
let t: TestApp;
let staff: Record<'contributor' | 'editor' | 'admin', SignedIn>;
/** The app's clock: real time plus an offset the tests move forward (schedules). */
let offset = 0;
const clock = () => new Date(Date.now() + offset);

type Front = Static<typeof FrontEnvelope>;
type FrontList = Static<typeof FrontListJson>;

const stories: Record<string, Story> = {};

beforeAll(async () => {
  t = await startTestApp({
    now: clock,
    seed: async ({ db: { kysely: db } }) => {
      await buildSection(db, { slug: 'africa', name: 'Africa', position: 0 });
      await buildSection(db, { slug: 'politics', name: 'Politics', position: 1 });
    },
  });
  staff = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor', admin: 'admin' });
  // Oldest first: "Eight" is the newest story, so with nothing arranged it leads.
  for (const [key, headline, section] of [
    ['one', 'One: harvest doubles in the valley', 'africa'], ['two', 'Two: ministers meet at the border', 'politics'],
    ['three', 'Three: a new bridge opens', 'africa'], ['four', 'Four: the vote is counted', 'politics'],
    ['five', 'Five: rains return early', 'africa'], ['six', 'Six: the budget is passed', 'politics'],
    ['seven', 'Seven: schools reopen', 'africa'], ['eight', 'Eight: a short test story', 'africa'],
  ] as const) {
    stories[key] = await publishStory(t, staff.editor, (await createStory(t, staff.editor, { headline, section })).id);
  }
});
afterAll(async () => t?.close());

const putDraft = (front: string, body: Record<string, unknown>, as: SignedIn = staff.editor) => t.api<Front>('PUT', `/api/admin/fronts/${front}/draft`, { as, body });
const publish = (front: string, body: Record<string, unknown> = {}, as: SignedIn = staff.editor) => t.api<Front>('POST', `/api/admin/fronts/${front}/publish`, { as, body });
const ids = (...keys: string[]) => keys.map((k) => stories[k]!.id);
const headline = (key: string) => stories[key]!.headline.replace(/'/g, '&#39;');

/** Where each story's headline first appears in the page's main content (not its JSON-LD), in the order given: ascending when the page shows them in that order. */
function positions(html: string, keys: string[]): number[] {
  const main = html.indexOf('id="main"');
  return keys.map((k) => html.indexOf(headline(k), main));
}
const ascending = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!));

/** The home page's lead card (the markup between the lead's wrapper and the column beside it). */
function leadOf(html: string): string {
  const start = html.indexOf('top-stories__lead');
  return html.slice(start, html.indexOf('top-stories__beside', start));
}

describe('a front with nothing arranged', () => {
  it('is newest first, as before', async () => {
    const list = await t.api<FrontList>('GET', '/api/admin/fronts', { as: staff.editor });
    expect(list.status).toBe(200);
    expect(list.body!.fronts.map((f) => [f.front, f.path, f.live])).toEqual([['home', '/', null], ['africa', '/africa', null], ['politics', '/politics', null]]);
    const home = await t.page('/');
    expect(leadOf(home.html)).toContain(headline('eight'));
    expect(ascending(positions(home.html, ['eight', 'seven', 'six', 'five', 'four']))).toBe(true);
  });
});

describe('arranging the home page', () => {
  it('shows the stories in the order the editor put them, then the newest, once published (not before)', async () => {
    await t.page('/'); // cached as it is now
    const saved = await putDraft('home', { slots: ids('two', 'five', 'one'), latestCount: 3 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body!.front.draft!.slots.map((s) => [s.role, s.article.id])).toEqual([['lead', stories.two!.id], ['top', stories.five!.id], ['top', stories.one!.id]]);
    expect(saved.body!.front.live).toBeNull();
    // A draft is not what readers see.
    expect(leadOf((await t.page('/')).html)).toContain(headline('eight'));

    const live = await publish('home');
    expect(live.status, JSON.stringify(live.body)).toBe(200);
    expect(live.body!.front.draft).toBeNull();
    expect(live.body!.front.live).toMatchObject({ status: 'live', latestCount: 3 });

    const home = (await t.page('/')).html;
    expect(leadOf(home)).toContain(headline('two'));
    // The arranged three, then the three newest of the rest.
    expect(ascending(positions(home, ['two', 'five', 'one', 'eight', 'seven', 'six']))).toBe(true);
    // Only three of the newest fill the rest of the top of the page.
    const top = home.slice(0, home.indexOf('class="section-block'));
    expect(top).not.toContain(headline('four'));
  });

  it('drops a pinned story that is unpublished from its slot at once, and the stories after it move up', async () => {
    await t.page('/');
    const down = await t.api('POST', `/api/admin/articles/${stories.two!.id}/unpublish`, { as: staff.editor });
    expect(down.status).toBe(200);
    const home = (await t.page('/')).html;
    expect(home).not.toContain(headline('two'));
    expect(leadOf(home)).toContain(headline('five'));
    expect(ascending(positions(home, ['five', 'one', 'eight', 'seven', 'six']))).toBe(true);
    // The newsroom sees why.
    const front = await t.api<Front>('GET', '/api/admin/fronts/home', { as: staff.editor });
    expect(front.body!.front.live!.slots[0]!.article).toMatchObject({ id: stories.two!.id, status: 'unpublished', public: false });
    // Back up again, it takes its slot back.
    await publishStory(t, staff.editor, stories.two!.id);
    expect(leadOf((await t.page('/')).html)).toContain(headline('two'));
  });
});

describe('arranging a section front', () => {
  it('leads with the arranged stories, a story from another section among them; one taken down leaves that front at once', async () => {
    const saved = await putDraft('africa', { slots: ids('one', 'four') });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body!.front.draft!.latestCount).toBe(11);
    expect((await publish('africa')).status).toBe(200);
    const page = (await t.page('/africa')).html;
    const lead = page.indexOf('card-grid__lead');
    expect(page.slice(lead, page.indexOf('</li>', lead))).toContain(headline('one'));
    expect(ascending(positions(page, ['one', 'four', 'eight', 'seven', 'five', 'three']))).toBe(true);
    // Later pages are newest first, as before.
    expect((await t.page('/africa?page=2')).status).toBe(404);

    // "Four" is a Politics story: taking it down purges the Africa front too.
    await t.page('/africa');
    expect((await t.api('POST', `/api/admin/articles/${stories.four!.id}/unpublish`, { as: staff.editor })).status).toBe(200);
    const after = (await t.page('/africa')).html;
    expect(after).not.toContain(headline('four'));
    expect(ascending(positions(after, ['one', 'eight', 'seven', 'five', 'three']))).toBe(true);
    await publishStory(t, staff.editor, stories.four!.id);
  });
});

describe('a scheduled layout', () => {
  it('goes live on time, not before, and a cancelled one never does', async () => {
    expect((await putDraft('politics', { slots: ids('two') })).status).toBe(200);
    const at = new Date(clock().getTime() + 60 * SECOND).toISOString();
    const scheduled = await publish('politics', { at });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    expect(scheduled.body!.front.scheduled.map((l) => [l.status, l.goLiveAt])).toEqual([['scheduled', at]]);
    expect(scheduled.body!.front.live).toBeNull();

    // Another, later, then cancelled.
    expect((await putDraft('politics', { slots: ids('six') })).status).toBe(200);
    const later = await publish('politics', { at: new Date(clock().getTime() + 120 * SECOND).toISOString() });
    const cancelledId = later.body!.front.scheduled[1]!.id;
    expect((await t.api('DELETE', `/api/admin/fronts/politics/scheduled/${cancelledId}`, { as: staff.editor })).status).toBe(204);
    expect((await t.api<ApiError>('DELETE', `/api/admin/fronts/politics/scheduled/${cancelledId}`, { as: staff.editor })).status).toBe(404);

    const before = (await t.page('/politics')).html; // cached now, newest first
    expect(ascending(positions(before, ['six', 'four', 'two']))).toBe(true);
    await t.app.deps.scheduler.runDueNow();
    expect(ascending(positions((await t.page('/politics')).html, ['six', 'four', 'two']))).toBe(true); // not yet due

    offset += 61 * SECOND;
    await t.app.deps.scheduler.runDueNow();
    const live = (await t.page('/politics')).html;
    expect(ascending(positions(live, ['two', 'six', 'four']))).toBe(true);
    const front = await t.api<Front>('GET', '/api/admin/fronts/politics', { as: staff.editor });
    expect(front.body!.front.live!.slots.map((s) => s.article.id)).toEqual(ids('two'));
    expect(front.body!.front.scheduled).toEqual([]);

    offset += 120 * SECOND;
    await t.app.deps.scheduler.runDueNow();
    expect((await t.api<Front>('GET', '/api/admin/fronts/politics', { as: staff.editor })).body!.front.live!.slots.map((s) => s.article.id)).toEqual(ids('two'));
  });

  it('goes live exactly once when two app processes run the schedule at the same time', async () => {
    expect((await putDraft('politics', { slots: ids('six', 'two') })).status).toBe(200);
    expect((await publish('politics', { at: new Date(clock().getTime() + SECOND).toISOString() })).status).toBe(200);
    offset += 2 * SECOND;
    // A second app on the same database (its own pool on PostgreSQL, as a second process has).
    const second = t.databaseUrl ? openDb({ databaseUrl: t.databaseUrl, dataDir: t.dataDir }) : null;
    const app2 = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent' }), db: second ?? t.db, logger: false, now: clock });
    const purged: string[][] = [];
    for (const a of [t.app, app2]) a.deps.events.on('content.changed', ({ keys }) => void purged.push(keys));
    // Purges reach every process, as the Redis purge bus carries them between real ones: whichever
    // app wins the race, the page the first one cached before is dropped.
    app2.deps.events.on('content.changed', ({ keys }) => t.app.deps.purge.publish(keys));
    try {
      await Promise.all([t.app.deps.scheduler.runDueNow(), app2.deps.scheduler.runDueNow()]);
      expect(purged).toEqual([['section:politics']]);
      const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('subject', '=', 'front:politics').where('action', '=', 'front.publish').execute();
      expect(audit).toHaveLength(2); // the earlier scheduled layout's, and this one's: once each
      const live = await t.db.kysely.selectFrom('front_layouts').select('id').where('front', 'like', 'section:%').where('status', '=', 'live').execute();
      expect(live).toHaveLength(2); // Africa's and Politics': one live layout per front
    } finally {
      await app2.close();
      await second?.close();
    }
    expect(ascending(positions((await t.page('/politics')).html, ['six', 'two', 'four']))).toBe(true);
  });

  it('must be for a time to come', async () => {
    expect((await putDraft('politics', { slots: ids('six') })).status).toBe(200);
    const past = await publish('politics', { at: new Date(clock().getTime() - SECOND).toISOString() });
    expect(past.status).toBe(400);
    expect((past.body as unknown as ApiError).error.message).toMatch(/has passed/);
    expect((await t.api('DELETE', '/api/admin/fronts/politics/draft', { as: staff.editor })).status).toBe(204);
  });
});

describe('refusals', () => {
  const refused = async (body: Record<string, unknown>, status: number, message: RegExp, front = 'home') => {
    const r = await putDraft(front, body);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect((r.body as unknown as ApiError).error.message).toMatch(message);
  };

  it('explains what is wrong with a layout and saves nothing', async () => {
    const before = await t.api<Front>('GET', '/api/admin/fronts/home', { as: staff.editor });
    await refused({ slots: [...ids('one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'), 1, 2, 3] }, 400, /at most 10 stories.*has 11/);
    await refused({ slots: ids('one', 'two', 'one') }, 400, new RegExp(`Story ${stories.one!.id} is in the layout twice \\(slots 1 and 3\\)`));
    await refused({ slots: [999999] }, 400, /There is no story 999999/);
    const draft = await createStory(t, staff.editor, { headline: 'Not yet ready' });
    await refused({ slots: [draft.id] }, 400, /Only published stories.*Not yet ready.*draft/);
    await refused({ slots: [], latestCount: 31 }, 400, /latestCount/);
    await refused({ slots: 'one' }, 400, /slots/);
    await refused({ slots: [] }, 404, /There is no front "nowhere"/, 'nowhere');
    // Nothing was saved.
    expect((await t.api<Front>('GET', '/api/admin/fronts/home', { as: staff.editor })).body).toEqual(before.body);
    // Nothing to publish.
    const nothing = await publish('home');
    expect(nothing.status).toBe(409);
  });

  it('is for editors and admins only', async () => {
    expect((await t.api('GET', '/api/admin/fronts', { as: staff.contributor })).status).toBe(403);
    expect((await putDraft('home', { slots: [] }, staff.contributor)).status).toBe(403);
    expect((await t.api('GET', '/api/admin/fronts')).status).toBe(401);
    expect((await t.api('GET', '/api/admin/fronts/home', { as: staff.admin })).status).toBe(200);
  });

  it('is described in the OpenAPI document, under admin', async () => {
    const doc = await t.api<{ paths: Record<string, Record<string, { tags: string[] }>> }>('GET', '/api/openapi.json');
    expect(Object.keys(doc.body!.paths)).toEqual(expect.arrayContaining(['/api/admin/fronts', '/api/admin/fronts/{front}', '/api/admin/fronts/{front}/draft', '/api/admin/fronts/{front}/publish', '/api/admin/fronts/{front}/scheduled/{id}']));
    expect(doc.body!.paths['/api/admin/fronts/{front}/draft']!.put!.tags).toEqual(['admin']);
  });
});
