import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildSection } from '../../test/helpers/factories.js';
import { signedInUser } from '../../test/helpers/accounts.js';
import type { ApiError, OpenApiDoc } from '../../test/helpers/api-types.js';
import type { FavoriteListJson } from './favorite.schemas.js';
import { favoriteIdsFor } from './favorite.store.js';
import { createFavoriteService } from './favorite.service.js';
import { MAX_FAVORITES, MAX_MERGE_IDS } from './favorite.model.js';

const HOUR = 3600_000;
let t: TestApp;
/** The app's clock: each save happens a second after the one before, so "newest saved first" is exact. */
let clock = Date.now();
const tick = () => (clock += 1000);
type Story = 'rains' | 'harbour' | 'bank' | 'court' | 'bridge';
const ids = {} as Record<Story | 'draft' | 'future', number>;
const paths = {} as Record<Story, string>;

beforeAll(async () => {
  t = await startTestApp({
    now: () => new Date(clock),
    seed: async ({ db: { kysely: db } }) => {
      const africa = await buildSection(db, { slug: 'africa', name: 'Africa' });
      const stories = [
        ['rains', 'Rains return to the Kesra Valley'],
        ['harbour', 'Harbour reopens after the storm'],
        ['bank', 'Central bank holds rates'],
        ['court', 'Court hears the land case'],
        ['bridge', 'New bridge opens to traffic'],
      ] as const;
      for (const [i, [key, headline]] of stories.entries()) {
        const a = await buildArticle(db, { sectionId: africa.id, headline, publishedAt: new Date(Date.now() - (i + 1) * HOUR) });
        ids[key] = a.id;
        paths[key] = `/africa/${a.id}-${a.slug}`;
      }
      ids.draft = (await buildArticle(db, { sectionId: africa.id, headline: 'An unfinished draft', status: 'draft', publishedAt: null })).id;
      ids.future = (await buildArticle(db, { sectionId: africa.id, headline: 'Embargoed until tomorrow', publishedAt: new Date(Date.now() + 24 * HOUR) })).id;
    },
  });
});
afterAll(async () => t?.close());

const kysely = () => t.db.kysely;

const reader = () => signedInUser(kysely());

