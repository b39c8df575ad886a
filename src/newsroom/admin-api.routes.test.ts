import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { countRows } from '../../test/helpers/db.js';
import { buildArticle, buildAuthor, buildSection, buildTag, createStory, publishStory } from '../../test/helpers/factories.js';
import { buildStaff, buildUser, signedInUser, type SignedIn } from '../../test/helpers/accounts.js';
import type { ApiOptions, HTTPMethods } from '../../test/helpers/http.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { openDb } from '../platform/db/connection.js';
import { issueApiToken } from '../accounts/people.service.js';
import { SYSTEM } from '../accounts/staff.js';
import type { Static } from 'typebox';
import type { ApiError, OpenApiDoc } from '../../test/helpers/api-types.js';
import type { ArticleEnvelopeJson } from '../content/content.schemas.js';
import type {
  AuditListJson, BreakingEnvelope, RevisionComparisonJson, RevisionEnvelope, RevisionListJson, SectionEnvelope, SectionListJson, StoryEnvelope,
  StoryListJson, TagEnvelope, TokenCreatedJson, UserEnvelope, UserListJson,
} from './newsroom.schemas.js';

const SECOND = 1000;
let t: TestApp;
/** The app's clock: real time plus an offset the tests move forward (schedules, expiry). */
let offset = 0;
const clock = () => new Date(Date.now() + offset);
const ids = {} as Record<'world' | 'africa' | 'politics' | 'amara' | 'water' | 'drought', number>;

let staff: Record<'contributor' | 'contributor2' | 'editor' | 'editor2' | 'admin' | 'reader', SignedIn>;

// The admin API's answers, by the route schemas.
type Story = Static<typeof StoryEnvelope>;
type StoryList = Static<typeof StoryListJson>;
type RevisionList = Static<typeof RevisionListJson>;
type Comparison = Static<typeof RevisionComparisonJson>;
type AuditList = Static<typeof AuditListJson>;

beforeAll(async () => {
  t = await startTestApp({
    now: clock,
    seed: async ({ db: { kysely: db } }) => {
      ids.world = (await buildSection(db, { slug: 'world', name: 'World', position: 0 })).id;
      ids.africa = (await buildSection(db, { slug: 'africa', name: 'Africa', parentId: ids.world })).id;
      ids.politics = (await buildSection(db, { slug: 'politics', name: 'Politics' })).id;
      ids.amara = (await buildAuthor(db, { slug: 'amara-diallo', name: 'Amara Diallo' })).id;
      ids.water = (await buildTag(db, { slug: 'water', name: 'Water' })).id;
      ids.drought = (await buildTag(db, { slug: 'drought', name: 'Drought' })).id;
      // Something already on the site, so lists are not empty.
      await buildArticle(db, { sectionId: ids.politics, headline: 'Parliament sits late', authorIds: [ids.amara] });
    },
  });
  staff = await buildStaff(db(), {
    contributor: 'contributor', contributor2: 'contributor', editor: 'editor', editor2: 'editor', admin: 'admin', reader: 'reader',
  }, { displayName: (key) => `${key} person` });
});
afterAll(async () => t?.close());

const db = () => t.db.kysely;

/** An admin API call; the answer is read as T (null when it has no body). */
const api = <T = unknown>(method: HTTPMethods, url: string, call?: ApiOptions) => t.api<T>(method, url, call);

