/**
 * Strict request schemas (issue 10, item 6): a JSON body of the wrong type is
 * refused, not converted; an unknown field is refused the same way on every
 * API route; text from a form, the path and the query is still read as text,
 * but an integer there must be written in digits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { buildArticle, buildSection, buildTag } from '../../test/helpers/factories.js';
import { countRows } from '../../test/helpers/db.js';
import { sameOrigin } from '../../test/helpers/http.js';
import type { ApiError } from '../../test/helpers/api-types.js';

let t: TestApp;
let staff: Record<'admin' | 'reader', SignedIn>;
let articleId: number;
let sectionId: number;
let tagId: number;
const db = () => t.db.kysely;

beforeAll(async () => {
  t = await startTestApp({
    build: { commentLimits: { minGapMs: 0 } },
    seed: async ({ db: { kysely } }) => {
      sectionId = (await buildSection(kysely, { slug: 'world', name: 'World' })).id;
      tagId = (await buildTag(kysely, { slug: 'water', name: 'Water' })).id;
      articleId = (await buildArticle(kysely, { sectionId, headline: 'Rain at last' })).id;
    },
  });
  staff = await buildStaff(db(), { admin: 'admin', reader: 'reader' });
});
afterAll(async () => t?.close());

const admin = () => ({ cookie: staff.admin.cookie });

interface Settings { comments: { closeAfterDays: number; defaultMode: string } }
const settings = async () => (await t.api<Settings>('GET', '/api/admin/settings/comments', { as: admin() })).body!.comments;

/** A 400 `invalid_request` whose message names the field. */
function expectRefused(res: { status: number; body: unknown }, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  const error = (res.body as ApiError).error;
  expect(error.code).toBe('invalid_request');
  expect(error.message).toContain(field);
}

describe('JSON bodies are not coerced', () => {
  it.each([
    ['null', null],
    ['true', true],
    ['"7"', '7'],
    ['[7]', [7]],
  ])('closeAfterDays %s is refused and the setting stays as it was', async (_label, value) => {
    const before = await settings();
    const res = await t.api('PUT', '/api/admin/settings/comments', { as: admin(), body: { closeAfterDays: value } });
    expectRefused(res, 'closeAfterDays');
    expect(res.body).toMatchObject({ error: { message: expect.stringMatching(/integer/) } });
    expect(await settings()).toEqual(before);
  });

  it('a number is still taken as a number', async () => {
    const res = await t.api<Settings>('PUT', '/api/admin/settings/comments', { as: admin(), body: { closeAfterDays: 14 } });
    expect(res.status).toBe(200);
    expect(res.body!.comments.closeAfterDays).toBe(14);
  });

  it.each([
    ['["x"]', ['x']],
    ['123', 123],
    ['true', true],
  ])('a headline of %s is refused and the story is unchanged', async (_label, value) => {
    const before = await db().selectFrom('articles').select(['headline', 'updated_at']).where('id', '=', articleId).executeTakeFirstOrThrow();
    const res = await t.api('PATCH', `/api/admin/articles/${articleId}`, { as: admin(), body: { headline: value } });
    expectRefused(res, 'headline');
    expect(res.body).toMatchObject({ error: { message: expect.stringMatching(/string/) } });
    const after = await db().selectFrom('articles').select(['headline', 'updated_at']).where('id', '=', articleId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('a body that is not UTF-8 is refused, not stored with U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('{"displayName":"Ren'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const res = await t.request('PATCH', '/api/v1/me', { as: { cookie: staff.reader.cookie }, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400); // no body at all
    const bad = await fetch(`${t.url}/api/v1/me`, { method: 'PATCH', headers: { cookie: staff.reader.cookie, 'content-type': 'application/json' }, body: bytes });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('UTF-8') } });
    const row = await db().selectFrom('users').select('display_name').where('id', '=', staff.reader.id).executeTakeFirstOrThrow();
    expect(row.display_name).not.toContain('\uFFFD');
  });

  it('a display name of 123 is refused', async () => {
    const res = await t.api('PATCH', '/api/v1/me', { as: { cookie: staff.reader.cookie }, body: { displayName: 123 } });
    expectRefused(res, 'displayName');
  });
});

