/**
 * The discussion's HTTP surface: the public and reader JSON API (/api/v1), the
 * staff API (/api/admin), the HTML form the article page posts to, the
 * discussion's own pages, permalinks, and the newsroom's moderation page.
 * Each route: schema, who may, one service call, then JSON or a page.
 */
import { h, type VNode } from 'preact';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { Moderator } from './comment.policy.js';
import { NotFoundError } from '../platform/errors.js';
import { serveCached } from '../platform/cache/http.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { commentPaths, MODERATION_ACTIONS, QUEUE_FILTERS, type ModerationAction, type QueueFilter } from './comment.model.js';
import {
  ArticleModeBody, ArticleModeJson, CommentBanJson, CommentFormBody, CommentListQuery, CommentSettingsEnvelope, CommentSettingsPatch,
  DiscussionJson, EditCommentBody, ErrorJson, IdParams, ModerationFormBody, ModerationResultJson, OwnCommentEnvelope, PostCommentBody,
  QueueJson, QueueQuery, ReportBody, ReportReceivedJson,
} from './comment.schemas.js';
import { presentDiscussion, presentModeration, presentOwnComment, presentQueue } from './comment.presenters.js';
import { DiscussionPage } from './views/discussion-page.js';
import { ModerationPage } from './views/moderation.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
const TAGS = ['comments'];
const QUEUE_PAGE_SIZE = 50;

const errors = (...codes: Array<400 | 401 | 403 | 404 | 409 | 429>) => Object.fromEntries(codes.map((c) => [c, ErrorJson]));

const NOTICES: Record<string, (id: string) => string> = {
  approve: (id) => `Comment ${id} approved.`,
  reject: (id) => `Comment ${id} rejected.`,
  feature: (id) => `Comment ${id} featured.`,
  unfeature: (id) => `Comment ${id} no longer featured.`,
  ban: (id) => `User ${id} may no longer comment.`,
  unban: (id) => `User ${id} may comment again.`,
};

function queueFilterOf(value: string | undefined): QueueFilter {
  return QUEUE_FILTERS.includes(value as QueueFilter) ? (value as QueueFilter) : 'queue';
}

