import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { countRows } from '../../test/helpers/db.js';
import { buildArticle, buildSection, postComment } from '../../test/helpers/factories.js';
import { signedInUser } from '../../test/helpers/accounts.js';
import { jsonOf } from '../../test/helpers/http.js';
import type { Role } from '../platform/db/types.js';
import type { Static } from 'typebox';
import type { ApiError, OpenApiDoc } from '../../test/helpers/api-types.js';
import type { ArticleEnvelopeJson } from '../content/content.schemas.js';
import type {
  ArticleModeJson, CommentBanJson, CommentSettingsEnvelope, DiscussionJson, ModerationResultJson, OwnCommentEnvelope, QueueJson, ReportReceivedJson,
} from './comment.schemas.js';
import type { AuditListJson, TokenCreatedJson } from '../newsroom/newsroom.schemas.js';

type Discussion = Static<typeof DiscussionJson>;
type OwnComment = Static<typeof OwnCommentEnvelope>;
type Queue = Static<typeof QueueJson>;
type Moderated = Static<typeof ModerationResultJson>;
type CommentSettings = Static<typeof CommentSettingsEnvelope>;
type AuditList = Static<typeof AuditListJson>;

const MINUTE = 60_000;
let t: TestApp;
/** The app's clock runs with real time, plus an offset tests move forward (the edit window). */
let offset = 0;
type Story = 'open' | 'open2' | 'closed' | 'premod' | 'old' | 'moderation' | 'paging' | 'threads' | 'modes' | 'form';
const ids = {} as Record<Story | 'draft', number>;
const paths = {} as Record<Story, string>;

beforeAll(async () => {
  t = await startTestApp({
    now: () => new Date(Date.now() + offset),
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World' });
      const stories: Array<[Story, string, number]> = [
        ['open', 'Rains return to the valley', 1],
        ['open2', 'Harbour reopens after the storm', 2],
        ['closed', 'Court hears the land case', 3],
        ['premod', 'Election night live', 4],
        ['old', 'Bridge opened decades ago', 40 * 24],
        ['moderation', 'Council votes on the budget', 5],
        ['paging', 'Floods reach the delta', 6],
        ['threads', 'Trains back on time', 7],
        ['modes', 'Parliament sits late', 8],
        ['form', 'Schools open again', 9],
      ];
      for (const [key, headline, hoursAgo] of stories) {
        const a = await buildArticle(db, { sectionId: world.id, headline, publishedAt: new Date(Date.now() - hoursAgo * 3600_000) });
        ids[key] = a.id;
        paths[key] = `/world/${a.id}-${a.slug}`;
      }
      ids.draft = (await buildArticle(db, { sectionId: world.id, headline: 'Unfinished', status: 'draft', publishedAt: null })).id;
      await db.updateTable('articles').set({ comments_mode: 'closed' }).where('id', '=', ids.closed).execute();
      await db.updateTable('articles').set({ comments_mode: 'premoderated' }).where('id', '=', ids.premod).execute();
    },
  });
});
afterAll(async () => t?.close());

const db = () => t.db.kysely;

const user = (role: Role = 'reader', over: { commentBanned?: boolean; displayName?: string } = {}) => signedInUser(db(), { role, ...over });

interface Call {
  cookie?: string | undefined;
  body?: unknown;
  form?: Record<string, string>;
  origin?: string;
}

/** A browser-like request: same-origin unless told otherwise. */
function call(method: string, path: string, { cookie, body, form, origin }: Call = {}) {
  const headers = { origin: origin ?? t.url, accept: form ? 'text/html' : 'application/json' };
  return t.request(method, path, { as: cookie ? { cookie } : undefined, json: body, form, headers });
}

/** A response's JSON, read as the answer the test expects. */
async function json<T = unknown>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Posts a comment as `who`; the answer is read as the comment, or as T (e.g. ApiError) where the test expects a refusal. */
const post = <T = OwnComment>(articleId: number, who: { cookie: string }, body: string, parentId?: number) => postComment<T>(t, articleId, who, body, parentId);

/** A JSON call as `who`; the answer is read as T (null for a 204). */
async function staffCall<T = unknown>(method: string, path: string, who: { cookie: string }, body?: unknown) {
  const res = await call(method, path, { cookie: who.cookie, body });
  return { res, body: await jsonOf<T>(res) };
}

async function counts(articleId?: number) {
  const a = articleId ? await db().selectFrom('articles').select('comment_count').where('id', '=', articleId).executeTakeFirstOrThrow() : null;
  return { comments: await countRows(db(), 'comments'), reports: await countRows(db(), 'comment_reports'), commentCount: a ? Number(a.comment_count) : null };
}

async function page(path: string): Promise<string> {
  const res = await t.get(path);
  expect(res.status).toBe(200);
  return res.text();
}