async function auditOf(subject: string): Promise<string[]> {
  const rows = await db().selectFrom('audit_log').select('action').where('subject', '=', subject).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('the workflow: draft → review → scheduled → published → unpublished', () => {
  it('takes a contributor\'s story to the site on time, then off it', async () => {
    const story = await createStory(t, staff.contributor, { tags: ['water'], authors: ['amara-diallo'], credit: 'Staff, Agencies' });
    expect(story).toMatchObject({ status: 'draft', slug: 'rains-return-to-the-kesra-valley' });
    expect(story.path).toBe(`/africa/${story.id}-rains-return-to-the-kesra-valley`);

    // Still a draft: the headline may change, and the slug follows it.
    const edited = await api<Story>('PATCH', `/api/admin/articles/${story.id}`, { as: staff.contributor, body: { headline: 'Rains return to the valley at last' } });
    expect(edited.status).toBe(200);
    expect(edited.body!.article.slug).toBe('rains-return-to-the-valley-at-last');

    expect((await api<Story>('POST', `/api/admin/articles/${story.id}/submit`, { as: staff.contributor })).body!.article.status).toBe('review');
    // Contributors never publish, and cannot change what they submitted once it is scheduled.
    expect((await api('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.contributor })).status).toBe(403);

    await t.page('/'); // the home page is now cached without the story
    const at = new Date(clock().getTime() + SECOND).toISOString();
    const scheduled = await api<Story>('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor, body: { at } });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body!.article).toMatchObject({ status: 'scheduled', scheduledAt: at, publishedAt: null, url: null });
    expect((await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.contributor, body: { standfirst: 'Late change' } })).status).toBe(403);

    const path = edited.body!.article.path as string;
    expect((await t.page(path)).status).toBe(404);
    expect(await t.app.deps.scheduler.runDueNow()).toEqual([]); // not yet due

    offset += 2 * SECOND;
    expect(await t.app.deps.scheduler.runDueNow()).toEqual([story.id]);
    const live = await t.page(path);
    expect(live.status).toBe(200);
    expect(live.html).toContain('Rains return to the valley at last');
    expect((await t.page('/')).html).toContain('Rains return to the valley at last');
    expect((await t.page('/africa')).html).toContain('Rains return to the valley at last');
    const got = (await api<Story>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor })).body!.article;
    expect(got).toMatchObject({ status: 'published', publishedAt: at, scheduledAt: null, url: `${t.url}${path}` });

    const off = await api<Story>('POST', `/api/admin/articles/${story.id}/unpublish`, { as: staff.editor });
    expect(off.body!.article.status).toBe('unpublished');
    expect((await t.page(path)).status).toBe(404);
    expect((await t.page('/')).html).not.toContain('Rains return to the valley at last');
    expect((await t.page('/africa')).html).not.toContain('Rains return to the valley at last');
    expect((await t.get(`/api/v1/articles/${story.id}`)).status).toBe(404);

    expect(await auditOf(`article:${story.id}`)).toEqual([
      'article.create', 'article.update', 'article.submit', 'article.schedule', 'article.publish', 'article.unpublish',
    ]);
  });

  it('refuses moves that the story\'s status does not allow, with 409', async () => {
    const story = await createStory(t, staff.editor);
    expect((await api('POST', `/api/admin/articles/${story.id}/unpublish`, { as: staff.editor })).status).toBe(409);
    await publishStory(t, staff.editor, story.id);
    expect((await api('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor })).status).toBe(409);
    expect((await api('POST', `/api/admin/articles/${story.id}/submit`, { as: staff.editor })).status).toBe(409);
    expect((await api('DELETE', `/api/admin/articles/${story.id}`, { as: staff.editor })).status).toBe(409);
  });

  it('cancels a schedule when a scheduled story is unpublished', async () => {
    const story = await createStory(t, staff.editor);
    await api('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor, body: { at: new Date(clock().getTime() + 3600_000).toISOString() } });
    const r = await api<Story>('POST', `/api/admin/articles/${story.id}/unpublish`, { as: staff.editor });
    expect(r.body!.article).toMatchObject({ status: 'draft', scheduledAt: null });
  });

  it('republishes an unpublished story with its first publication time, marked updated', async () => {
    const story = await createStory(t, staff.editor);
    const first = await publishStory(t, staff.editor, story.id);
    const firstAt = (await api<Story>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor })).body!.article.publishedAt;
    await api('POST', `/api/admin/articles/${first.id}/unpublish`, { as: staff.editor });
    offset += 60 * SECOND;
    const again = (await api<Story>('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor })).body!.article;
    expect(again.publishedAt).toBe(firstAt);
    expect(again.updatedAt! > firstAt!).toBe(true);
  });

  it('lets contributors see and touch only their own stories', async () => {
    const mine = await createStory(t, staff.contributor, { headline: 'A contributor draft about rivers' });
    const theirs = await createStory(t, staff.contributor2, { headline: 'Someone else\'s draft about lakes' });
    const list = await api<StoryList>('GET', '/api/admin/articles?limit=100', { as: staff.contributor });
    expect(list.status).toBe(200);
    const listed = list.body!.articles.map((a: { id: number }) => a.id);
    expect(listed).toContain(mine.id);
    expect(listed).not.toContain(theirs.id);
    expect(list.body!.articles.every((a) => a.createdBy?.id === staff.contributor.id)).toBe(true);
    expect((await api('GET', `/api/admin/articles/${theirs.id}`, { as: staff.contributor })).status).toBe(403);
    expect((await api('PATCH', `/api/admin/articles/${theirs.id}`, { as: staff.contributor, body: { headline: 'Mine now' } })).status).toBe(403);
    expect((await api('DELETE', `/api/admin/articles/${theirs.id}`, { as: staff.contributor })).status).toBe(403);
    expect((await api('DELETE', `/api/admin/articles/${mine.id}`, { as: staff.contributor })).status).toBe(204);
    // Editors see everything, and can filter.
    const drafts = await api<StoryList>('GET', `/api/admin/articles?status=draft&q=LAKES&createdBy=${staff.contributor2.id}`, { as: staff.editor });
    expect(drafts.body!.articles.map((a: { id: number }) => a.id)).toEqual([theirs.id]);
    const bySection = await api<StoryList>('GET', '/api/admin/articles?section=world&sort=headline&order=asc&limit=100', { as: staff.editor });
    expect(bySection.body!.articles.length).toBeGreaterThan(0);
    expect(bySection.body!.articles.every((a: { section: { slug: string } }) => a.section.slug === 'africa' || a.section.slug === 'world')).toBe(true);
    const byAuthor = await api<StoryList>('GET', '/api/admin/articles?author=amara-diallo', { as: staff.editor });
    expect(byAuthor.body!.articles.every((a: { authors: Array<{ slug: string }> }) => a.authors.some((x) => x.slug === 'amara-diallo'))).toBe(true);
  });
});

describe('scheduling', () => {
  it('publishes a story scheduled a second ahead once it is due', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Harbour reopens after the storm' });
    await api('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor, body: { at: new Date(clock().getTime() + SECOND).toISOString() } });
    offset += 1100;
    expect(await t.app.deps.scheduler.runDueNow()).toContain(story.id);
    expect((await t.page(story.path)).status).toBe(200);
  });

  it('publishes each due story exactly once when two app processes run the scheduler at the same time', async () => {
    const due: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await createStory(t, staff.editor, { headline: `Election results from district ${i + 1}` });
      await api('POST', `/api/admin/articles/${s.id}/publish`, { as: staff.editor, body: { at: new Date(clock().getTime() + SECOND).toISOString() } });
      due.push(s.id);
    }
    offset += 2 * SECOND;
    // A second app on the same database. On PostgreSQL it gets its own connection pool, as a
    // second process would; SQLite's connection blocks the event loop while it waits for a lock,
    // so in one test process both apps share the one connection (and still race between queries).
    const second = t.databaseUrl ? openDb({ databaseUrl: t.databaseUrl, dataDir: t.dataDir }) : null;
    const app2 = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent' }), db: second ?? t.db, logger: false, now: clock });
    const announced: number[] = [];
    for (const a of [t.app, app2]) a.deps.events.on('article.published', ({ articleId }) => void announced.push(articleId));
    try {
      const [a, b] = await Promise.all([t.app.deps.scheduler.runDueNow(), app2.deps.scheduler.runDueNow()]);
      expect([...a, ...b].sort()).toEqual([...due].sort());
      expect(announced.sort()).toEqual([...due].sort());
      for (const id of due) expect((await auditOf(`article:${id}`)).filter((x) => x === 'article.publish')).toHaveLength(1);
    } finally {
      await app2.close();
      await second?.close();
    }
  });

  it('goes live after a restart: the schedule is in the database, and the loop finds it', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Trains back on time' });
    await api('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor, body: { at: new Date(clock().getTime() + SECOND).toISOString() } });
    offset += 2 * SECOND;
    // A freshly started process whose loop runs by itself.
    const app2 = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent' }), db: t.db, logger: false, now: clock, scheduler: { intervalMs: 20 } });
    try {
      await app2.ready();
      for (let i = 0; i < 100 && (await db().selectFrom('articles').select('status').where('id', '=', story.id).executeTakeFirstOrThrow()).status !== 'published'; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await app2.close();
    }
    expect((await api<Story>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor })).body!.article.status).toBe('published');
  });

  it('refuses a time in the past and a story with images lacking alt text, changing nothing', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Dam spillway opened', hero: { url: '/media/dam.jpg', alt: '' } });
    const before = await countRows(db(), 'audit_log');
    const past = await api<ApiError>('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor, body: { at: new Date(clock().getTime() - 3600_000).toISOString() } });
    expect(past.status).toBe(400);
    expect(past.body!.error.message).toMatch(/in the past/);
    const noAlt = await api<ApiError>('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor });
    expect(noAlt.status).toBe(400);
    expect(noAlt.body!.error.message).toMatch(/Alt text is required.*hero image/);
    await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { hero: { url: '/media/dam.jpg', alt: 'Water pours over the dam', caption: 'The spillway.' }, markdown: 'Text.\n\n![](/media/inside.jpg)' } });
    const bodyImage = await api<ApiError>('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor });
    expect(bodyImage.status).toBe(400);
    expect(bodyImage.body!.error.message).toMatch(/body image 1/);
    expect((await api<Story>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor })).body!.article.status).toBe('draft');
    expect(await countRows(db(), 'audit_log')).toBe(before + 1); // only the PATCH
    // Once published, a story cannot lose its alt text either.
    await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { markdown: 'Text.\n\n![The dam at dusk](/media/inside.jpg)' } });
    await publishStory(t, staff.editor, story.id);
    const strip = await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { hero: { url: '/media/dam.jpg', alt: ' ' } } });
    expect(strip.status).toBe(400);
  });
});

