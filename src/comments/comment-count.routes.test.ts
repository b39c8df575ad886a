/**
 * The comment count a story shows is the number of its approved comments, even
 * when many readers post at once (on PostgreSQL, READ COMMITTED transactions
 * that counted before each other's commit used to lose updates).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildSection, postComment } from '../../test/helpers/factories.js';
import { buildUser, sessionCookieFor, signedInUser, type SignedIn } from '../../test/helpers/accounts.js';
import { hashPassword } from '../accounts/password.js';
import type { Static } from 'typebox';
import type { ArticleEnvelopeJson } from '../content/content.schemas.js';

const POSTS = 60;
let t: TestApp;
let articleId = 0;
let moderator: SignedIn;
const readerCookies = new Map<number, SignedIn>();

beforeAll(async () => {
  t = await startTestApp({
    build: { commentLimits: { minGapMs: 0 } },
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World' });
      articleId = (await buildArticle(db, { sectionId: world.id, headline: 'Storm reaches the coast', publishedAt: new Date(Date.now() - 3600_000) })).id;
    },
  });
  moderator = await signedInUser(t.db.kysely, { role: 'editor' });
});
afterAll(async () => t?.close());

async function approvedRows(): Promise<number> {
  const row = await t.db.kysely
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function shownCount(): Promise<number> {
  const res = await t.request('GET', `/api/v1/articles/${articleId}`, { headers: { accept: 'application/json' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as Static<typeof ArticleEnvelopeJson>).article.commentCount;
}

it(`shows as many comments as are approved after ${POSTS} readers post at once`, async () => {
  const readers = await Promise.all(Array.from({ length: POSTS }, (_, i) => signedInUser(t.db.kysely, { displayName: `Reader ${i}` })));
  for (const r of readers) readerCookies.set(r.id, r);
  const results = await Promise.all(readers.map((r, i) => postComment(t, articleId, r, `Comment number ${i} on the storm.`)));
  expect(results.map((r) => r.res.status)).toEqual(results.map(() => 201));
  expect(await approvedRows()).toBe(POSTS);
  expect(await shownCount(), `shown ${await shownCount()} of ${POSTS}`).toBe(POSTS);
});

it('keeps the count right when moderators reject and readers delete at the same time', async () => {
  const rows = await t.db.kysely.selectFrom('comments').select(['id', 'user_id']).where('article_id', '=', articleId).orderBy('id').execute();
  const headers = { origin: t.url, accept: 'application/json' };
  const answers = await Promise.all([
    ...rows.slice(0, 10).map((r) => t.request('POST', `/api/admin/comments/${r.id}/reject`, { as: moderator, headers })),
    ...rows.slice(10, 20).map((r) => t.request('DELETE', `/api/v1/comments/${r.id}`, { as: readerCookies.get(r.user_id!)!, headers })),
  ]);
  expect(answers.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
  expect(await approvedRows()).toBe(POSTS - 20);
  expect(await shownCount()).toBe(POSTS - 20);
});

it('takes a deleted account\'s comments out of the count', async () => {
  const password = 'a long enough password 42';
  const reader = await buildUser(t.db.kysely, { passwordHash: await hashPassword(password) });
  const as = { cookie: await sessionCookieFor(t.db.kysely, reader.id) };
  expect((await postComment(t, articleId, as, 'Leaving soon, but first this.')).res.status).toBe(201);
  expect(await shownCount()).toBe(POSTS - 19);
  const res = await t.request('DELETE', '/api/v1/me', { as, json: { password }, headers: { origin: t.url, accept: 'application/json' } });
  expect(res.status).toBe(204);
  expect(await approvedRows()).toBe(POSTS - 20);
  expect(await shownCount()).toBe(POSTS - 20);
});
