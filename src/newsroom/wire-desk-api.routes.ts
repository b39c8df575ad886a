/**
 * The wire desk's path to stories, in the admin API: "Use this" (wire items
 * → a draft story), a story's wire sources (embargo, kill, "update
 * available" with the diff), and the desk's setting (unpublish on kill).
 * Registered by admin-api.routes.ts, whose hook checks each route's action.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AUTH_ERRORS, errors, IdParams, StoryEnvelope } from './newsroom.schemas.js';
import { as, staffOf } from './admin-api.js';
import { presentStory } from './newsroom.presenters.js';
import { DeskSettingsJson, SeenJson, StoryWireJson, UseItemsBody } from '../wires/desk.schemas.js';

const TAGS = ['wires'];

export const wireDeskApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { desk, stories } = deps;
  const site = deps.config.siteUrl;

  app.post('/api/admin/wires/use', {
    config: as('article.create'),
    schema: {
      tags: TAGS,
      summary: '"Use this": a draft story from one or more wire items',
      description: 'Headline, standfirst and body from the first item; the credit from the providers (the agency\'s for one, "Staff, Agencies" for several); the section suggested from the subjects. The story records which items and versions it came from; an embargo among them holds its publication.',
      body: UseItemsBody,
      response: { 201: StoryEnvelope, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const story = await desk.use(staffOf(req), req.body.items);
    reply.code(201).header('Location', `/api/admin/articles/${story.row.id}`);
    return { article: presentStory(story, site) };
  });

  app.get('/api/admin/articles/:id/wire', {
    config: as('article.read'),
    schema: { tags: TAGS, summary: 'The wire items a story was made from, and what changed in them since', params: IdParams, response: { 200: StoryWireJson, ...errors(404), ...AUTH_ERRORS } },
  }, async (req) => {
    const staff = staffOf(req);
    await stories.get(staff, req.params.id);
    const state = (await desk.storyStates([req.params.id])).get(req.params.id);
    const updates = await desk.updates(staff, req.params.id);
    return { sources: state?.sources ?? [], killed: state?.killed ?? false, updateAvailable: state?.updateAvailable ?? false, embargoUntil: state?.embargoUntil ?? null, updates };
  });

  app.post('/api/admin/articles/:id/wire/seen', {
    config: as('article.edit'),
    schema: { tags: TAGS, summary: 'Mark the wire updates behind a story as seen', params: IdParams, response: { 200: SeenJson, ...errors(404), ...AUTH_ERRORS } },
  }, async (req) => ({ seen: await desk.markSeen(staffOf(req), req.params.id) }));

  app.get('/api/admin/wires/settings', {
    config: as('wire.read'),
    schema: { tags: TAGS, summary: 'The wire desk\'s settings', response: { 200: DeskSettingsJson, ...AUTH_ERRORS } },
  }, async () => ({ killUnpublish: await desk.killUnpublish() }));

  app.put('/api/admin/wires/settings', {
    config: as('wire.manage'),
    schema: { tags: TAGS, summary: 'Change the wire desk\'s settings (admins)', body: DeskSettingsJson, response: { 200: DeskSettingsJson, ...errors(400), ...AUTH_ERRORS } },
  }, async (req) => {
    await desk.setKillUnpublish(staffOf(req), req.body.killUnpublish);
    return { killUnpublish: await desk.killUnpublish() };
  });
};