describe('revisions', () => {
  it('keeps every save, shows any one, and restores one as a new revision', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Council votes on the budget', standfirst: 'First take' });
    await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { headline: 'Council passes the budget', standfirst: 'Second take' } });
    await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor2, body: { markdown: 'The vote was **12 to 3**.', tags: ['water', 'drought'] } });
    // Saving what is already there is not a revision.
    await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor2, body: { markdown: 'The vote was **12 to 3**.' } });

    const list = await api<RevisionList>('GET', `/api/admin/articles/${story.id}/revisions`, { as: staff.editor });
    expect(list.status).toBe(200);
    expect(list.body!.revisions).toHaveLength(3);
    expect(list.body!.revisions.map((r: { headline: string }) => r.headline)).toEqual(['Council passes the budget', 'Council passes the budget', 'Council votes on the budget']);
    expect(list.body!.revisions[0]?.author).toEqual({ id: staff.editor2.id, name: 'editor2 person' });
    const first = list.body!.revisions[2]!.id as number;

    const one = await api<Static<typeof RevisionEnvelope>>('GET', `/api/admin/articles/${story.id}/revisions/${first}`, { as: staff.editor });
    expect(one.body!.revision.snapshot).toMatchObject({ headline: 'Council votes on the budget', standfirst: 'First take', section: { slug: 'africa' }, tags: [] });
    expect((await api('GET', `/api/admin/articles/${story.id}/revisions/999999`, { as: staff.editor })).status).toBe(404);

    const restored = await api<Story>('POST', `/api/admin/articles/${story.id}/revisions/${first}/restore`, { as: staff.editor });
    expect(restored.status).toBe(200);
    expect(restored.body!.article).toMatchObject({ headline: 'Council votes on the budget', standfirst: 'First take', tags: [] });
    const after = await api<RevisionList>('GET', `/api/admin/articles/${story.id}/revisions`, { as: staff.editor });
    expect(after.body!.revisions).toHaveLength(4);
    expect(after.body!.revisions[0]?.note).toBe(`restored from revision ${first}`);
    expect(await auditOf(`article:${story.id}`)).toEqual(['article.create', 'article.update', 'article.update', 'article.restore']);
  });

  it('refuses a save based on an old revision (409 edit_conflict), naming who saved since; nothing is undone', async () => {
    const story = await createStory(t, staff.contributor, { headline: 'Ferry timetable changes for winter' });
    const opened = (await api<Story>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor })).body!.article;
    expect(opened.revision).toBeGreaterThan(0);
    // Someone else saves first.
    const first = await api<Story>('PATCH', `/api/admin/articles/${story.id}`, { as: staff.contributor, body: { standfirst: 'Fewer crossings from December.', baseRevision: opened.revision } });
    expect(first.status).toBe(200);
    expect(first.body!.article.revision).toBeGreaterThan(opened.revision!);
    const revisions = await countRows(db(), 'article_revisions');
    // The editor, still on the old revision, is stopped and told why.
    const late = await api<ApiError>('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { standfirst: 'More crossings from December.', baseRevision: opened.revision } });
    expect(late.status).toBe(409);
    expect(late.body!.error.code).toBe('edit_conflict');
    expect(late.body!.error.message).toContain('contributor person');
    expect(await countRows(db(), 'article_revisions')).toBe(revisions);
    expect((await api<Story>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor })).body!.article.standfirst).toBe('Fewer crossings from December.');
    // From the latest revision, the save goes through.
    const retry = await api<Story>('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { standfirst: 'More crossings from December.', baseRevision: first.body!.article.revision } });
    expect(retry.status).toBe(200);
    expect(retry.body!.article.standfirst).toBe('More crossings from December.');
  });

  it('compares two revisions: the changed headline words and the body change', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Council votes on the budget', markdown: 'The session opened at nine.\n\nThe vote was close.' });
    await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor2, body: { headline: 'Council passes the budget', markdown: 'The session opened at nine.\n\nThe vote was 12 to 3.' } });
    const [newer, older] = (await api<RevisionList>('GET', `/api/admin/articles/${story.id}/revisions`, { as: staff.editor })).body!.revisions.map((r: { id: number }) => r.id);

    const url = `/api/admin/articles/${story.id}/revisions/compare`;
    const res = await api<Comparison>('GET', `${url}?a=${older}&b=${newer}`, { as: staff.editor });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const c = res.body!;
    expect(c.a).toMatchObject({ id: older, author: { id: staff.editor.id, name: 'editor person' }, note: null });
    expect(c.b).toMatchObject({ id: newer, author: { id: staff.editor2.id, name: 'editor2 person' } });
    expect(c.changed.map((f: { field: string }) => f.field)).toEqual(['headline', 'slug']);
    const headline = c.changed[0]!;
    expect(headline).toMatchObject({ label: 'Headline', before: 'Council votes on the budget', after: 'Council passes the budget' });
    const words = (key: 'added' | 'removed') => headline.changes.filter((x: Record<string, unknown>) => x[key]).map((x: { value: string }) => x.value.trim());
    expect(words('removed')).toEqual(['votes on']);
    expect(words('added')).toEqual(['passes']);
    // Common text carries neither flag (nothing of the diff library's bookkeeping leaks out).
    expect(headline.changes[0]).toEqual({ value: 'Council ' });
    expect(c.unchanged).toEqual(expect.arrayContaining(['Standfirst', 'Section', 'Tags']));
    expect(c.bodyChanged).toBe(true);
    expect(c.body[0]).toEqual({ kind: 'same', text: 'The session opened at nine.' });
    const bodyChange = c.body[1];
    expect(bodyChange?.kind).toBe('changed');
    const changes = bodyChange?.kind === 'changed' ? bodyChange.changes : [];
    expect(changes.filter((x: { removed?: boolean }) => x.removed).map((x: { value: string }) => x.value.trim())).toEqual(['close']);
    expect(changes.filter((x: { added?: boolean }) => x.added).map((x: { value: string }) => x.value.trim())).toEqual(['12 to 3']);

    // Without a choice, the latest change; either order, the older is `a`.
    expect((await api('GET', url, { as: staff.editor })).body).toEqual(c);
    expect((await api('GET', `${url}?a=${newer}&b=${older}`, { as: staff.editor })).body).toEqual(c);
    expect((await api('GET', `${url}?b=${newer}`, { as: staff.editor })).body).toEqual(c);
    // A revision with itself: nothing changed.
    const same = await api('GET', `${url}?a=${older}&b=${older}`, { as: staff.editor });
    expect(same.body).toMatchObject({ changed: [], bodyChanged: false });

    // Bad ids are 400; a revision of another story (or none) is 404.
    for (const q of ['a=abc', 'a=0', `a=${older}&b=-1`, 'b=99999999999']) expect((await api('GET', `${url}?${q}`, { as: staff.editor })).status, q).toBe(400);
    const other = await createStory(t, staff.editor);
    const otherRev = (await api<RevisionList>('GET', `/api/admin/articles/${other.id}/revisions`, { as: staff.editor })).body!.revisions[0]!.id as number;
    expect((await api('GET', `${url}?a=${otherRev}&b=${newer}`, { as: staff.editor })).status).toBe(404);
    expect((await api('GET', `${url}?a=999999`, { as: staff.editor })).status).toBe(404);
    expect((await api('GET', `/api/admin/articles/999999/revisions/compare`, { as: staff.editor })).status).toBe(404);
    // `compare` is not taken for a revision id.
    expect((await api<Static<typeof RevisionEnvelope>>('GET', `/api/admin/articles/${story.id}/revisions/${older}`, { as: staff.editor })).body!.revision.id).toBe(older);
  });

  it('lets a contributor compare the revisions of their own story only', async () => {
    const mine = await createStory(t, staff.contributor, { headline: 'Wells run dry in the north' });
    await api('PATCH', `/api/admin/articles/${mine.id}`, { as: staff.contributor, body: { headline: 'Wells run dry in the far north' } });
    const own = await api<Comparison>('GET', `/api/admin/articles/${mine.id}/revisions/compare`, { as: staff.contributor });
    expect(own.status).toBe(200);
    expect(own.body!.changed[0]?.changes.filter((x: { added?: boolean }) => x.added).map((x: { value: string }) => x.value.trim())).toEqual(['far']);
    const theirs = await api<ApiError>('GET', `/api/admin/articles/${mine.id}/revisions/compare`, { as: staff.contributor2 });
    expect(theirs.status).toBe(403);
    expect(theirs.body!.error.code).toBe('forbidden');
    expect((await api('GET', `/api/admin/articles/${mine.id}/revisions/compare`)).status).toBe(401);
  });
});

