/**
 * The discussion's public HTTP surface: the public and reader JSON API
 * (/api/v1), the HTML form the article page posts to, the discussion's own
 * pages and permalinks. (Moderation, for staff, is in the newsroom.)
 * Each route: schema, who may, one service call, then JSON or a page.
 */
import { h, type VNode } from 'preact';
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError } from '../platform/errors.js';
import { serveCached } from '../platform/cache/http.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { commentPaths } from './comment.model.js';
import {
  CommentFormBody, CommentListQuery, DiscussionJson, EditCommentBody, ErrorJson, IdParams, OwnCommentEnvelope, PostCommentBody,
  ReportBody, ReportReceivedJson,
} from './comment.schemas.js';
import { presentDiscussion, presentOwnComment } from './comment.presenters.js';
import { DiscussionPage } from './views/discussion-page.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
const TAGS = ['comments'];

const errors = (...codes: Array<400 | 401 | 403 | 404 | 409 | 429>) => Object.fromEntries(codes.map((c) => [c, ErrorJson]));

export const commentsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { comments, cache, content, sessions } = deps;
  const site = deps.config.siteUrl;
  const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');

  // --- public and reader API ------------------------------------------------

  app.get('/api/v1/articles/:id/comments', {
    schema: {
      tags: TAGS,
      summary: "A story's approved comments, as threads",
      description: 'Top-level comments (featured first, then by time) with their replies. The same for every reader, and cached.',
      params: IdParams,
      querystring: CommentListQuery,
      response: { 200: DiscussionJson, ...errors(400, 404) },
    },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const d = await comments.discussion(req.params.id, { sort: req.query.sort ?? 'newest', page: req.query.page ?? 1 });
      return { contentType: JSON_TYPE, body: JSON.stringify(presentDiscussion(d, site)), keys: [`article:${d.articleId}`, 'comments'] };
    }),
  );

  app.post('/api/v1/articles/:id/comments', {
    schema: {
      tags: TAGS,
      summary: 'Post a comment or a reply',
      description:
        'The signed-in reader posts. 201 with the comment and its status: approved (shown at once), pending (the story is pre-moderated) ' +
        'or held (a rule caught it: too many links, a banned word). Refusals change nothing: 401 signed out, 403 banned or comments closed, ' +
        '400 empty or too long, 404 no such story or parent, 409 the same text again, 429 too soon after the last comment (see Retry-After).',
      params: IdParams,
      body: PostCommentBody,
      response: { 201: OwnCommentEnvelope, ...errors(400, 401, 403, 404, 409, 429) },
    },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    // A 429 (RateLimitedError) carries retryAfterSeconds; the app's error handler sends it as Retry-After.
    const c = await comments.post(user, req.params.id, { body: req.body.body, parentId: req.body.parentId ?? null });
    noStore(reply).code(201);
    return { comment: presentOwnComment(c, site) };
  });

  app.patch('/api/v1/comments/:id', {
    schema: {
      tags: TAGS,
      summary: "Edit one's own comment",
      description: 'Within 15 minutes of posting, on a story still open. The comment is then marked edited.',
      params: IdParams,
      body: EditCommentBody,
      response: { 200: OwnCommentEnvelope, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    const c = await comments.edit(user, req.params.id, req.body.body);
    noStore(reply);
    return { comment: presentOwnComment(c, site) };
  });

  app.delete('/api/v1/comments/:id', {
    schema: {
      tags: TAGS,
      summary: "Delete one's own comment",
      description: 'A comment with replies stays in its thread as "Comment deleted"; otherwise it is gone.',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    await comments.remove(user, req.params.id);
    return noStore(reply).code(204).send();
  });

  app.post('/api/v1/comments/:id/report', {
    schema: {
      tags: TAGS,
      summary: 'Report a comment to the moderators',
      description: 'One report per reader per comment. Enough reports hold the comment for review.',
      params: IdParams,
      body: ReportBody,
      response: { 201: ReportReceivedJson, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    await comments.report(user, req.params.id, req.body.reason);
    noStore(reply).code(201);
    return { report: { commentId: req.params.id, received: true } };
  });

  // --- pages ----------------------------------------------------------------

  /** The discussion on its own page: further pages and the other sort order without JavaScript. */
  app.get('/articles/:id/comments', { schema: { params: IdParams, querystring: CommentListQuery } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const id = req.params.id;
      const [view, discussion, chrome] = await Promise.all([
        content.article(id),
        comments.discussion(id, { sort: req.query.sort ?? 'newest', page: req.query.page ?? 1 }),
        buildChrome(deps),
      ]);
      if (!view) throw new NotFoundError('We could not find that story. It may have been moved or taken down.');
      const { article } = view;
      const vnode = h(DiscussionPage, {
        chrome, discussion, article: { id: article.id, headline: article.headline, path: article.path, commentCount: article.commentCount },
      }) as VNode;
      return { contentType: HTML, body: renderDocument(vnode), keys: ['chrome', `article:${id}`, 'comments'] };
    }),
  );

  /** The article page's form. Works without JavaScript: 303 back to the comment (or to the "awaiting moderation" note). */
  app.post('/articles/:id/comments', { schema: { params: IdParams, body: CommentFormBody } }, async (req, reply) => {
    const view = await content.article(req.params.id);
    if (!view) throw new NotFoundError('We could not find that story. It may have been moved or taken down.');
    const path = view.article.path;
    const user = await sessions.current(req);
    if (!user) return reply.code(303).header('Location', commentPaths.signIn(`${path}#comments`)).send();
    const parentId = req.body.parentId ? Number(req.body.parentId) : null;
    const c = await comments.post(user, view.article.id, { body: req.body.body, parentId });
    const anchor = c.status === 'approved' ? commentPaths.anchor(c.id) : 'comments-pending';
    return noStore(reply).code(303).header('Location', `${path}#${anchor}`).send();
  });

  /** Permalink: to the page that shows the comment, at its anchor. */
  app.get('/comments/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const { articleId, page } = await comments.locate(req.params.id);
    const view = await content.article(articleId);
    if (!view) throw new NotFoundError('That comment is not shown.');
    const target = page === 1 ? view.article.path : commentPaths.discussion(articleId, { page });
    return reply
      .code(302)
      .header('Cache-Control', 'public, max-age=30')
      .header('Location', `${target}#${commentPaths.anchor(req.params.id)}`)
      .send();
  });
};