interface Call {
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function call(method: string, path: string, { cookie, body, headers = {} }: Call = {}) {
  tick();
  return t.request(method, path, { as: cookie ? { cookie } : undefined, json: body, headers });
}

/** A call whose JSON answer is read as T (`unknown` where the test only compares it whole). */
async function callJson<T = unknown>(method: string, path: string, opts: Call = {}) {
  const res = await call(method, path, opts);
  return { res, body: (await res.json()) as T };
}

/** A form post as a browser without JavaScript sends it. */
function formPost(path: string, { cookie, headers = {} }: Call = {}) {
  return call('POST', path, { cookie, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

async function savedIds(userId: number): Promise<number[]> {
  return favoriteIdsFor(kysely(), userId);
}

describe('the favorites API', () => {
  it('saves and removes idempotently, answering with the count, privately', async () => {
    const r = await reader();
    const put = await callJson('PUT', `/api/v1/me/favorites/${ids.rains}`, { cookie: r.cookie });
    expect(put.res.status).toBe(200);
    expect(put.body).toEqual({ favorited: true, count: 1 });
    expect(put.res.headers.get('cache-control')).toBe('private, no-store');

    expect((await callJson('PUT', `/api/v1/me/favorites/${ids.rains}`, { cookie: r.cookie })).body).toEqual({ favorited: true, count: 1 });
    expect((await callJson('PUT', `/api/v1/me/favorites/${ids.harbour}`, { cookie: r.cookie })).body).toEqual({ favorited: true, count: 2 });
    expect(await savedIds(r.id)).toEqual([ids.harbour, ids.rains]);

    const del = await callJson('DELETE', `/api/v1/me/favorites/${ids.rains}`, { cookie: r.cookie });
    expect(del.res.status).toBe(200);
    expect(del.body).toEqual({ favorited: false, count: 1 });
    expect(del.res.headers.get('cache-control')).toBe('private, no-store');
    expect((await callJson('DELETE', `/api/v1/me/favorites/${ids.rains}`, { cookie: r.cookie })).body).toEqual({ favorited: false, count: 1 });
    expect(await savedIds(r.id)).toEqual([ids.harbour]);
  });

  it('lists saved stories newest saved first, with savedAt, availability and the story, paginated', async () => {
    const r = await reader();
    for (const key of ['bank', 'rains', 'harbour'] as const) await call('PUT', `/api/v1/me/favorites/${ids[key]}`, { cookie: r.cookie });
    const { res, body } = await callJson<Static<typeof FavoriteListJson>>('GET', '/api/v1/me/favorites', { cookie: r.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(body.favorites.map((f) => f.articleId)).toEqual([ids.harbour, ids.rains, ids.bank]);
    expect(body.pagination).toEqual({ page: 1, limit: 20, total: 3, totalPages: 1 });
    const [first] = body.favorites;
    expect(first).toMatchObject({ articleId: ids.harbour, available: true, headline: 'Harbour reopens after the storm' });
    expect(first?.article).toMatchObject({ id: ids.harbour, headline: 'Harbour reopens after the storm', url: t.url + paths.harbour });
    expect(Date.parse(first!.savedAt)).toBeGreaterThan(Date.parse(body.favorites[1]!.savedAt));

    const page2 = await callJson<Static<typeof FavoriteListJson>>('GET', '/api/v1/me/favorites?page=2&limit=2', { cookie: r.cookie });
    expect(page2.body.favorites.map((f) => f.articleId)).toEqual([ids.bank]);
    expect(page2.body.pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2 });
    expect((await call('GET', '/api/v1/me/favorites?limit=101', { cookie: r.cookie })).status).toBe(400);
  });

  it('keeps a story unpublished after it was saved, marked unavailable', async () => {
    const r = await reader();
    const a = await buildArticle(kysely(), { sectionId: (await kysely().selectFrom('sections').select('id').executeTakeFirstOrThrow()).id, headline: 'A story taken down later' });
    await call('PUT', `/api/v1/me/favorites/${ids.bank}`, { cookie: r.cookie });
    await call('PUT', `/api/v1/me/favorites/${a.id}`, { cookie: r.cookie });
    await kysely().updateTable('articles').set({ status: 'unpublished' }).where('id', '=', a.id).execute();

    const { body } = await callJson<Static<typeof FavoriteListJson>>('GET', '/api/v1/me/favorites', { cookie: r.cookie });
    expect(body.favorites).toHaveLength(2);
    expect(body.favorites[0]).toMatchObject({ articleId: a.id, available: false, article: null, headline: 'A story taken down later' });
    expect(body.favorites[1]).toMatchObject({ articleId: ids.bank, available: true });

    const page = await call('GET', '/favorites', { cookie: r.cookie });
    const html = await page.text();
    expect(html).toContain('A story taken down later');
    expect(html).toContain('No longer available');
    expect(html).not.toContain(`href="/africa/${a.id}-`);
    expect(html).toContain(`href="${paths.bank}"`);

    // It cannot be saved again, but it can be removed.
    expect((await call('PUT', `/api/v1/me/favorites/${a.id}`, { cookie: r.cookie })).status).toBe(404);
    expect((await callJson('DELETE', `/api/v1/me/favorites/${a.id}`, { cookie: r.cookie })).body).toEqual({ favorited: false, count: 1 });
  });

  it('answers 404 for an unknown, draft or embargoed story and saves nothing', async () => {
    const r = await reader();
    for (const id of [999999, ids.draft, ids.future]) {
      const { res, body } = await callJson('PUT', `/api/v1/me/favorites/${id}`, { cookie: r.cookie });
      expect(res.status).toBe(404);
      expect(body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    expect(await savedIds(r.id)).toEqual([]);
  });

  it.each(['abc', '0', '-3', '1.5', '99999999999'])('answers 400 for the id "%s"', async (bad) => {
    const r = await reader();
    const { res, body } = await callJson<ApiError>('PUT', `/api/v1/me/favorites/${bad}`, { cookie: r.cookie });
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect((await call('DELETE', `/api/v1/me/favorites/${bad}`, { cookie: r.cookie })).status).toBe(400);
    const form = await formPost(`/favorites/${bad}`, { cookie: r.cookie });
    expect(form.status).toBe(400);
    expect(form.headers.get('content-type')).toContain('text/html');
  });

  it('answers 401 in JSON to a reader who is not signed in', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/me/favorites'],
      ['PUT', `/api/v1/me/favorites/${ids.rains}`],
      ['DELETE', `/api/v1/me/favorites/${ids.rains}`],
      ['POST', '/api/v1/me/favorites/merge', { articleIds: [ids.rains] }],
    ];
    for (const [method, path, body] of calls) {
      const res = await callJson(method, path, { body, cookie: 'dispatch_session=not-a-session' });
      expect(res.res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      expect(res.res.headers.get('cache-control')).toBe('private, no-store');
    }
  });

  it('refuses a save past the limit with 409 and a clear message', async () => {
    const r = await reader();
    const db = kysely();
    const sectionId = (await buildSection(db, { slug: 'filler', name: 'Filler' })).id;
    const at = new Date(Date.now() - 2 * HOUR).toISOString();
    // MAX_FAVORITES stories, saved in bulk (the factories would take minutes).
    const filler: number[] = [];
    for (let start = 0; start < MAX_FAVORITES; start += 250) {
      const rows = Array.from({ length: Math.min(250, MAX_FAVORITES - start) }, (_, i) => ({
        slug: `filler-story-${start + i}`, headline: `Filler ${start + i}`, standfirst: '', body: '{"type":"doc","content":[]}', section_id: sectionId,
        credit_line: null, hero_image_url: null, hero_image_alt: null, hero_caption: null, hero_credit: null, status: 'published' as const,
        language: 'en', published_at: at, updated_at: null, created_at: at, modified_at: at,
      }));
      const inserted = await db.insertInto('articles').values(rows).returning('id').execute();
      filler.push(...inserted.map((x) => x.id));
    }
    for (let start = 0; start < filler.length; start += 500) {
      await db.insertInto('favorites').values(filler.slice(start, start + 500).map((article_id, i) => ({ user_id: r.id, article_id, created_at: new Date(Date.parse(at) + start + i).toISOString() }))).execute();
    }

    const { res, body } = await callJson('PUT', `/api/v1/me/favorites/${ids.rains}`, { cookie: r.cookie });
    expect(res.status).toBe(409);
    expect(body).toEqual({ error: { code: 'conflict', message: expect.stringMatching(/5,000 stories, the most we keep/) } });
    // Saving one that is already saved still answers as before.
    expect((await callJson('PUT', `/api/v1/me/favorites/${filler[0]}`, { cookie: r.cookie })).body).toEqual({ favorited: true, count: MAX_FAVORITES });
    const merge = await callJson('POST', '/api/v1/me/favorites/merge', { cookie: r.cookie, body: { articleIds: [ids.rains, ids.harbour] } });
    expect(merge.body).toMatchObject({ added: 0, overLimit: 2, count: MAX_FAVORITES, saved: [] });
    expect((await formPost(`/favorites/${ids.rains}`, { cookie: r.cookie })).status).toBe(409);

    // The list pages through them all; past the end, the last page.
    const html = await (await call('GET', '/favorites?page=2', { cookie: r.cookie })).text();
    expect(html).toContain('Page 2 of 250');
    const past = await call('GET', '/favorites?page=9999', { cookie: r.cookie });
    expect(past.status).toBe(303);
    expect(past.headers.get('location')).toBe('/favorites?page=250');
  });
});

describe('merging the favorites kept on a device', () => {
  it('adds published stories, ignores unknown and unpublished ids, keeps the device order', async () => {
    const r = await reader();
    await call('PUT', `/api/v1/me/favorites/${ids.rains}`, { cookie: r.cookie });
    const { res, body } = await callJson('POST', '/api/v1/me/favorites/merge', {
      cookie: r.cookie,
      body: { articleIds: [ids.rains, ids.court, 999999, ids.draft, ids.future, ids.bridge, ids.court] },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(body).toEqual({ added: 2, alreadySaved: 1, ignored: 3, overLimit: 0, count: 3, saved: [ids.rains, ids.court, ids.bridge] });
    // The last one saved on the device is the newest.
    expect(await savedIds(r.id)).toEqual([ids.bridge, ids.court, ids.rains]);
    // Merging again changes nothing.
    expect((await callJson('POST', '/api/v1/me/favorites/merge', { cookie: r.cookie, body: { articleIds: [ids.court] } })).body).toMatchObject({ added: 0, alreadySaved: 1, count: 3 });
  });

  it(`takes at most ${MAX_MERGE_IDS} ids and a well-formed body`, async () => {
    const r = await reader();
    const tooMany = Array.from({ length: MAX_MERGE_IDS + 1 }, (_, i) => i + 1);
    const res = await callJson<ApiError>('POST', '/api/v1/me/favorites/merge', { cookie: r.cookie, body: { articleIds: tooMany } });
    expect(res.res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const justEnough = [...Array.from({ length: MAX_MERGE_IDS - 1 }, (_, i) => 900000 + i), ids.harbour];
    expect((await callJson('POST', '/api/v1/me/favorites/merge', { cookie: r.cookie, body: { articleIds: justEnough } })).body).toMatchObject({ added: 1, ignored: MAX_MERGE_IDS - 1 });
    for (const body of [{}, { articleIds: 'all' }, { articleIds: [0] }, { articleIds: ['x'] }, { articleIds: [1.5] }]) {
      expect((await call('POST', '/api/v1/me/favorites/merge', { cookie: r.cookie, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect(await savedIds(r.id)).toEqual([ids.harbour]);
  });

  it('keeps the most recent ones when the limit is reached (service)', async () => {
    const r = await reader();
    const service = createFavoriteService({ db: kysely(), content: t.app.deps.content, now: () => new Date(tick()), maxFavorites: 3 });
    await service.add(r.id, ids.rains);
    const result = await service.merge(r.id, [ids.harbour, ids.bank, ids.court]);
    expect(result).toMatchObject({ added: 2, overLimit: 1, count: 3, saved: [ids.bank, ids.court] });
    await expect(service.add(r.id, ids.bridge)).rejects.toMatchObject({ status: 409 });
  });
});

describe('the "Add to favorites" form without JavaScript', () => {
  it('saves and sends the reader back to the page they came from (same site only)', async () => {
    const r = await reader();
    const back = await formPost(`/favorites/${ids.rains}`, { cookie: r.cookie, headers: { referer: `${t.url}/africa?page=2` } });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/africa?page=2');
    expect(back.headers.get('cache-control')).toBe('private, no-store');

    const foreign = await formPost(`/favorites/${ids.harbour}`, { cookie: r.cookie, headers: { referer: 'https://evil.example/phish' } });
    expect(foreign.status).toBe(303);
    expect(foreign.headers.get('location')).toBe(paths.harbour);

    const none = await formPost(`/favorites/${ids.harbour}`, { cookie: r.cookie });
    expect(none.headers.get('location')).toBe(paths.harbour);
    expect(await savedIds(r.id)).toEqual([ids.harbour, ids.rains]);
  });

  it('removes from the favorites page and goes back to it', async () => {
    const r = await reader();
    await formPost(`/favorites/${ids.bank}`, { cookie: r.cookie });
    const res = await formPost(`/favorites/${ids.bank}/remove`, { cookie: r.cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/favorites');
    const again = await formPost(`/favorites/${ids.bank}/remove`, { cookie: r.cookie, headers: { referer: `${t.url}/favorites?page=2` } });
    expect(again.headers.get('location')).toBe('/favorites?page=2');
    expect(await savedIds(r.id)).toEqual([]);
  });

  it('sends a reader who is not signed in to sign in, then back to the story', async () => {
    const res = await formPost(`/favorites/${ids.rains}`, { headers: { referer: `${t.url}${paths.rains}` } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(paths.rains)}`);
    const remove = await formPost(`/favorites/${ids.rains}/remove`);
    expect(remove.status).toBe(303);
    expect(remove.headers.get('location')).toBe('/signin?next=%2Ffavorites');
  });

  it('answers an unknown or unpublished story with a 404 page', async () => {
    const r = await reader();
    for (const id of [999999, ids.draft]) {
      const res = await formPost(`/favorites/${id}`, { cookie: r.cookie });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('private, no-store');
    }
    expect(await savedIds(r.id)).toEqual([]);
  });
});

describe('forged cross-site requests', () => {
  it.each([
    ['Origin: https://evil.example', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('are refused with 403 and change nothing (%s)', async (_name, headers) => {
    const r = await reader();
    await call('PUT', `/api/v1/me/favorites/${ids.court}`, { cookie: r.cookie });

    expect((await formPost(`/favorites/${ids.rains}`, { cookie: r.cookie, headers })).status).toBe(403);
    expect((await formPost(`/favorites/${ids.court}/remove`, { cookie: r.cookie, headers })).status).toBe(403);
    const put = await callJson<ApiError>('PUT', `/api/v1/me/favorites/${ids.harbour}`, { cookie: r.cookie, headers });
    expect(put.res.status).toBe(403);
    expect(put.body.error.code).toBe('cross_site_request');
    expect((await call('DELETE', `/api/v1/me/favorites/${ids.court}`, { cookie: r.cookie, headers })).status).toBe(403);
    expect((await call('POST', '/api/v1/me/favorites/merge', { cookie: r.cookie, headers, body: { articleIds: [ids.bank] } })).status).toBe(403);

    expect(await savedIds(r.id)).toEqual([ids.court]);
  });

  it('lets the site’s own pages through', async () => {
    const r = await reader();
    const res = await call('PUT', `/api/v1/me/favorites/${ids.court}`, { cookie: r.cookie, headers: { origin: t.url, 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(200);
  });
});

describe('the favorites page', () => {
  it('shows a signed-in reader their stories, newest saved first, each with a remove form', async () => {
    const r = await reader();
    for (const key of ['court', 'rains'] as const) await call('PUT', `/api/v1/me/favorites/${ids[key]}`, { cookie: r.cookie });
    const res = await call('GET', '/favorites', { cookie: r.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('etag')).toBeNull();
    const html = await res.text();
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).toContain('2 saved stories');
    expect(html.indexOf(paths.rains)).toBeLessThan(html.indexOf(paths.court));
    expect(html).toContain(`action="/favorites/${ids.rains}/remove"`);
    expect(html).toContain(`action="/favorites/${ids.court}/remove"`);
  });

  it('explains favorites to a reader who is not signed in, with a way to sign in', async () => {
    const res = await call('GET', '/favorites');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('href="/signin?next=%2Ffavorites"');
    expect(html).toContain('data-local-favorites');
    expect(html).not.toContain('/remove"');
  });

  it('has an empty state for a reader with nothing saved', async () => {
    const r = await reader();
    const html = await (await call('GET', '/favorites', { cookie: r.cookie })).text();
    expect(html).toContain('You have not saved any stories yet.');
  });
});

describe('public pages stay the same for every reader', () => {
  it('serves the article page with the same ETag and body to signed-in and signed-out readers', async () => {
    const r = await reader();
    const user = await kysely().selectFrom('users').select(['email', 'display_name']).where('id', '=', r.id).executeTakeFirstOrThrow();
    await call('PUT', `/api/v1/me/favorites/${ids.bridge}`, { cookie: r.cookie });

    // Rendered for the signed-in reader first, then for a stranger: neither render may depend on who asked.
    t.app.deps.cache.clear();
    const signedIn = await call('GET', paths.bridge, { cookie: r.cookie });
    const signedInHtml = await signedIn.text();
    t.app.deps.cache.clear();
    const signedOut = await call('GET', paths.bridge);
    const signedOutHtml = await signedOut.text();

    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('etag')).toBeTruthy();
    expect(signedIn.headers.get('etag')).toBe(signedOut.headers.get('etag'));
    expect(signedInHtml).toBe(signedOutHtml);
    expect(signedInHtml).not.toContain(user.email);
    expect(signedInHtml).not.toContain(user.display_name);
    expect(signedInHtml).toContain('aria-pressed="false"');
    expect(signedIn.headers.get('cache-control')).toMatch(/^public/);
    expect(signedIn.headers.get('set-cookie')).toBeNull();
  });

  it('puts a save button on every story card, and a link to the favorites page', async () => {
    const html = await (await call('GET', '/africa')).text();
    for (const key of ['rains', 'harbour', 'bank'] as const) {
      expect(html).toMatch(new RegExp(`<form[^>]+action="/favorites/${ids[key]}"`));
    }
    expect(html).toContain('href="/favorites"');
  });
});

describe('the API description', () => {
  it('lists the favorites endpoints under their tag', async () => {
    const doc = (await (await call('GET', '/api/openapi.json')).json()) as OpenApiDoc;
    expect(doc.paths['/api/v1/me/favorites']?.get?.tags).toEqual(['favorites']);
    expect(doc.paths['/api/v1/me/favorites/{articleId}']?.put?.tags).toEqual(['favorites']);
    expect(Object.keys(doc.paths['/api/v1/me/favorites/{articleId}']?.put?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409']);
    expect(doc.paths['/api/v1/me/favorites/{articleId}']?.delete?.tags).toEqual(['favorites']);
    expect(doc.paths['/api/v1/me/favorites/merge']?.post?.tags).toEqual(['favorites']);
  });
});