describe('unknown fields are refused, the same way on every API route', () => {
  it('PATCH /api/v1/me', async () => {
    const res = await t.api('PATCH', '/api/v1/me', { as: { cookie: staff.reader.cookie }, body: { displayName: 'New Name', role: 'admin' } });
    expectRefused(res, 'role');
    const row = await db().selectFrom('users').select(['display_name', 'role']).where('id', '=', staff.reader.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ display_name: expect.not.stringMatching('New Name'), role: 'reader' });
  });

  it('PATCH /api/admin/articles/:id', async () => {
    const res = await t.api('PATCH', `/api/admin/articles/${articleId}`, { as: admin(), body: { headline: 'Changed', status: 'published' } });
    expectRefused(res, 'status');
    const row = await db().selectFrom('articles').select('headline').where('id', '=', articleId).executeTakeFirstOrThrow();
    expect(row.headline).toBe('Rain at last');
  });

  it('POST /api/v1/articles/:id/comments', async () => {
    const before = await countRows(db(), 'comments');
    const res = await t.api('POST', `/api/v1/articles/${articleId}/comments`, { as: { cookie: staff.reader.cookie }, body: { body: 'Good news for the farmers.', status: 'approved' } });
    expectRefused(res, 'status');
    expect(await countRows(db(), 'comments')).toBe(before);
  });

  it('PATCH /api/admin/sections/:id and /api/admin/tags/:id', async () => {
    expectRefused(await t.api('PATCH', `/api/admin/sections/${sectionId}`, { as: admin(), body: { name: 'Planet', colour: 'red' } }), 'colour');
    expectRefused(await t.api('PATCH', `/api/admin/tags/${tagId}`, { as: admin(), body: { name: 'Rivers', weight: 3 } }), 'weight');
    expect(await db().selectFrom('sections').select('name').where('id', '=', sectionId).executeTakeFirstOrThrow()).toEqual({ name: 'World' });
    expect(await db().selectFrom('tags').select('name').where('id', '=', tagId).executeTakeFirstOrThrow()).toEqual({ name: 'Water' });
  });

  it('PUT /api/admin/settings/comments (a closed object that dropped unknown fields before)', async () => {
    const before = await settings();
    expectRefused(await t.api('PUT', '/api/admin/settings/comments', { as: admin(), body: { closeAfterDays: 3, autoApprove: true } }), 'autoApprove');
    expect(await settings()).toEqual(before);
  });
});

describe('text from the path, the query and forms', () => {
  it('a newsroom form post is still read from text (one ticked box, a stray field)', async () => {
    const res = await t.request('POST', '/newsroom/tags', {
      as: admin(), headers: sameOrigin(t.url),
      form: { name: 'Harvest', slug: '', description: '', specialCoverage: 'on', _csrf: 'from-an-old-page' },
    });
    expect(res.status).toBe(303);
    const tag = await db().selectFrom('tags').select(['name', 'special_coverage']).where('slug', '=', 'harvest').executeTakeFirst();
    expect(tag).toMatchObject({ name: 'Harvest' });
  });

  it('the comment settings form takes "7" for closeAfterDays', async () => {
    const res = await t.request('POST', '/newsroom/settings/comments', {
      as: admin(), headers: sameOrigin(t.url), form: { defaultMode: 'open', closeAfterDays: '7', bannedWords: '' },
    });
    expect(res.status).toBe(303);
    expect((await settings()).closeAfterDays).toBe(7);
  });

  it('a query integer in digits is read; 1e3, 0x10, 1.0 and " 1" are refused', async () => {
    expect((await t.api('GET', '/api/v1/articles?page=2')).status).toBe(200);
    for (const page of ['1e3', '0x10', '1.0', '%201', '+1']) {
      expectRefused(await t.api('GET', `/api/v1/articles?page=${page}`), 'page');
    }
  });

  it('a path id in digits is read; 1e0 is refused', async () => {
    expect((await t.api('GET', `/api/admin/articles/${articleId}`, { as: admin() })).status).toBe(200);
    expectRefused(await t.api('GET', '/api/admin/articles/1e0', { as: admin() }), 'id');
  });

  it('an HTML route answers a wrong query with the site\'s 400 page', async () => {
    const res = await t.page('/newsroom/tags?page=1e3', admin());
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.html).toContain('page');
  });
});

describe('one-line fields and forms that are not UTF-8', () => {
  it('a headline or a section name with a line break is refused; a standfirst and a description keep theirs', async () => {
    expectRefused(await t.api('PATCH', `/api/admin/articles/${articleId}`, { as: admin(), body: { headline: 'Rain\nat last' } }), 'headline');
    const sections = await countRows(db(), 'sections');
    const form = await t.request('POST', '/newsroom/sections', { as: admin(), headers: sameOrigin(t.url), form: { name: 'Farm\r\nnews', slug: 'farm', description: '' } });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('name');
    expect(await countRows(db(), 'sections')).toBe(sections);

    const ok = await t.api('PATCH', `/api/admin/articles/${articleId}`, { as: admin(), body: { standfirst: 'First line.\nSecond line.' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const made = await t.request('POST', '/newsroom/sections', { as: admin(), headers: sameOrigin(t.url), form: { name: 'Farming', slug: 'farming', description: 'Crops.\r\nAnd markets.' } });
    expect(made.status).toBe(303);
    const row = await db().selectFrom('sections').select('description').where('slug', '=', 'farming').executeTakeFirstOrThrow();
    expect(row.description).toBe('Crops.\r\nAnd markets.');
  });

  it('a form whose bytes or percent-escapes are not UTF-8 is refused, not stored with U+FFFD', async () => {
    const tags = await countRows(db(), 'tags');
    for (const body of [Buffer.concat([Buffer.from('name=a'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('&slug=bytes')]), Buffer.from('name=%C3%28%FF&slug=escapes')]) {
      const res = await fetch(`${t.url}/newsroom/tags`, { method: 'POST', redirect: 'manual', headers: { cookie: staff.admin.cookie, ...sameOrigin(t.url), 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('UTF-8');
    }
    expect(await countRows(db(), 'tags')).toBe(tags);
  });
});
