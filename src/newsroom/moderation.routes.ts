/**
 * Moderating the discussion, as staff do it: the newsroom's moderation page
 * (/newsroom/comments) and its forms, and the same as JSON under
 * /api/admin (a staff session, or `Authorization: Bearer <token>`). The
 * comments domain decides; these routes ask it, then show a page or JSON.
 */
import { h, type VNode } from 'preact';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { Moderator } from '../comments/comment.policy.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { commentPaths, MODERATION_ACTIONS, QUEUE_FILTERS, type ModerationAction, type QueueFilter } from '../comments/comment.model.js';
import {
  ArticleModeBody, ArticleModeJson, CommentBanJson, CommentSettingsEnvelope, CommentSettingsPatch,
  ErrorJson, IdParams, ModerationFormBody, ModerationResultJson, QueueJson, QueueQuery,
} from '../comments/comment.schemas.js';
import { presentModeration, presentQueue } from '../comments/comment.presenters.js';
import { ModerationPage } from './views/moderation.js';
import { Id } from '../platform/input.js';

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

export const moderationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { comments, sessions } = deps;
  const site = deps.config.siteUrl;
  const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');
  /** The staff API's caller: a staff session, or `Authorization: Bearer <token>` like the rest of /api/admin. */
  const moderatorOf = async (req: FastifyRequest): Promise<Moderator | null> => {
    const staff = await deps.staff.resolve(req);
    return staff ? { id: staff.userId, role: staff.role, tokenId: staff.tokenId } : null;
  };

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
    id: Id,
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
