/**
 * The admin API under /api/admin: stories and their workflow, revisions and
 * corrections; sections, tags, authors and the breaking-news strip; people,
 * API tokens and the audit log.
 *
 * Authentication is a staff session cookie or `Authorization: Bearer <token>`
 * (see staff.ts). Every route names its policy action in `config.newsroomAction`,
 * and one hook checks it for every route before anything else runs; a route
 * without an action cannot even be registered. Services check again with the
 * story in hand (a contributor's own draft).
 */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError } from '../platform/errors.js';
import { authorize, mayAttempt, type NewsroomAction } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';
import {
  AuditListJson, AuditQuery, AUTH_ERRORS, AuthorEnvelope, AuthorListJson, BreakingBody, BreakingEnvelope, CorrectionBody, CreateAuthorBody,
  CreateSectionBody, CreateStoryBody, CreateTagBody, CreateTokenBody, errors, IdParams, PublishBody, RevisionCompareQuery, RevisionComparisonJson,
  RevisionEnvelope, RevisionListJson, RevisionParams, SectionEnvelope, SectionListJson, SectionOrderBody, StoryEnvelope, StoryListJson, StoryListQuery,
  TagEnvelope, TagListJson,
  TokenCreatedJson, TokenListJson, UpdateAuthorBody, UpdateSectionBody, UpdateStoryBody, UpdateTagBody, UpdateUserBody, UserEnvelope,
  UserListJson, UserListQuery, CreateInvitationBody, InvitationEnvelope, InvitationListJson,
} from './newsroom.schemas.js';
import {
  presentAuditEntry, presentAuthor, presentRevision, presentRevisionComparison, presentRevisionSummary, presentSection, presentStory, presentStorySummary,
  presentTag, presentToken, presentUser, presentInvitation,
} from './newsroom.presenters.js';
import type { StorySort } from '../content/story.service.js';
import { comparedOf, compareRevisions, revisionPair } from '../content/revision.model.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The newsroom policy action an /api/admin route performs (see newsroom.policy.ts). */
    newsroomAction?: NewsroomAction;
  }
  interface FastifyRequest {
    /** Who is acting, set by the newsroom's hook once the policy allowed the action. */
    staff?: Staff;
  }
}

const TAGS = ['admin'];
const Deleted = Type.Null({ description: 'Done; nothing to return' });
const as = (action: NewsroomAction) => ({ newsroomAction: action });

function staffOf(req: FastifyRequest): Staff {
  if (!req.staff) throw new Error('newsroom route reached without its policy check');
  return req.staff;
}

const pagination = (page: number, limit: number, total: number) => ({ page, limit, total, totalPages: Math.max(1, Math.ceil(total / limit)) });

