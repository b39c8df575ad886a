/**
 * The admin API's fronts (editors and admins): the arranged home page and
 * section fronts, a draft layout saved, published now or scheduled, a
 * scheduled one cancelled. Registered by admin-api.routes.ts, whose hooks
 * check every route's policy action first.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { FrontView, LayoutView } from '../content/front.service.js';
import { AUTH_ERRORS, errors } from './newsroom.schemas.js';
import { DraftBody, FrontEnvelope, FrontListJson, FrontParams, PublishBody, ScheduledParams } from './fronts.schemas.js';
import { as, Deleted, staffOf, TAGS } from './admin-api.js';

const presentLayout = (l: LayoutView) => ({
  id: l.id, status: l.status as 'draft' | 'scheduled' | 'live', latestCount: l.latestCount, goLiveAt: l.goLiveAt, wentLiveAt: l.wentLiveAt, updatedAt: l.updatedAt, slots: l.slots,
});

/** Every field listed: nothing reaches the API because the service has it. */
export const presentFront = (f: FrontView) => ({
  front: f.name, title: f.title, path: f.path,
  live: f.live && presentLayout(f.live), draft: f.draft && presentLayout(f.draft), scheduled: f.scheduled.map(presentLayout),
});

export const frontsApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { fronts } = deps;

  app.get('/api/admin/fronts', {
    config: as('front.manage'),
    schema: { tags: TAGS, summary: 'The home page and every section front, with their live, draft and scheduled layouts', response: { 200: FrontListJson, ...AUTH_ERRORS } },
  }, async (req) => ({ fronts: (await fronts.list(staffOf(req))).map(presentFront) }));

  app.get('/api/admin/fronts/:front', {
    config: as('front.manage'),
    schema: { tags: TAGS, summary: 'One front ("home" or a section\'s slug)', params: FrontParams, response: { 200: FrontEnvelope, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({ front: presentFront(await fronts.get(staffOf(req), req.params.front)) }));

  app.put('/api/admin/fronts/:front/draft', {
    config: as('front.manage'),
    schema: {
      tags: TAGS,
      summary: 'Save the front\'s draft layout',
      description: 'Readers see nothing of a draft until it is published. Refused (400, nothing saved): more than 10 slots, a story twice, an unknown story, one that is not published.',
      params: FrontParams,
      body: DraftBody,
      response: { 200: FrontEnvelope, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req) => ({ front: presentFront(await fronts.saveDraft(staffOf(req), req.params.front, req.body)) }));

  app.delete('/api/admin/fronts/:front/draft', {
    config: as('front.manage'),
    schema: { tags: TAGS, summary: 'Throw the draft away (the live layout stays)', params: FrontParams, response: { 204: Deleted, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await fronts.discardDraft(staffOf(req), req.params.front);
    return reply.code(204).send(null);
  });

  app.post('/api/admin/fronts/:front/publish', {
    config: as('front.manage'),
    schema: {
      tags: TAGS,
      summary: 'Publish the draft now, or schedule it',
      description: 'With `at`, the draft becomes a scheduled layout that goes live then; without, it goes live now and the previous layout is retired.',
      params: FrontParams,
      body: PublishBody,
      response: { 200: FrontEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ front: presentFront(await fronts.publish(staffOf(req), req.params.front, { at: req.body?.at })) }));

  app.delete('/api/admin/fronts/:front/scheduled/:id', {
    config: as('front.manage'),
    schema: { tags: TAGS, summary: 'Cancel a scheduled layout', params: ScheduledParams, response: { 204: Deleted, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await fronts.cancelScheduled(staffOf(req), req.params.front, req.params.id);
    return reply.code(204).send(null);
  });
};
