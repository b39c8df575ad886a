/**
 * Text and numbers from outside, on every route and both databases: a NUL,
 * another control character, a lone surrogate or bad percent-encoding gets a
 * clear 404 (in the path) or 400 naming the field (query, JSON, form,
 * multipart) and changes nothing; ids past what PostgreSQL's integer holds
 * name nothing (404); and a "site path" is one a browser cannot read as
 * another site (`/\evil.example` is refused where it is typed and shown as
 * plain text where an older row holds it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import { startTestApp, type TestApp } from './helpers/app.js';
import { buildArticle, buildSection, createStory, publishStory, postComment } from './helpers/factories.js';
import { buildStaff, buildUser, currentUser, sessionCookieFor, signedInUser, type SignedIn } from './helpers/accounts.js';
import { countRows } from './helpers/db.js';
import { postMultipart } from './helpers/multipart.js';
import { sameOrigin } from './helpers/http.js';
import { hashPassword } from '../src/accounts/password.js';
import { breakingStore } from '../src/content/settings.store.js';
import type { ErrorJson } from '../src/content/content.schemas.js';

type ApiError = Static<typeof ErrorJson>;

const EVIL = '/\\evil.example';

let t: TestApp;
let staff: Record<'editor' | 'admin', SignedIn>;
let reader: SignedIn;
let sectionId: number;

beforeAll(async () => {
  t = await startTestApp({
    build: { commentLimits: { minGapMs: 0 } },
    seed: async ({ db: { kysely: db } }) => {
      sectionId = (await buildSection(db, { slug: 'africa', name: 'Africa' })).id;
      staff = await buildStaff(db, { editor: 'editor', admin: 'admin' });
      reader = await signedInUser(db, { displayName: 'Amina' });
    },
  });
});
afterAll(async () => t?.close());

/** A refusal of the JSON API: 400 invalid_request whose message names the field. */
function expectRefused(r: { status: number; body: unknown }, field: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  const { error } = r.body as ApiError;
  expect(error.code).toBe('invalid_request');
  expect(error.message).toContain(field);
}

describe('the path', () => {
  it.each(['/africa%00', '/robots.txt%00', '/africa/%00', '/africa%07', '/africa%C2%85', '/africa%FF', '/africa%ED%A0%80', '/media/a%00.jpg'])(
    '%s is a page that does not exist (404 in the site look)',
    async (path) => {
      const page = await t.page(path);
      expect(page.status).toBe(404);
      expect(page.html).toContain('Page not found');
    },
  );

  it('answers the API with its JSON 404', async () => {
    for (const path of ['/api/v1/sections%00', '/api/v1/articles/1%00', '/api/v1/sections%FF']) {
      const r = await t.api<ApiError>('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body!.error.code).toBe('not_found');
    }
  });
});

describe('the query string', () => {
  it('refuses a NUL in a query value with 400 naming the parameter, on the API and on pages', async () => {
    expectRefused(await t.api('GET', '/api/admin/articles?q=a%00b', { as: staff.editor }), 'q');
    expectRefused(await t.api('GET', '/api/admin/tags?q=a%00b', { as: staff.editor }), 'q');
    expectRefused(await t.api('GET', '/api/v1/search?q=%FF', {}), 'q');
    const page = await t.page('/search?q=a%00b');
    expect(page.status).toBe(400);
    expect(page.html).toContain('q: contains a control character');
  });

  it('refuses a line feed in the query too (only body text may hold one)', async () => {
    expectRefused(await t.api('GET', '/api/admin/articles?q=a%0Ab', { as: staff.editor }), 'q');
  });
});

describe('JSON bodies', () => {
  it('refuses a NUL in the display name, and keeps the old one', async () => {
    const r = await t.api('PATCH', '/api/v1/me', { as: reader, body: { displayName: 'x\u0000y' } });
    expectRefused(r, 'displayName');
    expect((await currentUser(t, reader.cookie))!.displayName).toBe('Amina');
  });

  it('refuses a lone surrogate as it refuses a control character', async () => {
    const res = await t.app.inject({
      method: 'PATCH', url: '/api/v1/me', headers: { cookie: reader.cookie, 'content-type': 'application/json' },
      payload: '{"displayName":"x\\ud800y"}',
    });
    expectRefused({ status: res.statusCode, body: res.json() }, 'displayName');
  });

  it('refuses a NUL in a headline, a section, tag and author name, nested fields included; nothing is written', async () => {
    const story = await createStory(t, staff.editor);
    const before = await Promise.all((['sections', 'tags', 'authors', 'articles', 'article_revisions'] as const).map((table) => countRows(t.db.kysely, table)));

    expectRefused(await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { headline: 'Rains\u0000' } }), 'headline');
    expectRefused(await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { hero: { url: '/media/x.jpg', alt: 'a\u0000' } } }), 'hero.alt');
    expectRefused(await t.api('POST', '/api/admin/sections', { as: staff.admin, body: { name: 'Sa\u0000hel' } }), 'name');
    expectRefused(await t.api('POST', '/api/admin/tags', { as: staff.editor, body: { name: 'Wa\u0000ter' } }), 'name');
    expectRefused(await t.api('POST', '/api/admin/authors', { as: staff.editor, body: { name: 'A\u0001da' } }), 'name');
    expectRefused(await t.api('POST', '/api/admin/articles', { as: staff.editor, body: { headline: 'New', section: 'africa', markdown: 'One\u0000two' } }), 'markdown');

    const after = await Promise.all((['sections', 'tags', 'authors', 'articles', 'article_revisions'] as const).map((table) => countRows(t.db.kysely, table)));
    expect(after).toEqual(before);
    const saved = await t.api<{ article: { headline: string } }>('GET', `/api/admin/articles/${story.id}`, { as: staff.editor });
    expect(saved.body!.article.headline).toBe('Rains return to the Kesra Valley');
  });

  it('takes tabs and line breaks in body text', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Two paragraphs', markdown: 'First\tline.\r\n\r\nSecond paragraph.' });
    expect(story.headline).toBe('Two paragraphs');
  });
});