export const commentsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { comments, cache, content, sessions } = deps;
  const site = deps.config.siteUrl;
  const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');
  /** The staff API's caller: a staff session, or `Authorization: Bearer <token>` like the rest of /api/admin. */
  const moderatorOf = async (req: FastifyRequest): Promise<Moderator | null> => {
    const staff = await deps.staff.resolve(req);
    return staff ? { id: staff.userId, role: staff.role, tokenId: staff.tokenId } : null;
  };

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

  // --- newsroom: moderation page --------------------------------------------

  const ModerationQuery = Type.Object({
    status: Type.Optional(Type.String({ maxLength: 20 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    done: Type.Optional(Type.String({ pattern: '^(approve|reject|feature|unfeature|ban|unban)-[0-9]{1,10}$' })),
  });

  app.get('/newsroom/comments', { schema: { querystring: ModerationQuery } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.redirect(commentPaths.signIn(req.url), 302);
    const filter = queueFilterOf(req.query.status);
    const queue = await comments.queue(user, filter, req.query.page ?? 1, QUEUE_PAGE_SIZE);
    const done = req.query.done?.split('-');
    const notice = done ? NOTICES[done[0]!]?.(done[1]!) ?? null : null;
    const chrome = await buildChrome(deps);
    const moderator = { id: user.id, displayName: user.displayName, role: user.role };
    const html = renderDocument(h(ModerationPage, { chrome, user: moderator, filter, queue, notice }) as VNode);
    // A staff page, in the newsroom's shell: never cached, never indexed.
    return noStore(reply).header('X-Robots-Tag', 'noindex').type(HTML).send(html);
  });

  const backToQueue = (reply: FastifyReply, body: { status?: string | undefined; page?: string | undefined }, done: string) => {
    const filter = queueFilterOf(body.status);
    const page = Number(body.page) || 1;
    const url = commentPaths.moderation(filter, page);
    return noStore(reply).code(303).header('Location', `${url}${url.includes('?') ? '&' : '?'}done=${done}`).send();
  };

  const ActionParams = Type.Object({
    id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    action: Type.Union(MODERATION_ACTIONS.map((a) => Type.Literal(a))),
  });

  app.post('/newsroom/comments/:id/:action', { schema: { params: ActionParams, body: ModerationFormBody } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).header('Location', commentPaths.signIn(commentPaths.moderation())).send();
    const action = req.params.action as ModerationAction;
    await comments.moderate(user, req.params.id, action, { ip: req.ip });
    return backToQueue(reply, req.body ?? {}, `${action}-${req.params.id}`);
  });

  for (const [suffix, banned] of [['comment-ban', true], ['comment-unban', false]] as const) {
    app.post(`/newsroom/users/:id/${suffix}`, { schema: { params: IdParams, body: ModerationFormBody } }, async (req, reply) => {
      const user = await sessions.current(req);
      if (!user) return reply.code(303).header('Location', commentPaths.signIn(commentPaths.moderation())).send();
      await comments.setCommentBan(user, req.params.id, banned, { ip: req.ip });
      return backToQueue(reply, req.body ?? {}, `${banned ? 'ban' : 'unban'}-${req.params.id}`);
    });
  }

  // --- staff API ------------------------------------------------------------

  app.get('/api/admin/comments', {
    schema: {
      tags: TAGS,
      summary: 'The moderation queue',
      description: 'Editors and admins. status=queue (default) lists everything waiting: new comments on pre-moderated stories, held and reported ones.',
      querystring: QueueQuery,
      response: { 200: QueueJson, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const user = await moderatorOf(req);
    const queue = await comments.queue(user, queueFilterOf(req.query.status), req.query.page ?? 1, req.query.limit ?? QUEUE_PAGE_SIZE);
    noStore(reply);
    return presentQueue(queue, site);
  });

  const actionSummaries: Record<ModerationAction, string> = {
    approve: 'Approve a comment (shows it; resolves its reports)',
    reject: 'Reject a comment (hides it; resolves its reports)',
    feature: 'Feature an approved comment (shown first, marked Featured)',
    unfeature: 'Stop featuring a comment',
  };
  for (const action of MODERATION_ACTIONS) {
    app.post(`/api/admin/comments/:id/${action}`, {
      schema: { tags: TAGS, summary: actionSummaries[action], params: IdParams, response: { 200: ModerationResultJson, ...errors(400, 401, 403, 404, 409) } },
    }, async (req, reply) => {
      const user = await moderatorOf(req);
      const result = await comments.moderate(user, req.params.id, action, { ip: req.ip });
      noStore(reply);
      return presentModeration(result);
    });
  }

  for (const method of ['POST', 'DELETE'] as const) {
    app.route({
      method,
      url: '/api/admin/users/:id/comment-ban',
      schema: {
        tags: TAGS,
        summary: method === 'POST' ? 'Ban a reader from commenting' : 'Lift a comment ban',
        params: IdParams,
        response: { 200: CommentBanJson, ...errors(400, 401, 403, 404) },
      },
      handler: async (req, reply) => {
        const user = await moderatorOf(req);
        const result = await comments.setCommentBan(user, req.params.id, method === 'POST', { ip: req.ip });
        noStore(reply);
        return { user: result };
      },
    });
  }

  app.put('/api/admin/articles/:id/comments-mode', {
    schema: {
      tags: TAGS,
      summary: "Open, close or pre-moderate one story's comments",
      description: 'Editors and admins. mode null follows the site-wide default and its auto-close.',
      params: IdParams,
      body: ArticleModeBody,
      response: { 200: ArticleModeJson, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const user = await moderatorOf(req);
    const r = await comments.setArticleMode(user, req.params.id, req.body.mode);
    noStore(reply);
    return { article: { id: r.articleId, commentsMode: r.mode, effectiveMode: r.effectiveMode } };
  });

  app.get('/api/admin/settings/comments', {
    schema: { tags: TAGS, summary: 'Site-wide comment settings', response: { 200: CommentSettingsEnvelope, ...errors(401, 403) } },
  }, async (req, reply) => {
    const user = await moderatorOf(req);
    const settings = await comments.getSettings(user);
    noStore(reply);
    return { comments: settings };
  });

  app.put('/api/admin/settings/comments', {
    schema: {
      tags: TAGS,
      summary: 'Change the site-wide comment settings',
      description: 'Admins. Fields left out keep their value.',
      body: CommentSettingsPatch,
      response: { 200: CommentSettingsEnvelope, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const user = await moderatorOf(req);
    const settings = await comments.updateSettings(user, req.body, { ip: req.ip });
    noStore(reply);
    return { comments: settings };
  });
};