describe('editing a published story', () => {
  it('shows the change on the cached page at once, marked Updated', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Floods reach the delta', tags: ['water'] });
    await publishStory(t, staff.editor, story.id);
    const first = await t.page(story.path);
    expect(first.html).toContain('Floods reach the delta');
    expect(first.html).not.toContain('Updated ');
    await t.page(story.path); // served from the cache now
    await t.page('/tag/water');
    const api1 = await t.get(`/api/v1/articles/${story.id}`);
    expect(api1.status).toBe(200);

    offset += 5 * 60 * SECOND;
    const edited = await api<Story>('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { headline: 'Floods reach the delta; thousands move to higher ground' } });
    expect(edited.status).toBe(200);
    expect(edited.body!.article.updatedAt).toBe(edited.body!.article.modifiedAt);
    expect(edited.body!.article.slug).toBe(story.slug); // a published story keeps its address

    const now = await t.page(story.path);
    expect(now.html).toContain('thousands move to higher ground');
    expect(now.html).toMatch(/Updated <time/);
    expect((await t.page('/tag/water')).html).toContain('thousands move to higher ground');
    expect(((await (await t.get(`/api/v1/articles/${story.id}`)).json()) as Static<typeof ArticleEnvelopeJson>).article.headline).toContain('thousands move');
  });

  it('shows a correction note to readers, with its time', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Bridge opened in 1962' });
    await publishStory(t, staff.editor, story.id);
    await t.page(story.path);
    const r = await api<Story>('POST', `/api/admin/articles/${story.id}/correction`, { as: staff.editor, body: { note: 'An earlier version said the bridge opened in 1926.' } });
    expect(r.status).toBe(200);
    expect(r.body!.article.correction).toEqual({ note: 'An earlier version said the bridge opened in 1926.', at: expect.any(String) });
    const { html } = await t.page(story.path);
    expect(html).toContain('An earlier version said the bridge opened in 1926.');
    expect(html).toContain(`<time datetime="${r.body!.article.correction?.at}"`);
    expect(html).toMatch(/Updated <time/);
    expect((await api('POST', `/api/admin/articles/${story.id}/correction`, { as: staff.contributor, body: { note: 'x' } })).status).toBe(403);
    // Kept for the record: the old "remove" answers 405 and the note stays.
    const removed = await api<ApiError>('DELETE', `/api/admin/articles/${story.id}/correction`, { as: staff.editor });
    expect(removed.status).toBe(405);
    expect(removed.body!.error.code).toBe('method_not_allowed');
    expect((await t.page(story.path)).html).toContain('An earlier version said');
  });

  it('sends the old address on with 301 after a slug or section change', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Schools open again' });
    await publishStory(t, staff.editor, story.id);
    const moved = await api<Story>('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { slug: 'schools-reopen-after-the-floods', section: 'politics' } });
    const to = `/politics/${story.id}-schools-reopen-after-the-floods`;
    expect(moved.body!.article.path).toBe(to);
    expect(await t.page(story.path)).toMatchObject({ status: 301, location: to });
    expect((await t.page(to)).status).toBe(200);
  });

  it('uses the SEO title and description on the page', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Budget day', seoTitle: 'Budget 2027: what changes for you', seoDescription: 'Taxes, pensions and fuel.' });
    await publishStory(t, staff.editor, story.id);
    const { html } = await t.page(story.path);
    expect(html).toMatch(/<title>Budget 2027: what changes for you/);
    expect(html).toContain('content="Taxes, pensions and fuel."');
  });
});