export const newsroomRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { stories, taxonomy, people, invitations } = deps;
  const site = deps.config.siteUrl;

  // Fail closed: a newsroom route that does not name its action is a programming error.
  app.addHook('onRoute', (route) => {
    if (!route.config?.newsroomAction) throw new Error(`${String(route.method)} ${route.url}: newsroom routes must name their policy action in config.newsroomAction`);
  });

  // The one permission check: who is asking, and may that role do this action at all?
  app.addHook('onRequest', async (req) => {
    const action = req.routeOptions.config.newsroomAction!;
    const staff = await deps.staff.resolve(req);
    authorize(mayAttempt(staff, action));
    req.staff = staff!;
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
  });

  // Name an unknown field plainly (the schemas refuse them; see STRICT in newsroom.schemas.ts).
  app.setSchemaErrorFormatter((errors, dataVar) => {
    for (const e of errors) {
      if (e.keyword === 'not' && e.schemaPath.endsWith('/additionalProperties/not')) e.message = 'is not a field this API accepts';
    }
    return new Error(`Invalid ${dataVar}`);
  });

  // --- stories --------------------------------------------------------------------

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

  app.post('/api/admin/articles/:id/correction', {
    config: as('article.correct'),
    schema: {
      tags: TAGS,
      summary: 'Add a correction or update note to a published story',
      description: 'Readers see the note with its time on the story; the story is marked "Updated". A new note replaces the previous one (the audit log keeps them all).',
      params: IdParams,
      body: CorrectionBody,
      response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ article: presentStory(await stories.correct(staffOf(req), req.params.id, req.body.note), site) }));

  app.delete('/api/admin/articles/:id/correction', {
    config: as('article.correct'),
    schema: { tags: TAGS, summary: 'Remove the correction note', params: IdParams, response: { 200: StoryEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req) => ({ article: presentStory(await stories.correct(staffOf(req), req.params.id, null), site) }));

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

  // --- sections -------------------------------------------------------------------

  app.get('/api/admin/sections', {
    config: as('section.list'),
    schema: { tags: TAGS, summary: 'All sections, in navigation order', response: { 200: SectionListJson, ...AUTH_ERRORS } },
  }, async (req) => {
    const all = await taxonomy.sections(staffOf(req));
    return { sections: all.map((s) => presentSection(s, all)) };
  });

  app.post('/api/admin/sections', {
    config: as('section.manage'),
    schema: { tags: TAGS, summary: 'Create a section (admins)', body: CreateSectionBody, response: { 201: SectionEnvelope, ...errors(400, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    const s = await taxonomy.createSection(staffOf(req), req.body);
    reply.code(201);
    return { section: presentSection(s, await taxonomy.sections(staffOf(req))) };
  });

  app.put('/api/admin/sections/order', {
    config: as('section.manage'),
    schema: { tags: TAGS, summary: 'Reorder the sections (admins)', body: SectionOrderBody, response: { 200: SectionListJson, ...errors(400), ...AUTH_ERRORS } },
  }, async (req) => {
    const all = await taxonomy.reorderSections(staffOf(req), req.body.ids);
    return { sections: all.map((s) => presentSection(s, all)) };
  });

  app.patch('/api/admin/sections/:id', {
    config: as('section.manage'),
    schema: {
      tags: TAGS,
      summary: 'Rename or change a section (admins)',
      description: 'After a slug change the old address answers 301 to the new one.',
      params: IdParams,
      body: UpdateSectionBody,
      response: { 200: SectionEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const s = await taxonomy.updateSection(staffOf(req), req.params.id, req.body);
    return { section: presentSection(s, await taxonomy.sections(staffOf(req))) };
  });

  app.delete('/api/admin/sections/:id', {
    config: as('section.manage'),
    schema: { tags: TAGS, summary: 'Delete an empty section (admins)', params: IdParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await taxonomy.deleteSection(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // --- tags -----------------------------------------------------------------------

  app.get('/api/admin/tags', {
    config: as('tag.list'),
    schema: { tags: TAGS, summary: 'All tags', response: { 200: TagListJson, ...AUTH_ERRORS } },
  }, async (req) => ({ tags: (await taxonomy.tags(staffOf(req))).map(presentTag) }));

  app.post('/api/admin/tags', {
    config: as('tag.manage'),
    schema: { tags: TAGS, summary: 'Create a tag', body: CreateTagBody, response: { 201: TagEnvelope, ...errors(400, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    reply.code(201);
    return { tag: presentTag(await taxonomy.createTag(staffOf(req), req.body)) };
  });

  app.patch('/api/admin/tags/:id', {
    config: as('tag.manage'),
    schema: {
      tags: TAGS,
      summary: 'Rename a tag, or mark it special coverage',
      description: 'Special coverage shows the tag as a banner on the home page with its description. After a slug change the old address answers 301.',
      params: IdParams,
      body: UpdateTagBody,
      response: { 200: TagEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ tag: presentTag(await taxonomy.updateTag(staffOf(req), req.params.id, req.body)) }));

  app.delete('/api/admin/tags/:id', {
    config: as('tag.manage'),
    schema: { tags: TAGS, summary: 'Delete a tag (its stories lose it)', params: IdParams, response: { 204: Deleted, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await taxonomy.deleteTag(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // --- authors --------------------------------------------------------------------

  app.get('/api/admin/authors', {
    config: as('author.list'),
    schema: { tags: TAGS, summary: 'All byline authors', response: { 200: AuthorListJson, ...AUTH_ERRORS } },
  }, async (req) => ({ authors: (await taxonomy.authors(staffOf(req))).map(presentAuthor) }));

  app.post('/api/admin/authors', {
    config: as('author.manage'),
    schema: { tags: TAGS, summary: 'Create an author', body: CreateAuthorBody, response: { 201: AuthorEnvelope, ...errors(400, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    reply.code(201);
    return { author: presentAuthor(await taxonomy.createAuthor(staffOf(req), req.body)) };
  });

  app.patch('/api/admin/authors/:id', {
    config: as('author.manage'),
    schema: {
      tags: TAGS,
      summary: 'Rename or change an author',
      description: 'After a slug change the old address answers 301.',
      params: IdParams,
      body: UpdateAuthorBody,
      response: { 200: AuthorEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ author: presentAuthor(await taxonomy.updateAuthor(staffOf(req), req.params.id, req.body)) }));

  app.delete('/api/admin/authors/:id', {
    config: as('author.manage'),
    schema: { tags: TAGS, summary: 'Delete an author without bylines', params: IdParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await taxonomy.deleteAuthor(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // --- breaking news ----------------------------------------------------------------

  app.get('/api/admin/breaking', {
    config: as('breaking.manage'),
    schema: { tags: TAGS, summary: 'The breaking-news strip, if set', response: { 200: BreakingEnvelope, ...AUTH_ERRORS } },
  }, async (req) => ({ breaking: await taxonomy.breaking(staffOf(req)) }));

  app.put('/api/admin/breaking', {
    config: as('breaking.manage'),
    schema: {
      tags: TAGS,
      summary: 'Set the breaking-news strip',
      description: 'Shown at the top of every page at once; with `expiresAt` it goes away by itself then.',
      body: BreakingBody,
      response: { 200: BreakingEnvelope, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req) => ({ breaking: await taxonomy.setBreaking(staffOf(req), req.body) }));

  app.delete('/api/admin/breaking', {
    config: as('breaking.manage'),
    schema: { tags: TAGS, summary: 'Remove the breaking-news strip', response: { 204: Deleted, ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await taxonomy.clearBreaking(staffOf(req));
    return reply.code(204).send(null);
  });

  // --- people, tokens, audit --------------------------------------------------------------

  app.get('/api/admin/users', {
    config: as('user.list'),
    schema: { tags: TAGS, summary: 'Accounts (admins)', querystring: UserListQuery, response: { 200: UserListJson, ...errors(400), ...AUTH_ERRORS } },
  }, async (req) => {
    const { role, status, q } = req.query;
    const page = req.query.page ?? 1;
    const limit = req.query.limit ?? 50;
    const { items, total } = await people.users(staffOf(req), { role, status, q }, page, limit);
    return { users: items.map(presentUser), pagination: pagination(page, limit, total) };
  });

  app.patch('/api/admin/users/:id', {
    config: as('user.manage'),
    schema: {
      tags: TAGS,
      summary: 'Change an account\'s role, or disable it (admins)',
      description: 'Disabling ends the account\'s sessions and API tokens at once. Admins cannot change their own account here.',
      params: IdParams,
      body: UpdateUserBody,
      response: { 200: UserEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ user: presentUser(await people.updateUser(staffOf(req), req.params.id, req.body)) }));

  app.get('/api/admin/tokens', {
    config: as('token.manage'),
    schema: { tags: TAGS, summary: 'API tokens (admins)', response: { 200: TokenListJson, ...AUTH_ERRORS } },
  }, async (req) => ({ tokens: (await people.tokens(staffOf(req))).map(presentToken) }));

  app.post('/api/admin/tokens', {
    config: as('token.manage'),
    schema: {
      tags: TAGS,
      summary: 'Make an API token (admins)',
      description: 'The token is in `secret`, shown this once; only its hash is kept. It acts for you, and ends if your account is disabled.',
      body: CreateTokenBody,
      response: { 201: TokenCreatedJson, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const { token, secret } = await people.createToken(staffOf(req), req.body);
    reply.code(201);
    return { token: presentToken(token), secret };
  });

  app.delete('/api/admin/tokens/:id', {
    config: as('token.manage'),
    schema: { tags: TAGS, summary: 'Revoke an API token (admins)', params: IdParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await people.revokeToken(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/admin/invitations', {
    config: as('invitation.manage'),
    schema: { tags: TAGS, summary: 'Pending staff invitations, newest first (admins)', response: { 200: InvitationListJson, ...AUTH_ERRORS } },
  }, async (req) => ({ invitations: (await invitations.pending(staffOf(req))).map(presentInvitation) }));

  app.post('/api/admin/invitations', {
    config: as('invitation.manage'),
    schema: {
      tags: TAGS,
      summary: 'Invite someone to a staff role by email (admins)',
      description:
        `Emails a one-time link, valid for 7 days, to set a name and a password (or, for an address with a reader account, to accept with its password). ` +
        'A new invitation to the same address replaces a pending one. An address with a staff or a disabled account is refused (409): change it with PATCH /api/admin/users/{id}.',
      body: CreateInvitationBody,
      response: { 201: InvitationEnvelope, ...errors(400, 409), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const invitation = await invitations.invite(staffOf(req), req.body);
    reply.code(201);
    return { invitation: presentInvitation(invitation) };
  });

  app.delete('/api/admin/invitations/:id', {
    config: as('invitation.manage'),
    schema: { tags: TAGS, summary: 'Withdraw a pending invitation (admins): its link stops working', params: IdParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await invitations.revoke(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/admin/audit', {
    config: as('audit.read'),
    schema: {
      tags: TAGS,
      summary: 'The audit log of staff actions, newest first (admins)',
      description: 'Who published, unpublished, corrected, renamed, changed roles and made tokens, when and from where.',
      querystring: AuditQuery,
      response: { 200: AuditListJson, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const { action, subject, actor, before } = req.query;
    const result = await people.auditLog(staffOf(req), { action, subject, actorUserId: actor, beforeId: before }, req.query.limit ?? 50);
    return { entries: result.entries.map(presentAuditEntry), next: result.next };
  });
};
