/**
 * The admin API's live coverage of a story: start and end it, post, edit,
 * delete, pin and mark key events. Registered by admin-api.routes.ts, whose
 * hooks check every route's policy action first.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { LivePost } from '../content/live.model.js';
import { AUTH_ERRORS, errors, IdParams } from './newsroom.schemas.js';
import {
  HubLeadBody, HubLeadJson, HubParams, LiveCoverageEnvelope, LiveDeskJson, LiveKeyEventBody, LivePinBody, LivePostBody, LivePostEditBody, LivePostEnvelope, LivePostParams, type LivePostJson,
} from './live.schemas.js';
import { as, Deleted, staffOf, TAGS } from './admin-api.js';

/** Every field the API gives out, listed. */
export function presentLivePost(p: LivePost): LivePostJson {
  return {
    id: p.id, kind: p.kind, html: p.html, author: p.author, createdAt: p.createdAt, editedAt: p.editedAt, pinned: p.pinned,
    keyEvent: p.keyEvent, image: p.image, embed: p.embed, attribution: p.attribution,
  };
}

export const liveApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { live } = deps;
  const base = '/api/admin/articles/:id/live';

  app.get(base, {
    config: as('live.manage'),
    schema: { tags: TAGS, summary: 'A story\'s live coverage and its posts, newest first', params: IdParams, response: { 200: LiveDeskJson, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({
    coverage: await live.coverage(req.params.id),
    posts: (await live.postsForDesk(staffOf(req), req.params.id)).map(presentLivePost),
  }));

  app.post(`${base}/start`, {
    config: as('live.manage'),
    schema: {
      tags: TAGS,
      summary: 'Make the story a live story (or reopen its ended coverage)',
      description: 'The story\'s page then shows its stream of posts, fronts mark it "Live", and readers see new posts as they come.',
      params: IdParams, response: { 200: LiveCoverageEnvelope, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req) => ({ coverage: await live.start(staffOf(req), req.params.id) }));

  app.post(`${base}/end`, {
    config: as('live.manage'),
    schema: {
      tags: TAGS,
      summary: 'End the live coverage',
      description: 'The stream stays on the page, marked as ended; it takes no more posts until the coverage is started again.',
      params: IdParams, response: { 200: LiveCoverageEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ coverage: await live.end(staffOf(req), req.params.id) }));

  app.post(`${base}/posts`, {
    config: as('live.manage'),
    schema: {
      tags: TAGS,
      summary: 'Post to a live story',
      description: 'Readers see it at once (the page and its updates endpoint are purged). An embed\'s page is read once, now, through the safe fetcher, and shown as a link card.',
      params: IdParams, body: LivePostBody, response: { 201: LivePostEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const post = await live.post(staffOf(req), req.params.id, req.body);
    reply.code(201).header('Location', `/api/admin/articles/${req.params.id}/live/posts/${post.id}`);
    return { post: presentLivePost(post) };
  });

  app.get(`${base}/posts/:postId`, {
    config: as('live.manage'),
    schema: { tags: TAGS, summary: 'One live post', params: LivePostParams, response: { 200: LivePostEnvelope, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({ post: presentLivePost(await live.get(req.params.id, req.params.postId)) }));

  app.patch(`${base}/posts/:postId`, {
    config: as('live.manage'),
    schema: {
      tags: TAGS, summary: 'Edit a live post', description: 'Readers see it marked as edited.',
      params: LivePostParams, body: LivePostEditBody, response: { 200: LivePostEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ post: presentLivePost(await live.edit(staffOf(req), req.params.id, req.params.postId, req.body)) }));

  app.delete(`${base}/posts/:postId`, {
    config: as('live.manage'),
    schema: {
      tags: TAGS, summary: 'Delete a live post', description: 'It leaves no trace for readers (the audit log keeps what it said).',
      params: LivePostParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    await live.remove(staffOf(req), req.params.id, req.params.postId);
    return reply.code(204).send(null);
  });

  app.put(`${base}/posts/:postId/pin`, {
    config: as('live.manage'),
    schema: {
      tags: TAGS, summary: 'Pin a post on top of the stream, or unpin it', description: 'One post is pinned at a time: pinning one unpins any other.',
      params: LivePostParams, body: LivePinBody, response: { 200: LivePostEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ post: presentLivePost(await live.pin(staffOf(req), req.params.id, req.params.postId, req.body.pinned)) }));

  app.put(`${base}/posts/:postId/key-event`, {
    config: as('live.manage'),
    schema: {
      tags: TAGS, summary: 'Mark a post as a key event (the timeline), or unmark it',
      params: LivePostParams, body: LiveKeyEventBody, response: { 200: LivePostEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ post: presentLivePost(await live.markKeyEvent(staffOf(req), req.params.id, req.params.postId, req.body.title)) }));

  app.put('/api/admin/tags/:slug/hub', {
    config: as('tag.manage'),
    schema: {
      tags: TAGS,
      summary: 'Choose the story a special-coverage hub leads with',
      description: 'The tag page of a special-coverage tag is a hub: banner, this lead (else the newest story), the live story running under the tag with its key events, and the latest pieces. The lead must carry the tag.',
      params: HubParams, body: HubLeadBody, response: { 200: HubLeadJson, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ hub: await live.setHubLead(staffOf(req), req.params.slug, req.body.leadArticleId) }));
};