describe('sections, tags, authors and the breaking-news strip', () => {
  it('renames a section (admins only); the old address answers 301, stories follow', async () => {
    const sec = await api<Static<typeof SectionEnvelope>>('POST', '/api/admin/sections', { as: staff.admin, body: { name: 'Climate', description: 'The warming world.', icon: 'globe' } });
    expect(sec.status).toBe(201);
    expect(sec.body!.section).toMatchObject({ slug: 'climate', path: '/climate' });
    expect((await api('POST', '/api/admin/sections', { as: staff.editor, body: { name: 'Other' } })).status).toBe(403);
    const story = await createStory(t, staff.editor, { headline: 'Glaciers retreat', section: 'climate' });
    await publishStory(t, staff.editor, story.id);
    expect((await t.page('/climate')).html).toContain('Glaciers retreat');

    const renamed = await api('PATCH', `/api/admin/sections/${sec.body!.section.id}`, { as: staff.admin, body: { slug: 'climate-crisis', name: 'Climate crisis' } });
    expect(renamed.status).toBe(200);
    expect(await t.page('/climate')).toMatchObject({ status: 301, location: '/climate-crisis' });
    expect(await t.page('/climate?page=2')).toMatchObject({ status: 301, location: '/climate-crisis?page=2' });
    expect(await t.page(story.path)).toMatchObject({ status: 301, location: `/climate-crisis/${story.id}-glaciers-retreat` });
    const nav = (await t.page('/')).html;
    expect(nav).toContain('href="/climate-crisis"');
    // Renamed again: the first name still leads to the latest.
    await api('PATCH', `/api/admin/sections/${sec.body!.section.id}`, { as: staff.admin, body: { slug: 'planet' } });
    expect(await t.page('/climate')).toMatchObject({ status: 301, location: '/planet' });
    expect(await t.page('/climate-crisis')).toMatchObject({ status: 301, location: '/planet' });
    expect((await t.page('/nowhere-at-all')).status).toBe(404);

    expect((await api('POST', '/api/admin/sections', { as: staff.admin, body: { name: 'API', slug: 'api' } })).status).toBe(400);
    expect((await api('DELETE', `/api/admin/sections/${sec.body!.section.id}`, { as: staff.admin })).status).toBe(409);
  });

  it('reorders sections', async () => {
    const all = (await api<Static<typeof SectionListJson>>('GET', '/api/admin/sections', { as: staff.contributor })).body!.sections as Array<{ id: number; parent: unknown }>;
    const reversed = all.map((s) => s.id).reverse();
    const r = await api<Static<typeof SectionListJson>>('PUT', '/api/admin/sections/order', { as: staff.admin, body: { ids: reversed } });
    expect(r.status).toBe(200);
    expect(r.body!.sections.map((s: { id: number }) => s.id)).toEqual(reversed);
    expect((await api('PUT', '/api/admin/sections/order', { as: staff.admin, body: { ids: reversed.slice(1) } })).status).toBe(400);
  });

  it('renames tags and authors with redirects, and marks special coverage', async () => {
    const tag = await api<Static<typeof TagEnvelope>>('POST', '/api/admin/tags', { as: staff.editor, body: { name: 'Kesra drought' } });
    expect(tag.body!.tag.slug).toBe('kesra-drought');
    const story = await createStory(t, staff.editor, { headline: 'Wells run dry', tags: ['kesra-drought'], authors: ['amara-diallo'] });
    await publishStory(t, staff.editor, story.id);
    await t.page('/');
    const special = await api<Static<typeof TagEnvelope>>('PATCH', `/api/admin/tags/${tag.body!.tag.id}`, {
      as: staff.editor, body: { slug: 'kesra-valley-drought', specialCoverage: true, description: 'Our running coverage.' },
    });
    expect(special.body!.tag).toMatchObject({ slug: 'kesra-valley-drought', specialCoverage: true });
    expect(await t.page('/tag/kesra-drought')).toMatchObject({ status: 301, location: '/tag/kesra-valley-drought' });
    expect((await t.page('/')).html).toContain('Our running coverage.');

    const author = await api('PATCH', `/api/admin/authors/${ids.amara}`, { as: staff.editor, body: { slug: 'amara-diallo-ba', name: 'Amara Diallo Ba' } });
    expect(author.status).toBe(200);
    expect(await t.page('/author/amara-diallo')).toMatchObject({ status: 301, location: '/author/amara-diallo-ba' });
    expect((await t.page(story.path)).html).toContain('Amara Diallo Ba');
    expect((await api('DELETE', `/api/admin/authors/${ids.amara}`, { as: staff.editor })).status).toBe(409);
    expect((await api('PATCH', `/api/admin/tags/${tag.body!.tag.id}`, { as: staff.contributor, body: { name: 'x' } })).status).toBe(403);
  });

  it('sets the breaking-news strip with an expiry; it leaves every page when it expires', async () => {
    await t.page('/');
    const set = await api('PUT', '/api/admin/breaking', { as: staff.editor, body: { text: 'Dam spillway opened after record inflow', path: '/africa', expiresAt: new Date(clock().getTime() + 60 * SECOND).toISOString() } });
    expect(set.status).toBe(200);
    expect((await t.page('/')).html).toContain('Dam spillway opened after record inflow');
    offset += 61 * SECOND;
    await t.app.deps.scheduler.runDueNow();
    expect((await t.page('/')).html).not.toContain('Dam spillway opened after record inflow');
    expect((await api<Static<typeof BreakingEnvelope>>('GET', '/api/admin/breaking', { as: staff.editor })).body!.breaking).toBeNull();
    expect((await api('PUT', '/api/admin/breaking', { as: staff.editor, body: { text: 'x', path: 'javascript:alert(1)' } })).status).toBe(400);
    expect((await api('PUT', '/api/admin/breaking', { as: staff.contributor, body: { text: 'x' } })).status).toBe(403);
  });
});

