/**
 * The admin API's stories: the list, drafts and their workflow (submit,
 * publish or schedule, unpublish), corrections, and revisions (list, one,
 * two compared, restore). Registered by admin-api.routes.ts, whose hooks
 * check every route's policy action first.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import {
  AUTH_ERRORS, CorrectionBody, CorrectionEditBody, CorrectionEnvelope, CorrectionListJson, CorrectionParams, CreateStoryBody, errors, IdParams, PublishBody, RevisionCompareQuery, RevisionComparisonJson, RevisionEnvelope,
  RevisionListJson, RevisionParams, StoryEnvelope, StoryListJson, StoryListQuery, UpdateStoryBody,
} from './newsroom.schemas.js';
import { presentCorrection, presentRevision, presentRevisionComparison, presentRevisionSummary, presentStory, presentStorySummary } from './newsroom.presenters.js';
import type { StorySort } from '../content/story.service.js';
import { comparedOf, compareRevisions, revisionPair } from '../content/revision.model.js';
import { as, Deleted, pagination, staffOf, TAGS } from './admin-api.js';

export const storyApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { stories } = deps;
  const site = deps.config.siteUrl;

  app.get('/api/admin/articles', {
    config: as('article.list'),
    schema: {
      tags: TAGS,
      summary: 'Stories in every state, for the newsroom',
      description: 'Filter by status, section (with its subsections), byline author, creator, or text in the headline; sort and page. Contributors see only their own stories.',
      querystring: StoryListQuery,
      response: { 200: StoryListJson, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const page = q.page ?? 1;
    const limit = q.limit ?? 20;
    const { items, total } = await stories.list(staffOf(req), {
      status: q.status, section: q.section, author: q.author, createdBy: q.createdBy, q: q.q,
      sort: (q.sort ?? 'modified') as StorySort, order: q.order ?? 'desc', page, limit,
    });
    return { articles: items.map(presentStorySummary), pagination: pagination(page, limit, total) };
  });

  app.post('/api/admin/articles', {
    config: as('article.create'),
    schema: {
      tags: TAGS,
      summary: 'Create a story (a draft)',
      description: 'The body comes as the editor\'s document (`body`) or as Markdown (`markdown`). The slug follows the headline unless given. The first revision is saved.',
      body: CreateStoryBody,
      response: { 201: StoryEnvelope, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const story = await stories.create(staffOf(req), req.body);
    reply.code(201).header('Location', `/api/admin/articles/${story.row.id}`);
    return { article: presentStory(story, site) };
  });

  app.get('/api/admin/articles/:id', {
    config: as('article.read'),
    schema: { tags: TAGS, summary: 'One story, with its body as the editor\'s document', params: IdParams, response: { 200: StoryEnvelope, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({ article: presentStory(await stories.get(staffOf(req), req.params.id), site) }));

  app.patch('/api/admin/articles/:id', {
    config: as('article.edit'),
    schema: {
      tags: TAGS,
      summary: 'Save changes to a story',
      description:
        'Fields left out keep their value. Every save that changes something is a revision. Editing a published story marks it "Updated" now and the site shows the change at once. ' +
        'A published or scheduled story must stay fit to publish (alt text on every image).',
      params: IdParams,
      body: UpdateStoryBody,
      response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ article: presentStory(await stories.update(staffOf(req), req.params.id, req.body), site) }));

  app.delete('/api/admin/articles/:id', {
    config: as('article.delete'),
    schema: { tags: TAGS, summary: 'Delete a story that is not public (unpublish it first)', params: IdParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await stories.remove(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.post('/api/admin/articles/:id/submit', {
    config: as('article.submit'),
    schema: { tags: TAGS, summary: 'Submit a draft for review', params: IdParams, response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req) => ({ article: presentStory(await stories.submit(staffOf(req), req.params.id), site) }));

  app.post('/api/admin/articles/:id/publish', {
    config: as('article.publish'),
    schema: {
      tags: TAGS,
      summary: 'Publish a story now, or schedule it',
      description:
        'Without a body (or with `{}`) the story goes live now; with `{ "at": ISO time }` it is scheduled and goes live then, exactly once, even across restarts and several app processes. ' +
        'Times in the past (beyond a minute) are refused, as is a story without a headline, a body, or alt text on every image.',
      params: IdParams,
      body: PublishBody,
      response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ article: presentStory(await stories.publish(staffOf(req), req.params.id, req.body?.at), site) }));

  app.post('/api/admin/articles/:id/unpublish', {
    config: as('article.unpublish'),
    schema: {
      tags: TAGS,
      summary: 'Take a story off the site, or cancel its schedule',
      description: 'A published story then answers 404 and leaves every list and feed at once; a scheduled one goes back to draft.',
      params: IdParams,
      response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ article: presentStory(await stories.unpublish(staffOf(req), req.params.id), site) }));

  app.get('/api/admin/articles/:id/corrections', {
    config: as('article.read'),
    schema: { tags: TAGS, summary: 'The corrections log of a story, oldest first', params: IdParams, response: { 200: CorrectionListJson, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({ corrections: (await stories.corrections(staffOf(req), req.params.id)).map(presentCorrection) }));

  app.post('/api/admin/articles/:id/corrections', {
    config: as('article.correct'),
    schema: {
      tags: TAGS,
      summary: 'Append a correction, clarification or update to a published story',
      description:
        'Each entry is kept forever and shown on the story in order ("Correction, 3 Dec 2026: …"), in its JSON-LD and feed item, and on /corrections. ' +
        'The story is marked "Updated". An entry\'s wording can be fixed (PATCH) but it cannot be deleted.',
      params: IdParams,
      body: CorrectionBody,
      response: { 201: CorrectionEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const { correction } = await stories.correct(staffOf(req), req.params.id, req.body);
    reply.code(201).header('Location', `/api/admin/articles/${req.params.id}/corrections/${correction.id}`);
    return { correction: presentCorrection(correction) };
  });

  app.patch('/api/admin/articles/:id/corrections/:cid', {
    config: as('article.correct'),
    schema: {
      tags: TAGS,
      summary: 'Fix the wording of a correction (a typo)',
      description: 'The entry keeps its published date and shows it was edited; the audit log keeps both wordings.',
      params: CorrectionParams,
      body: CorrectionEditBody,
      response: { 200: CorrectionEnvelope, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req) => ({ correction: presentCorrection(await stories.editCorrection(staffOf(req), req.params.id, req.params.cid, req.body.note)) }));

  // Corrections are kept for the record: there is no way to delete one, and the API says so.
  const keptForever = async (): Promise<never> => {
    throw new AppError(405, 'method_not_allowed', 'Corrections are kept for the record and cannot be deleted; fix the wording of a note instead.');
  };
  app.delete('/api/admin/articles/:id/corrections/:cid', { config: as('article.correct'), schema: { hide: true, params: CorrectionParams } }, async (_req, reply) => {
    reply.header('Allow', 'PATCH');
    return keptForever();
  });
  app.delete('/api/admin/articles/:id/correction', { config: as('article.correct'), schema: { hide: true, params: IdParams } }, async (_req, reply) => {
    reply.header('Allow', 'POST');
    return keptForever();
  });

  app.post('/api/admin/articles/:id/correction', {
    config: as('article.correct'),
    schema: {
      tags: TAGS,
      summary: 'Append a correction (the earlier form of POST …/corrections)',
      description: 'Kept for existing clients: `{ note, kind? }` appends an entry to the corrections log (kind defaults to "correction") and answers with the story.',
      params: IdParams,
      body: CorrectionBody,
      response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ article: presentStory((await stories.correct(staffOf(req), req.params.id, req.body)).story, site) }));

  app.get('/api/admin/articles/:id/revisions', {
    config: as('article.revisions'),
    schema: { tags: TAGS, summary: 'Every saved version of a story, newest first', params: IdParams, response: { 200: RevisionListJson, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({ revisions: (await stories.revisions(staffOf(req), req.params.id)).map(presentRevisionSummary) }));

  // A static segment wins over `:rev` in the router, whatever the order of registration.
  app.get('/api/admin/articles/:id/revisions/compare', {
    config: as('article.revisions'),
    schema: {
      tags: TAGS,
      summary: 'Two saved versions of a story compared',
      description:
        'What changed between revisions `a` and `b`: each field that differs, as text before and after and word by word, the labels of those that do not, and the body line by line ' +
        '(a changed paragraph word by word; long unchanged stretches folded). The older revision is always `a`. Without `b`, the newest; without `a`, the one before `b`. ' +
        'Answers 404 for a revision that is not this story\'s.',
      params: IdParams,
      querystring: RevisionCompareQuery,
      response: { 200: RevisionComparisonJson, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const staff = staffOf(req);
    const { id } = req.params;
    const list = await stories.revisions(staff, id);
    const pair = revisionPair(list.map((r) => r.row.id), req.query.a, req.query.b);
    if (!pair) throw new NotFoundError(`Story ${id} has no revisions to compare.`);
    const [a, b] = await Promise.all([stories.revision(staff, id, pair[0]), stories.revision(staff, id, pair[1])]);
    return presentRevisionComparison(a, b, compareRevisions(comparedOf(a), comparedOf(b)));
  });

  app.get('/api/admin/articles/:id/revisions/:rev', {
    config: as('article.revisions'),
    schema: { tags: TAGS, summary: 'One saved version of a story, in full', params: RevisionParams, response: { 200: RevisionEnvelope, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({ revision: presentRevision(await stories.revision(staffOf(req), req.params.id, req.params.rev)) }));

  app.post('/api/admin/articles/:id/revisions/:rev/restore', {
    config: as('article.restore'),
    schema: {
      tags: TAGS,
      summary: 'Restore a saved version',
      description: 'Saves that version as the current state, as a new revision: nothing is lost. Same rules as saving.',
      params: RevisionParams,
      response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ article: presentStory(await stories.restore(staffOf(req), req.params.id, req.params.rev), site) }));
};