describe('form and multipart bodies', () => {
  it('refuses a NUL in a newsroom form field with 400 naming it, and keeps the strip as it was', async () => {
    await breakingStore.set(t.db.kysely, { text: 'Polls close at 8', path: null, expiresAt: null });
    const res = await t.request('POST', '/newsroom/breaking', { as: staff.editor, form: { text: 'Polls\u0000close', path: '' }, headers: sameOrigin(t.url) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('text: contains a control character');
    expect((await breakingStore.get(t.db.kysely))!.text).toBe('Polls close at 8');
  });

  it('refuses a NUL in a multipart field of an upload, naming it, and stores nothing', async () => {
    const before = await countRows(t.db.kysely, 'media');
    const res = await postMultipart(t, '/api/admin/media', [
      { name: 'caption', value: 'The valley\u0000' },
      { name: 'file', value: Buffer.from('not an image'), filename: 'x.png', type: 'image/png' },
    ], { cookie: staff.editor.cookie });
    expectRefused({ status: res.statusCode, body: res.json() }, 'caption');
    expect(await countRows(t.db.kysely, 'media')).toBe(before);
  });
});

describe('ids and pages past what the database holds', () => {
  it('answers a sitemap page past the last one with 404', async () => {
    for (const file of ['stories-999999.xml', 'tags-999999.xml', 'authors-214749.xml']) {
      expect((await t.get(`/sitemaps/${file}`)).status, file).toBe(404);
    }
    expect((await t.get('/sitemaps/stories-1.xml')).status).not.toBe(500);
  });

  it('answers an id past 2^31-1 as it answers any malformed id (400; 404 for a story address), on pages and the API', async () => {
    const big = '99999999999';
    expect((await t.page(`/africa/${big}-rains`)).status).toBe(404);
    for (const path of [`/comments/${big}`, `/articles/${big}/comments`]) expect((await t.page(path)).status, path).toBe(400);
    expect((await t.page(`/newsroom/stories/${big}`, staff.editor)).status).toBe(400);
    expect((await t.page(`/newsroom/tags/${big}`, staff.editor)).status).toBe(400);
    expectRefused(await t.api('GET', `/api/v1/articles/${big}`), 'id');
    expectRefused(await t.api('GET', `/api/admin/articles/${big}`, { as: staff.editor }), 'id');
    expectRefused(await t.api('GET', `/api/admin/articles/1/revisions/${big}`, { as: staff.editor }), 'rev');
    expectRefused(await t.api('GET', `/api/admin/articles/1/revisions/compare?a=${big}`, { as: staff.editor }), 'a');
    expectRefused(await t.api('PATCH', `/api/admin/tags/${big}`, { as: staff.editor, body: { name: 'x' } }), 'id');
    expectRefused(await t.api('PUT', `/api/v1/me/favorites/${big}`, { as: reader }), 'articleId');
    expectRefused(await t.api('GET', `/api/admin/audit?before=${big}`, { as: staff.admin }), 'before');
  });

  it('refuses a reply to a comment id past 2^31-1 (the form and the API) and posts nothing', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Replies to nowhere' });
    await publishStory(t, staff.editor, story.id);
    const before = await countRows(t.db.kysely, 'comments');
    const form = await t.request('POST', `/articles/${story.id}/comments`, { as: reader, form: { body: 'A reply.', parentId: '9999999999' }, headers: sameOrigin(t.url) });
    expect(form.status).toBe(404);
    const api = await postComment(t, story.id, reader, 'A reply.', 9_999_999_999);
    expect([400, 404]).toContain(api.res.status);
    expect(await countRows(t.db.kysely, 'comments')).toBe(before);
  });
});

describe(`"${EVIL}" is not a path on this site`, () => {
  it('is refused as the breaking strip link, by the API and the newsroom form', async () => {
    await breakingStore.set(t.db.kysely, { text: 'Polls close at 8', path: null, expiresAt: null });
    expectRefused(await t.api('PUT', '/api/admin/breaking', { as: staff.editor, body: { text: 'Polls close', path: EVIL } }), 'path');
    const res = await t.request('POST', '/newsroom/breaking', { as: staff.editor, form: { text: 'Polls close', path: EVIL }, headers: sameOrigin(t.url) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await breakingStore.get(t.db.kysely))!.path).toBeNull();
  });

  it('is refused as a body link, a hero image and an author photo', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Links' });
    const linked = (href: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'here', marks: [{ type: 'link', attrs: { href } }] }] }] });
    expectRefused(await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { body: linked(EVIL) } }), 'link');
    expectRefused(await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { body: linked('/a\\b') } }), 'link');
    expectRefused(await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { hero: { url: EVIL, alt: '' } } }), 'hero');
    expectRefused(await t.api('POST', '/api/admin/authors', { as: staff.editor, body: { name: 'Ada', photoUrl: EVIL } }), 'photoUrl');
    // A good site path and an https URL still are.
    expect((await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { body: linked('/africa'), hero: { url: 'https://images.example/a.jpg', alt: '' } } })).status).toBe(200);
  });

  it('is dropped from a Markdown link (its text stays)', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Markdown links', markdown: `See [the other site](${EVIL}) now.` });
    await publishStory(t, staff.editor, story.id);
    const page = await t.page(story.path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('the other site');
    expect(page.html).not.toContain('evil.example');
  });

  it('refuses a body whose marks are not a list, and whose nodes are not objects', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Bad marks' });
    const bad = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: 5 }] }] };
    expectRefused(await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { body: bad } }), 'marks');
    const worse = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [null] }] }] };
    expectRefused(await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { body: worse } }), 'marks');
  });

  it('is never the place sign-in sends a reader on to', async () => {
    const signedIn = await t.get(`/signin?next=${encodeURIComponent(EVIL)}`, { cookie: reader.cookie });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');

    const password = 'a long enough passphrase';
    const user = await buildUser(t.db.kysely, { passwordHash: await hashPassword(password) });
    const res = await t.request('POST', '/signin', { form: { email: user.email, password, next: EVIL }, headers: sameOrigin(t.url) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const good = await t.get(`/signin?next=${encodeURIComponent('/africa')}`, { cookie: await sessionCookieFor(t.db.kysely, user.id) });
    expect(good.headers.get('location')).toBe('/africa');
  });

  it('stored before these checks, is shown as text, never as a link or an image', async () => {
    const { id } = await buildArticle(t.db.kysely, { sectionId, headline: 'An old story', slug: 'an-old-story', hero: { url: EVIL, alt: 'old hero' } });
    const body = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'old link', marks: [{ type: 'link', attrs: { href: EVIL } }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'odd marks', marks: 5 }] },
        { type: 'image', attrs: { src: EVIL, alt: 'old image' } },
        { type: 'bulletList', content: { not: 'a list' } },
      ],
    };
    await t.db.kysely.updateTable('articles').set({ body: JSON.stringify(body) }).where('id', '=', id).execute();
    await breakingStore.set(t.db.kysely, { text: 'Old strip', path: EVIL, expiresAt: null });
    // Written behind the app's back, as a restart would find it: the app keeps the strip in memory
    // until a purge names the chrome, so drop what it holds (as a restart would).
    await t.app.deps.purge.publish(['chrome']);

    const page = await t.page(`/africa/${id}-an-old-story`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('old link');
    expect(page.html).toContain('odd marks');
    expect(page.html).toContain('Old strip');
    expect(page.html).not.toContain('evil.example');

    const api = await t.api<{ article: { bodyHtml: string; heroImage: unknown } }>('GET', `/api/v1/articles/${id}`);
    expect(api.status).toBe(200);
    expect(api.body!.article.bodyHtml).toContain('old link');
    expect(api.body!.article.bodyHtml).not.toContain('evil.example');
    expect(api.body!.article.heroImage).toBeNull();
  });
});