describe('API tokens', () => {
  it('let an integration create and publish a story with a Bearer token, and stop when revoked', async () => {
    const { id, secret } = await issueApiToken(db(), { name: 'wire desk', role: 'editor', createdBy: null }, SYSTEM, new Date());
    expect(secret).toMatch(/^dsp_/);
    const stored = await db().selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret.slice(4));

    const token = { token: secret };
    const story = await createStory(t, token, { headline: 'Wire: ceasefire agreed', markdown: undefined, body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Talks ended at dawn.' }] }] } });
    const live = await publishStory(t, token, story.id);
    expect((await t.page(live.path)).html).toContain('Talks ended at dawn.');
    const viaToken = await api('GET', `/api/admin/articles/${story.id}`, { as: token });
    expect(viaToken.status).toBe(200);
    expect((await db().selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at).not.toBeNull();
    const entries = await db().selectFrom('audit_log').selectAll().where('subject', '=', `article:${story.id}`).orderBy('id').execute();
    expect(entries[0]).toMatchObject({ action: 'article.create', actor_token_id: id, actor_user_id: null });

    expect((await api('GET', '/api/admin/articles', { as: { token: 'dsp_not-a-token' } })).status).toBe(401);
    expect((await api('GET', '/api/admin/articles', { as: { token: '' } })).status).toBe(401);
    const revoke = await api('DELETE', `/api/admin/tokens/${id}`, { as: staff.admin });
    expect(revoke.status).toBe(204);
    expect((await api('GET', '/api/admin/articles', { as: token })).status).toBe(401);
  });

  it('are made by admins over the API, carry no more rights than their role, and list without secrets', async () => {
    const made = await api<Static<typeof TokenCreatedJson>>('POST', '/api/admin/tokens', { as: staff.admin, body: { name: 'ingest bot', role: 'contributor' } });
    expect(made.status).toBe(201);
    const token = { token: made.body!.secret as string };
    const story = await createStory(t, token);
    expect((await api('POST', `/api/admin/articles/${story.id}/publish`, { as: token })).status).toBe(403);
    expect((await api('GET', '/api/admin/users', { as: token })).status).toBe(403);
    const list = await api('GET', '/api/admin/tokens', { as: staff.admin });
    expect(JSON.stringify(list.body)).not.toContain(made.body!.secret);
    expect(JSON.stringify(list.body)).not.toMatch(/hash/i);
    expect((await api('POST', '/api/admin/tokens', { as: staff.editor, body: { name: 'x', role: 'admin' } })).status).toBe(403);
  });

  it('are made on the command line: dispatch tokens create', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-tokens-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DISPATCH_DATA: dataDir, LOG_LEVEL: 'warn' };
      delete env.DATABASE_URL;
      const r = spawnSync(path.resolve('node_modules/.bin/tsx'), ['bin/dev.ts', 'tokens', 'create', '--name', 'wire desk', '--role', 'editor'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/Created API token 1 "wire desk" \(editor\)/);
      expect(r.stdout).toMatch(/shown once.*: dsp_[\w-]{40,}/);
      const bad = spawnSync(path.resolve('node_modules/.bin/tsx'), ['bin/dev.ts', 'tokens', 'create', '--name', 'x', '--role', 'reader'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/--role must be contributor, editor or admin/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('people', () => {
  it('disabling an account ends its sessions and tokens at once', async () => {
    const u = await signedInUser(db(), { role: 'editor' });
    const made = await issueApiToken(db(), { name: 'their script', role: 'editor', createdBy: u.id }, SYSTEM, new Date());
    expect((await api('GET', '/api/admin/articles', { as: u })).status).toBe(200);
    expect((await api('GET', '/api/admin/articles', { as: { token: made.secret } })).status).toBe(200);

    const r = await api<Static<typeof UserEnvelope>>('PATCH', `/api/admin/users/${u.id}`, { as: staff.admin, body: { disabled: true } });
    expect(r.status).toBe(200);
    expect(r.body!.user).toMatchObject({ id: u.id, status: 'disabled' });
    expect((await api('GET', '/api/admin/articles', { as: u })).status).toBe(401);
    expect((await api('GET', '/api/admin/articles', { as: { token: made.secret } })).status).toBe(401);
    expect((await db().selectFrom('sessions').select('id_hash').where('user_id', '=', u.id).execute())).toHaveLength(0);
    const audit = await api<AuditList>('GET', `/api/admin/audit?subject=user:${u.id}`, { as: staff.admin });
    expect(audit.body!.entries[0]).toMatchObject({ action: 'user.disable', actor: { userId: staff.admin.id }, details: { sessionsEnded: 1, tokensRevoked: 1 } });
  });

  it('a token never carries more than its maker\'s current role', async () => {
    const u = await buildUser(db(), { role: 'editor' });
    const made = await issueApiToken(db(), { name: 'script', role: 'admin', createdBy: u.id }, SYSTEM, new Date());
    expect((await api('GET', '/api/admin/users', { as: { token: made.secret } })).status).toBe(403);
    await api('PATCH', `/api/admin/users/${u.id}`, { as: staff.admin, body: { role: 'reader' } });
    expect((await api('GET', '/api/admin/articles', { as: { token: made.secret } })).status).toBe(403);
  });

  it('lists users and changes roles; admins cannot change themselves', async () => {
    const list = await api<Static<typeof UserListJson>>('GET', '/api/admin/users?role=contributor', { as: staff.admin });
    expect(list.status).toBe(200);
    expect(list.body!.users.every((x: { role: string }) => x.role === 'contributor')).toBe(true);
    expect(JSON.stringify(list.body)).not.toMatch(/password/i);
    const promoted = await api<Static<typeof UserEnvelope>>('PATCH', `/api/admin/users/${staff.contributor2.id}`, { as: staff.admin, body: { role: 'editor' } });
    expect(promoted.body!.user.role).toBe('editor');
    await api('PATCH', `/api/admin/users/${staff.contributor2.id}`, { as: staff.admin, body: { role: 'contributor' } });
    expect((await api('PATCH', `/api/admin/users/${staff.admin.id}`, { as: staff.admin, body: { role: 'reader' } })).status).toBe(403);
    expect((await api('PATCH', `/api/admin/users/${staff.reader.id}`, { as: staff.editor, body: { role: 'admin' } })).status).toBe(403);
    const audit = await api<AuditList>('GET', `/api/admin/audit?action=user.update&limit=1`, { as: staff.admin });
    expect(audit.body!.entries[0]).toMatchObject({ subject: `user:${staff.contributor2.id}`, details: { role: { from: 'editor', to: 'contributor' } } });
    expect(typeof audit.body!.next === 'number' || audit.body!.next === null).toBe(true);
  });
});

describe('bad input gets a clear answer and changes nothing', () => {
  it('refuses bad stories with 400 and writes nothing', async () => {
    const before = { articles: await countRows(db(), 'articles'), revisions: await countRows(db(), 'article_revisions'), audit: await countRows(db(), 'audit_log'), tags: await countRows(db(), 'tags') };
    const bad: Array<[unknown, RegExp]> = [
      [{ headline: 'x', section: 'nowhere' }, /no section "nowhere"/],
      [{ headline: 'x', section: 'africa', authors: ['nobody'] }, /Unknown author "nobody"/],
      [{ headline: 'x', section: 'africa', markdown: 'a', body: { type: 'doc', content: [] } }, /not both/],
      [{ headline: 'x', section: 'africa', body: { type: 'doc', content: [{ type: 'script' }] } }, /unknown block type/],
      [{ headline: 'x', section: 'africa', markdown: '![x](javascript:alert(1))' }, /image needs a src/],
      [{ headline: 'x', section: 'africa', hero: { url: 'javascript:alert(1)', alt: 'x' } }, /hero image URL/],
      [{ headline: '', section: 'africa' }, /headline/],
      [{ headline: '   ', section: 'africa' }, /headline must not be empty/],
      [{ headline: 'x', section: 'africa', status: 'published' }, /\/status is not a field this API accepts/],
      [{ headline: 'x', section: 'africa', slug: 'Not A Slug' }, /slug/],
      [{ headline: 'x', section: 'africa', language: 'english!' }, /language/],
    ];
    for (const [body, why] of bad) {
      const r = await api<ApiError>('POST', '/api/admin/articles', { as: staff.editor, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body!.error.code).toBe('invalid_request');
      expect(r.body!.error.message).toMatch(why);
    }
    // A contributor may not invent tags; an editor's unknown tags are created.
    const r = await api<ApiError>('POST', '/api/admin/articles', { as: staff.contributor, body: { headline: 'x', section: 'africa', tags: ['brand-new-tag'] } });
    expect(r.status).toBe(400);
    expect(r.body!.error.message).toMatch(/ask an editor/);
    expect({ articles: await countRows(db(), 'articles'), revisions: await countRows(db(), 'article_revisions'), audit: await countRows(db(), 'audit_log'), tags: await countRows(db(), 'tags') }).toEqual(before);

    const story = await createStory(t, staff.editor);
    const patches: unknown[] = [{}, { headline: 'x', bogus: 1 }, { section: 'nowhere' }, { commentsMode: 'sometimes' }];
    const revisions = await countRows(db(), 'article_revisions');
    for (const body of patches) expect((await api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body })).status, JSON.stringify(body)).toBe(400);
    expect(await countRows(db(), 'article_revisions')).toBe(revisions);
    expect((await api<Story>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor })).body!.article.headline).toBe('Rains return to the Kesra Valley');
    expect((await api('GET', '/api/admin/articles/abc', { as: staff.editor })).status).toBe(400);
    expect((await api('GET', '/api/admin/articles/99999999', { as: staff.editor })).status).toBe(404);
    expect((await api('POST', `/api/admin/articles/${story.id}/publish`, { as: staff.editor, body: { at: 'tomorrow' } })).status).toBe(400);
    expect((await api('GET', '/api/admin/articles?status=lost', { as: staff.editor })).status).toBe(400);
  });

  it('answers 401 to anonymous callers and 403 to readers, as JSON', async () => {
    const anon = await api('GET', '/api/admin/articles');
    expect(anon).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await api('GET', '/api/admin/articles', { as: staff.reader })).status).toBe(403);
    expect((await api('POST', '/api/admin/articles', { as: staff.reader, body: { headline: 'x', section: 'africa' } })).status).toBe(403);
    const basic = await t.app.inject({ method: 'GET', url: '/api/admin/articles', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.statusCode).toBe(401);
  });

  it('refuses a cross-site request riding a staff cookie', async () => {
    const r = await t.app.inject({
      method: 'POST', url: '/api/admin/articles', headers: { cookie: staff.editor.cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: JSON.stringify({ headline: 'x', section: 'africa' }),
    });
    expect(r.statusCode).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it('describes the admin API under the tag admin, with its error responses', async () => {
    const doc = (await (await t.get('/api/openapi.json')).json()) as OpenApiDoc;
    expect(doc.tags?.map((x: { name: string }) => x.name)).toContain('admin');
    const publish = doc.paths['/api/admin/articles/{id}/publish']?.post;
    expect(publish?.tags).toEqual(['admin']);
    expect(Object.keys(publish?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']));
    for (const p of ['/api/admin/articles', '/api/admin/articles/{id}/revisions/compare', '/api/admin/articles/{id}/revisions/{rev}/restore', '/api/admin/sections/order', '/api/admin/breaking', '/api/admin/users/{id}', '/api/admin/audit']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});

