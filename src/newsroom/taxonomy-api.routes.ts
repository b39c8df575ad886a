/**
 * The admin API's sections, tags, authors and breaking-news strip.
 * Registered by admin-api.routes.ts, whose hooks check every route's policy
 * action first.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import {
  AUTH_ERRORS, AuthorEnvelope, AuthorListJson, BreakingBody, BreakingEnvelope, CreateAuthorBody, CreateSectionBody, CreateTagBody, errors, IdParams,
  SectionEnvelope, SectionListJson, SectionOrderBody, TagEnvelope, TagListJson, UpdateAuthorBody, UpdateSectionBody, UpdateTagBody,
} from './newsroom.schemas.js';
import { presentAuthor, presentSection, presentTag } from './newsroom.presenters.js';
import { as, Deleted, staffOf, TAGS } from './admin-api.js';

export const taxonomyApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { taxonomy } = deps;

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
};