function threadRegion(html: string): string {
  const start = html.indexOf('<div class="comments-thread"');
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

async function list(articleId: number, query = '') {
  const res = await t.get(`/api/v1/articles/${articleId}/comments${query}`);
  expect(res.status).toBe(200);
  return json<Discussion>(res);
}

let editor: { id: number; cookie: string };
let admin: { id: number; cookie: string };
beforeAll(async () => {
  editor = await user('editor');
  admin = await user('admin');
});

describe('posting and showing comments', () => {
  it('shows an approved comment in the API, on the cached article page and in the count', async () => {
    const before = await page(paths.open); // cached now
    expect(before).toContain('Comments (0)');
    const reader = await user('reader', { displayName: 'Amina D.' });
    const { res, body } = await post(ids.open, reader, 'The rains were late this year.\n\nSee https://example.org/rain for the data.');
    expect(res.status).toBe(201);
    expect(body.comment).toMatchObject({
      articleId: ids.open, parentId: null, status: 'approved', author: { id: reader.id, displayName: 'Amina D.' }, editedAt: null, featured: false,
      url: `${t.url}/comments/${body.comment.id}`,
    });
    expect(body.comment.bodyHtml).toBe(
      '<p>The rains were late this year.</p><p>See <a href="https://example.org/rain" rel="nofollow ugc noopener">https://example.org/rain</a> for the data.</p>',
    );
    expect((await counts(ids.open)).commentCount).toBe(1);

    const listed = await list(ids.open);
    expect(listed).toMatchObject({ articleId: ids.open, mode: 'open', count: 1, sort: 'newest', pagination: { page: 1, total: 1, totalPages: 1 } });
    expect(listed.comments[0]).toMatchObject({ id: body.comment.id, replies: [] });
    expect(listed.comments[0]).not.toHaveProperty('body'); // the raw text is only for its author

    const html = await page(paths.open);
    expect(html).toContain('Comments (1)');
    const region = threadRegion(html);
    expect(region).toContain(`id="comment-${body.comment.id}"`);
    expect(region).toContain('Amina D.');
    expect(region).toMatch(new RegExp(`<a class="comment__permalink" href="/comments/${body.comment.id}"><time datetime="[^"]+" title="[^"]+" data-relative>just now</time></a>`));
    expect(region).toContain('rel="nofollow ugc noopener"');
    // The count on story cards comes from articles.comment_count.
    expect((await json<Static<typeof ArticleEnvelopeJson>>(await t.get(`/api/v1/articles/${ids.open}`))).article.commentCount).toBe(1);
  });

  it('renders the form, the sign-in link and the cache headers for everyone alike', async () => {
    const res = await t.get(paths.open2);
    const html = await res.text();
    expect(res.headers.get('cache-control')).toContain('public');
    expect(res.headers.get('surrogate-key')).toContain(`article:${ids.open2}`);
    expect(html).toContain(`<form class="comment-form" method="post" action="/articles/${ids.open2}/comments"`);
    expect(html).toContain(`href="/signin?next=${encodeURIComponent(`${paths.open2}#comments`)}"`);
    expect(html).toContain('Sign in to join the discussion');
    expect(html).toContain('No comments yet.');
  });

  it('threads replies two deep: a reply to a reply joins the top-level thread', async () => {
    const [a, b, c] = [await user(), await user(), await user()];
    const top = (await post(ids.threads, a, 'Top-level remark')).body.comment;
    const reply = (await post(ids.threads, b, 'A reply', top.id)).body.comment;
    expect(reply.parentId).toBe(top.id);
    const nested = await post(ids.threads, c, 'A reply to the reply', reply.id);
    expect(nested.res.status).toBe(201);
    expect(nested.body.comment.parentId).toBe(top.id);

    const listed = await list(ids.threads, '?sort=oldest');
    expect(listed.count).toBe(3);
    expect(listed.comments).toHaveLength(1);
    expect(listed.comments[0]?.replies.map((r) => r.id)).toEqual([reply.id, nested.body.comment.id]);

    // Replying to a comment on another story, or to none, is refused and writes nothing.
    const other = (await post(ids.open2, await user(), 'Elsewhere')).body.comment;
    const before = await counts(ids.threads);
    const wrong = await post(ids.threads, await user(), 'Misplaced reply', other.id);
    expect(wrong.res.status).toBe(404);
    expect((await post(ids.threads, await user(), 'Reply to nothing', 99999)).res.status).toBe(404);
    expect(await counts(ids.threads)).toEqual(before);
  });

  it('sorts newest or oldest first and pages the threads ("More comments")', async () => {
    const posted: number[] = [];
    for (let i = 1; i <= 5; i++) {
      offset += 1000;
      posted.push((await post(ids.paging, await user(), `Paging comment ${i}`)).body.comment.id);
    }
    const limits = t.app.deps.comments.limits;
    const pageSize = limits.pageSize;
    limits.pageSize = 2;
    try {
      const newest = await list(ids.paging);
      expect(newest.comments.map((c) => c.id)).toEqual([posted[4], posted[3]]);
      expect(newest.pagination).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
      expect((await list(ids.paging, '?page=2')).comments.map((c) => c.id)).toEqual([posted[2], posted[1]]);
      expect((await list(ids.paging, '?sort=oldest')).comments.map((c) => c.id)).toEqual([posted[0], posted[1]]);
      expect((await t.get(`/api/v1/articles/${ids.paging}/comments?page=9`)).status).toBe(404);
      expect((await t.get(`/api/v1/articles/${ids.paging}/comments?sort=sideways`)).status).toBe(400);

      await t.app.deps.events.emit('content.changed', { keys: [`article:${ids.paging}`] });
      const html = await page(paths.paging);
      expect(html).toContain(`href="/articles/${ids.paging}/comments?page=2" data-comments-more`);
      const second = await page(`/articles/${ids.paging}/comments?page=2`);
      expect(second).toContain(`id="comment-${posted[2]}"`);
      expect(second).not.toContain(`id="comment-${posted[4]}"`);
      expect(second).toContain('Page 2 of 3');
      const oldest = await page(`/articles/${ids.paging}/comments?sort=oldest`);
      expect(oldest.indexOf(`id="comment-${posted[0]}"`)).toBeLessThan(oldest.indexOf(`id="comment-${posted[1]}"`));

      // The permalink finds the page a comment is on.
      const link = await t.get(`/comments/${posted[0]}`);
      expect(link.status).toBe(302);
      expect(link.headers.get('location')).toBe(`/articles/${ids.paging}/comments?page=3#comment-${posted[0]}`);
    } finally {
      limits.pageSize = pageSize;
    }
    const first = await t.get(`/comments/${posted[4]}`);
    expect(first.headers.get('location')).toBe(`${paths.paging}#comment-${posted[4]}`);
  });

  it('posts through the plain HTML form: 303 back to the comment, or to sign in', async () => {
    const reader = await user();
    const res = await call('POST', `/articles/${ids.form}/comments`, { cookie: reader.cookie, form: { body: 'Posted without JavaScript', parentId: '' } });
    expect(res.status).toBe(303);
    const row = await db().selectFrom('comments').selectAll().where('body', '=', 'Posted without JavaScript').executeTakeFirstOrThrow();
    expect(res.headers.get('location')).toBe(`${paths.form}#comment-${row.id}`);
    expect(await page(paths.form)).toContain('Posted without JavaScript');

    const before = await counts();
    const signedOut = await call('POST', `/articles/${ids.form}/comments`, { form: { body: 'Who am I?' } });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(`${paths.form}#comments`)}`);
    expect(await counts()).toEqual(before);

    const premod = await call('POST', `/articles/${ids.premod}/comments`, { cookie: (await user()).cookie, form: { body: 'Waiting my turn' } });
    expect(premod.status).toBe(303);
    expect(premod.headers.get('location')).toBe(`${paths.premod}#comments-pending`);
  });
});

describe('refusals write nothing', () => {
  it('refuses a signed-out reader (401)', async () => {
    const before = await counts(ids.open2);
    const res = await call('POST', `/api/v1/articles/${ids.open2}/comments`, { body: { body: 'Anonymous thoughts' } });
    expect(res.status).toBe(401);
    expect((await json<ApiError>(res)).error.code).toBe('unauthorized');
    expect(await counts(ids.open2)).toEqual(before);
  });

  it('refuses a forged cross-site post (403)', async () => {
    const reader = await user();
    const before = await counts(ids.open2);
    const res = await call('POST', `/api/v1/articles/${ids.open2}/comments`, { cookie: reader.cookie, body: { body: 'Forged' }, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await json<ApiError>(res)).error.code).toBe('cross_site_request');
    const form = await call('POST', `/articles/${ids.open2}/comments`, { cookie: reader.cookie, form: { body: 'Forged form' }, origin: 'https://evil.example' });
    expect(form.status).toBe(403);
    const report = await call('POST', `/api/v1/comments/1/report`, { cookie: reader.cookie, body: { reason: 'x' }, origin: 'https://evil.example' });
    expect(report.status).toBe(403);
    expect(await counts(ids.open2)).toEqual(before);
  });

  it('refuses comments on a closed story (403), and the page says so', async () => {
    const before = await counts(ids.closed);
    const { res, body } = await post<ApiError>(ids.closed, await user(), 'Too late?');
    expect(res.status).toBe(403);
    expect(body.error).toEqual({ code: 'comments_closed', message: expect.stringMatching(/Comments are closed/) });
    expect(await counts(ids.closed)).toEqual(before);
    const html = await page(paths.closed);
    expect(html).toContain('Comments are closed');
    expect(html).not.toContain('class="comment-form"');
    expect((await list(ids.closed)).mode).toBe('closed');
  });

  it('closes stories older than closeAfterDays that follow the default', async () => {
    const before = await counts(ids.old);
    const { res } = await post(ids.old, await user(), 'Digging up history');
    expect(res.status).toBe(403);
    expect(await counts(ids.old)).toEqual(before);
    expect(await page(paths.old)).toContain('Comments are closed');
  });

  it('refuses a banned reader (403)', async () => {
    const banned = await user('reader', { commentBanned: true });
    const before = await counts(ids.open2);
    const { res, body } = await post<ApiError>(ids.open2, banned, 'Let me back in');
    expect(res.status).toBe(403);
    expect(body.error.code).toBe('comment_banned');
    expect(await counts(ids.open2)).toEqual(before);
  });

  it('refuses a second comment too soon (429 with Retry-After)', async () => {
    const reader = await user();
    expect((await post(ids.open2, reader, 'First thought')).res.status).toBe(201);
    const before = await counts(ids.open2);
    const { res, body } = await post<ApiError>(ids.open2, reader, 'Second thought, quickly');
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(20);
    expect(body.error.code).toBe('too_many_comments');
    expect(await counts(ids.open2)).toEqual(before);
  });

  it('refuses the same text twice within six hours (409)', async () => {
    const reader = await user();
    const gap = t.app.deps.comments.limits.minGapMs;
    t.app.deps.comments.limits.minGapMs = 0;
    try {
      expect((await post(ids.open2, reader, 'Buy my book, it is great')).res.status).toBe(201);
      const before = await counts(ids.open2);
      const again = await post<ApiError>(ids.open2, reader, '  buy my book,  it is great! ');
      expect(again.res.status).toBe(409);
      expect(again.body.error).toEqual({ code: 'duplicate_comment', message: 'You already posted this comment. Nothing was posted again.' });
      expect((await post(ids.open, reader, 'Buy my book, it is great')).res.status).toBe(409);
      expect(await counts(ids.open2)).toEqual(before);
      offset += 6 * 3600_000 + MINUTE;
      expect((await post(ids.open2, reader, 'Buy my book, it is great')).res.status).toBe(201);
    } finally {
      offset -= 6 * 3600_000 + MINUTE;
      t.app.deps.comments.limits.minGapMs = gap;
    }
  });

  it('refuses an oversized (400) or empty comment (400)', async () => {
    const reader = await user();
    const before = await counts(ids.open2);
    const big = await post<ApiError>(ids.open2, reader, 'x'.repeat(5001));
    expect(big.res.status).toBe(400);
    expect(big.body.error.code).toBe('comment_too_long');
    expect(big.body.error.message).toContain('5,001');
    const empty = await post(ids.open2, reader, ' \n\n ');
    expect(empty.res.status).toBe(400);
    expect((await call('POST', `/api/v1/articles/${ids.open2}/comments`, { cookie: reader.cookie, body: { text: 'wrong field' } })).status).toBe(400);
    expect(await counts(ids.open2)).toEqual(before);
    // Exactly at the limit is fine (characters, not bytes).
    expect((await post(ids.open2, reader, 'é'.repeat(5000))).res.status).toBe(201);
  });

  it('answers 404 for a story that is not published', async () => {
    const before = await counts();
    expect((await post(ids.draft, await user(), 'Early bird')).res.status).toBe(404);
    expect((await t.get(`/api/v1/articles/${ids.draft}/comments`)).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe('moderation', () => {
  it('pre-moderated story: pending, not shown until approved; the cached page then shows it', async () => {
    const reader = await user();
    const first = await page(paths.premod); // cached now
    expect(first).toContain('appear once a moderator has approved them');
    const { res, body } = await post(ids.premod, reader, 'Counting is slow tonight');
    expect(res.status).toBe(201);
    expect(body.comment.status).toBe('pending');
    expect((await counts(ids.premod)).commentCount).toBe(0);
    expect((await list(ids.premod)).comments).toEqual([]);
    expect(await page(paths.premod)).not.toContain('Counting is slow tonight');
    expect((await t.get(`/comments/${body.comment.id}`)).status).toBe(404);

    const queue = await staffCall<Queue>('GET', '/api/admin/comments?status=pending', editor);
    expect(queue.res.status).toBe(200);
    expect(queue.body!.comments.map((c) => c.id)).toContain(body.comment.id);

    const approved = await staffCall<Moderated>('POST', `/api/admin/comments/${body.comment.id}/approve`, editor);
    expect(approved.res.status).toBe(200);
    expect(approved.body!.comment).toMatchObject({ id: body.comment.id, status: 'approved' });
    const after = await page(paths.premod);
    expect(after).toContain('Counting is slow tonight');
    expect(after).toContain('Comments (1)');
    expect((await counts(ids.premod)).commentCount).toBe(1);
  });

  it('holds a comment with a banned word, and shows the reason to moderators', async () => {
    const reader = await user();
    const { res, body } = await post(ids.moderation, reader, 'Cheap VIAGRA here');
    expect(res.status).toBe(201);
    expect(body.comment.status).toBe('held');
    expect((await list(ids.moderation)).comments).toEqual([]);
    const queue = await staffCall<Queue>('GET', '/api/admin/comments?status=held', editor);
    const item = queue.body!.comments.find((c) => c.id === body.comment.id);
    expect(item).toMatchObject({ status: 'held', heldReason: 'banned word: "viagra"', body: 'Cheap VIAGRA here', author: { id: reader.id } });
    const html = await (await call('GET', '/newsroom/comments', { cookie: editor.cookie })).text();
    expect(html).toContain('banned word: &quot;viagra&quot;');
  });

  it('holds a comment with too many links', async () => {
    const links = 'https://a.example.org https://b.example.org/x mailto:c@example.org and www.d.example.org';
    const { body } = await post(ids.moderation, await user(), links);
    expect(body.comment.status).toBe('held');
    const queue = await staffCall<Queue>('GET', '/api/admin/comments', editor);
    expect(queue.body!.comments.find((c) => c.id === body.comment.id)?.heldReason).toMatch(/^too many links/);
  });

  it('lets staff reject and feature; featured comments come first', async () => {
    const [a, b, c] = [await user(), await user(), await user()];
    const one = (await post(ids.moderation, a, 'A thoughtful analysis')).body.comment;
    offset += 1000;
    const two = (await post(ids.moderation, b, 'A later remark')).body.comment;
    offset += 1000;
    const three = (await post(ids.moderation, c, 'Something rude')).body.comment;
    expect((await list(ids.moderation)).comments.map((x) => x.id)).toEqual([three.id, two.id, one.id]);

    expect((await staffCall<Moderated>('POST', `/api/admin/comments/${one.id}/feature`, editor)).body!.comment.featured).toBe(true);
    const rejected = await staffCall<Moderated>('POST', `/api/admin/comments/${three.id}/reject`, admin);
    expect(rejected.body!.comment.status).toBe('rejected');
    const listed = await list(ids.moderation);
    expect(listed.comments.map((x) => x.id)).toEqual([one.id, two.id]);
    expect(listed.comments[0]?.featured).toBe(true);
    expect(listed.count).toBe(2);
    expect((await counts(ids.moderation)).commentCount).toBe(2);
    expect(await page(paths.moderation)).toContain('Featured');
    expect((await staffCall<Moderated>('POST', `/api/admin/comments/${one.id}/unfeature`, editor)).body!.comment.featured).toBe(false);
    // Only approved comments can be featured.
    expect((await staffCall('POST', `/api/admin/comments/${three.id}/feature`, editor)).res.status).toBe(409);
    expect((await staffCall('POST', '/api/admin/comments/999999/approve', editor)).res.status).toBe(404);
  });

  it('refuses moderation to readers (403) and to the signed out (401, or sign-in for the page)', async () => {
    const reader = await user();
    const target = (await post(ids.moderation, await user(), 'Please do not touch')).body.comment;
    const before = await db().selectFrom('comments').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
    for (const [method, path] of [
      ['GET', '/api/admin/comments'],
      ['POST', `/api/admin/comments/${target.id}/reject`],
      ['POST', `/api/admin/comments/${target.id}/feature`],
      ['POST', `/api/admin/users/${reader.id}/comment-ban`],
      ['PUT', `/api/admin/articles/${ids.moderation}/comments-mode`],
    ] as const) {
      const body = method === 'PUT' ? { mode: 'closed' } : undefined;
      expect((await staffCall(method, path, reader, body)).res.status, `${method} ${path}`).toBe(403);
      expect((await call(method, path, { body })).status, `${method} ${path} signed out`).toBe(401);
    }
    expect(await db().selectFrom('comments').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow()).toEqual(before);
    expect((await call('GET', '/newsroom/comments', { cookie: reader.cookie })).status).toBe(403);
    const signedOut = await call('GET', '/newsroom/comments?status=held');
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toBe(`/signin?next=${encodeURIComponent('/newsroom/comments?status=held')}`);
    const form = await call('POST', `/newsroom/comments/${target.id}/reject`, { cookie: reader.cookie, form: { status: 'queue' } });
    expect(form.status).toBe(403);
    expect((await db().selectFrom('comments').select('status').where('id', '=', target.id).executeTakeFirstOrThrow()).status).toBe('approved');
  });

  it('takes an API token (Bearer) like the rest of /api/admin, and records who moderated from where', async () => {
    const made = await staffCall<Static<typeof TokenCreatedJson>>('POST', '/api/admin/tokens', admin, { name: 'moderation desk', role: 'editor' });
    expect(made.res.status).toBe(201);
    const bearer = { authorization: `Bearer ${made.body!.secret as string}` };
    const target = (await post(ids.moderation, await user(), 'Waiting for a machine to look at it')).body.comment;
    const queue = await fetch(`${t.url}/api/admin/comments?status=approved`, { headers: bearer });
    expect(queue.status).toBe(200);
    expect((await json<Queue>(queue)).comments.some((c) => c.id === target.id)).toBe(true);
    const rejected = await fetch(`${t.url}/api/admin/comments/${target.id}/reject`, { method: 'POST', headers: bearer });
    expect(rejected.status).toBe(200);
    expect((await json<Moderated>(rejected)).comment.status).toBe('rejected');
    const entry = await db().selectFrom('audit_log').selectAll().where('subject', '=', `comment:${target.id}`).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'comment.reject', actor_user_id: admin.id, actor_token_id: made.body!.token.id, ip: '127.0.0.1' });
    // A token that is not valid is refused outright.
    const forged = await fetch(`${t.url}/api/admin/comments`, { headers: { authorization: 'Bearer dsp_not-a-real-token' } });
    expect(forged.status).toBe(401);
  });

  it('works from the newsroom page with plain forms', async () => {
    const { body } = await post(ids.premod, await user(), 'Waiting in the queue');
    const res = await call('GET', '/newsroom/comments', { cookie: editor.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Waiting in the queue');
    expect(html).toContain(`action="/newsroom/comments/${body.comment.id}/approve"`);
    const done = await call('POST', `/newsroom/comments/${body.comment.id}/approve`, { cookie: editor.cookie, form: { status: 'pending', page: '1' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/newsroom/comments?status=pending&done=approve-${body.comment.id}`);
    expect((await db().selectFrom('comments').select('status').where('id', '=', body.comment.id).executeTakeFirstOrThrow()).status).toBe('approved');
    expect(await (await call('GET', done.headers.get('location')!, { cookie: editor.cookie })).text()).toContain(`Comment ${body.comment.id} approved.`);
  });

  it('bans and unbans a reader from commenting', async () => {
    const reader = await user();
    const ban = await staffCall<Static<typeof CommentBanJson>>('POST', `/api/admin/users/${reader.id}/comment-ban`, editor);
    expect(ban.res.status).toBe(200);
    expect(ban.body!.user).toMatchObject({ id: reader.id, commentBanned: true });
    const before = await counts();
    expect((await post(ids.open2, reader, 'Am I banned?')).res.status).toBe(403);
    expect(await counts()).toEqual(before);
    // Staff cannot be banned; unknown users are 404.
    expect((await staffCall('POST', `/api/admin/users/${admin.id}/comment-ban`, editor)).res.status).toBe(403);
    expect((await staffCall('POST', '/api/admin/users/999999/comment-ban', editor)).res.status).toBe(404);
    const lift = await staffCall<Static<typeof CommentBanJson>>('DELETE', `/api/admin/users/${reader.id}/comment-ban`, editor);
    expect(lift.body!.user.commentBanned).toBe(false);
    expect((await post(ids.open2, reader, 'Back again')).res.status).toBe(201);
  });

  it("sets a story's mode (editors) and the site-wide settings (admins)", async () => {
    await page(paths.modes); // cached
    const closed = await staffCall<Static<typeof ArticleModeJson>>('PUT', `/api/admin/articles/${ids.modes}/comments-mode`, editor, { mode: 'closed' });
    expect(closed.res.status).toBe(200);
    expect(closed.body!.article).toEqual({ id: ids.modes, commentsMode: 'closed', effectiveMode: 'closed' });
    expect(await page(paths.modes)).toContain('Comments are closed');
    expect((await post(ids.modes, await user(), 'Closed?')).res.status).toBe(403);
    expect((await staffCall('PUT', `/api/admin/articles/${ids.modes}/comments-mode`, editor, { mode: 'sideways' })).res.status).toBe(400);
    await staffCall('PUT', `/api/admin/articles/${ids.modes}/comments-mode`, editor, { mode: null });

    expect((await staffCall('GET', '/api/admin/settings/comments', editor)).res.status).toBe(403);
    const got = await staffCall<CommentSettings>('GET', '/api/admin/settings/comments', admin);
    expect(got.body!.comments).toMatchObject({ defaultMode: 'open', closeAfterDays: 30 });
    expect(got.body!.comments.bannedWords).toContain('viagra');
    const put = await staffCall<CommentSettings>('PUT', '/api/admin/settings/comments', admin, { defaultMode: 'premoderated', bannedWords: ['Turnip', ' turnip '] });
    expect(put.body!.comments).toEqual({ defaultMode: 'premoderated', closeAfterDays: 30, bannedWords: ['turnip'] });
    // The audit log says who changed what, from where; only what changed.
    const log = await staffCall<AuditList>('GET', '/api/admin/audit?action=settings.comments', admin);
    expect(log.res.status).toBe(200);
    expect(log.body!.entries[0]).toMatchObject({
      actor: { userId: admin.id, tokenId: null },
      action: 'settings.comments',
      subject: 'settings:comments',
      ip: '127.0.0.1',
      details: { defaultMode: { from: 'open', to: 'premoderated' }, bannedWords: { added: ['turnip'], removed: expect.arrayContaining(['viagra', 'casino bonus']) } },
    });
    expect(log.body!.entries[0]?.details).not.toHaveProperty('closeAfterDays');
    try {
      expect((await post(ids.modes, await user(), 'Now moderated')).body.comment.status).toBe('pending');
      expect((await list(ids.modes)).mode).toBe('premoderated');
      const held = await post(ids.modes, await user(), 'I love turnips? No: a turnip.');
      expect(held.body.comment.status).toBe('held');
      expect(await page(paths.modes)).toContain('appear once a moderator has approved them');
    } finally {
      await staffCall('PUT', '/api/admin/settings/comments', admin, { defaultMode: 'open', bannedWords: ['viagra', 'cialis', 'casino bonus', 'payday loan', 'crypto giveaway'] });
    }
    expect((await staffCall('PUT', '/api/admin/settings/comments', editor, { closeAfterDays: 1 })).res.status).toBe(403);
    expect((await staffCall('PUT', '/api/admin/settings/comments', admin, { closeAfterDays: -1 })).res.status).toBe(400);
    // Putting back what was there, and the refusals, are not changes.
    const entries = (await staffCall<AuditList>('GET', '/api/admin/audit?action=settings.comments', admin)).body!.entries;
    expect(entries).toHaveLength(2);
    expect(entries[0]?.details).toEqual({ defaultMode: { from: 'premoderated', to: 'open' }, bannedWords: { added: expect.arrayContaining(['viagra']), removed: ['turnip'] } });
    await staffCall('PUT', '/api/admin/settings/comments', admin, { defaultMode: 'open' });
    expect((await staffCall<AuditList>('GET', '/api/admin/audit?action=settings.comments', admin)).body!.entries).toHaveLength(2);
  });
});

describe("a reader's own comments", () => {
  it('edits within 15 minutes (marked edited), not after', async () => {
    const reader = await user();
    const { body } = await post(ids.open, reader, 'Teh rains');
    const fixed = await staffCall<OwnComment>('PATCH', `/api/v1/comments/${body.comment.id}`, reader, { body: 'The rains' });
    expect(fixed.res.status).toBe(200);
    expect(fixed.body!.comment).toMatchObject({ body: 'The rains', bodyHtml: '<p>The rains</p>', status: 'approved' });
    expect(fixed.body!.comment.editedAt).toEqual(expect.any(String));
    const region = threadRegion(await page(paths.open));
    expect(region).toMatch(new RegExp(`id="comment-${body.comment.id}"[\\s\\S]*?class="comment__edited"[^>]*>edited<`));

    const other = await user();
    expect((await staffCall('PATCH', `/api/v1/comments/${body.comment.id}`, other, { body: 'Hijacked' })).res.status).toBe(403);

    offset += 16 * MINUTE;
    try {
      const late = await staffCall<ApiError>('PATCH', `/api/v1/comments/${body.comment.id}`, reader, { body: 'The rains, again' });
      expect(late.res.status).toBe(403);
      expect(late.body!.error.code).toBe('edit_window_closed');
    } finally {
      offset -= 16 * MINUTE;
    }
    const row = await db().selectFrom('comments').select('body').where('id', '=', body.comment.id).executeTakeFirstOrThrow();
    expect(row.body).toBe('The rains');
  });

  it('deletes only its own: gone without replies, "Comment deleted" with replies', async () => {
    const [author, replier, stranger] = [await user(), await user(), await user()];
    const lonely = (await post(ids.open2, author, 'Nobody will answer this')).body.comment;
    const before = await counts(ids.open2);
    expect((await staffCall('DELETE', `/api/v1/comments/${lonely.id}`, stranger)).res.status).toBe(403);
    expect((await call('DELETE', `/api/v1/comments/${lonely.id}`)).status).toBe(401);
    expect(await counts(ids.open2)).toEqual(before);

    expect((await staffCall('DELETE', `/api/v1/comments/${lonely.id}`, author)).res.status).toBe(204);
    expect((await counts(ids.open2)).commentCount).toBe(before.commentCount! - 1);
    expect(threadRegion(await page(paths.open2))).not.toContain(`id="comment-${lonely.id}"`);
    expect((await staffCall('DELETE', `/api/v1/comments/${lonely.id}`, author)).res.status).toBe(404);

    const gap = t.app.deps.comments.limits.minGapMs;
    t.app.deps.comments.limits.minGapMs = 0;
    try {
      const top = (await post(ids.threads, author, 'Answer me')).body.comment;
      await post(ids.threads, replier, 'Here is an answer', top.id);
      expect((await staffCall('DELETE', `/api/v1/comments/${top.id}`, author)).res.status).toBe(204);
      const listed = await list(ids.threads);
      const thread = listed.comments.find((c) => c.id === top.id);
      expect(thread).toMatchObject({ placeholder: 'deleted', author: null, bodyHtml: '', replies: [{ bodyHtml: '<p>Here is an answer</p>' }] });
      const region = threadRegion(await page(paths.threads));
      expect(region).toContain('Comment deleted');
      expect(region).not.toContain('Answer me');
    } finally {
      t.app.deps.comments.limits.minGapMs = gap;
    }
  });

  it('reports once per reader; three reports hold the comment for review', async () => {
    const author = await user();
    const target = (await post(ids.form, author, 'A questionable claim')).body.comment;
    await page(paths.form); // cached
    const [r1, r2, r3] = [await user(), await user(), await user()];

    const before = await counts(ids.form);
    expect((await staffCall('POST', `/api/v1/comments/${target.id}/report`, author, { reason: 'Mine' })).res.status).toBe(403);
    expect((await call('POST', `/api/v1/comments/${target.id}/report`, { body: { reason: 'spam' } })).status).toBe(401);
    expect((await staffCall('POST', `/api/v1/comments/${target.id}/report`, r1, { reason: '   ' })).res.status).toBe(400);
    expect(await counts(ids.form)).toEqual(before);

    const first = await staffCall<Static<typeof ReportReceivedJson>>('POST', `/api/v1/comments/${target.id}/report`, r1, { reason: 'Misleading' });
    expect(first.res.status).toBe(201);
    expect(first.body).toEqual({ report: { commentId: target.id, received: true } });
    const twice = await staffCall('POST', `/api/v1/comments/${target.id}/report`, r1, { reason: 'Really misleading' });
    expect(twice.res.status).toBe(409);
    expect((await counts(ids.form)).reports).toBe(before.reports + 1);

    const reported = await staffCall<Queue>('GET', '/api/admin/comments?status=reported', editor);
    expect(reported.body!.comments.find((c) => c.id === target.id)).toMatchObject({ status: 'approved', reportCount: 1 });

    await staffCall('POST', `/api/v1/comments/${target.id}/report`, r2, { reason: 'Off topic' });
    expect(await page(paths.form)).toContain('A questionable claim');
    await staffCall('POST', `/api/v1/comments/${target.id}/report`, r3, { reason: 'Abusive' });
    expect(await page(paths.form)).not.toContain('A questionable claim');
    expect((await counts(ids.form)).commentCount).toBe(before.commentCount! - 1);

    const held = await staffCall<Queue>('GET', '/api/admin/comments?status=held', editor);
    const item = held.body!.comments.find((c) => c.id === target.id);
    expect(item).toMatchObject({ status: 'held', heldReason: 'reported by 3 readers', reportCount: 3 });
    expect(item?.reports.map((r) => r.reason)).toEqual(['Misleading', 'Off topic', 'Abusive']);

    // Approving keeps it and resolves the reports.
    await staffCall('POST', `/api/admin/comments/${target.id}/approve`, editor);
    expect(await page(paths.form)).toContain('A questionable claim');
    const after = (await staffCall<Queue>('GET', '/api/admin/comments?status=approved', editor)).body!.comments.find((c) => c.id === target.id);
    expect(after).toMatchObject({ reportCount: 0, heldReason: null });
    expect(after?.reports.every((r) => r.resolved)).toBe(true);
  });
});

describe('API description', () => {
  it('documents every comments endpoint with its response codes', async () => {
    const spec = await json<OpenApiDoc>(await t.get('/api/openapi.json'));
    const p = spec.paths;
    expect(Object.keys(p['/api/v1/articles/{id}/comments']?.post?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '404', '409', '429']);
    expect(p['/api/v1/articles/{id}/comments']?.get?.tags).toEqual(['comments']);
    for (const path of [
      '/api/v1/comments/{id}', '/api/v1/comments/{id}/report', '/api/admin/comments', '/api/admin/comments/{id}/approve', '/api/admin/comments/{id}/reject',
      '/api/admin/comments/{id}/feature', '/api/admin/comments/{id}/unfeature', '/api/admin/users/{id}/comment-ban', '/api/admin/articles/{id}/comments-mode',
      '/api/admin/settings/comments',
    ]) {
      expect(p[path], path).toBeDefined();
    }
    expect(p['/api/v1/comments/{id}']?.patch).toBeDefined();
    expect(p['/api/v1/comments/{id}']?.delete).toBeDefined();
    expect(p['/api/admin/users/{id}/comment-ban']?.delete).toBeDefined();
    expect(spec.tags?.map((x) => x.name)).toContain('comments');
  });
});

