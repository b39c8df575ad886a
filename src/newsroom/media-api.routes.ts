/**
 * The media library under /api/admin/media.
 *
 * Authentication is the newsroom's: a staff session cookie or
 * `Authorization: Bearer <token>` (accounts/staff.ts). Each route names its
 * media action (media/media.policy.ts) and, for the admin API's permission
 * matrix, the newsroom action whose rule it follows; one hook checks it
 * before the body is read, so a refused upload is never parsed.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../services.js';
import { authorize } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';
import { canMedia, NEWSROOM_EQUIVALENT, type MediaAction } from '../media/media.policy.js';
import { Deleted, errors, MediaEnvelope, MediaIdParams, MediaListJson, MediaListQuery, UpdateMediaBody } from '../media/media.schemas.js';
import { presentMedia } from '../media/media.presenters.js';
import { multipartLimits, readUpload } from '../media/upload.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The media policy action a media route performs (see media.policy.ts). */
    mediaAction?: MediaAction;
  }
  interface FastifyRequest {
    /** Who is acting, set by the media hook once the policy allowed the action. */
    mediaStaff?: Staff;
  }
}

const TAGS = ['media'];
const AUTH_ERRORS = errors(401, 403);
const as = (action: MediaAction) => ({ mediaAction: action, newsroomAction: NEWSROOM_EQUIVALENT[action] });

export const mediaApiRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { media } = deps;
  const { limits } = media;

  await app.register(multipart, { limits: multipartLimits(limits) });

  app.addHook('onRequest', async (req) => {
    const action = req.routeOptions.config.mediaAction;
    if (!action) return; // the file server above
    const staff = await deps.staff.resolve(req);
    authorize(canMedia(staff, action));
    req.mediaStaff = staff!;
  });

  app.addHook('onSend', async (req, reply) => {
    if (req.routeOptions.config.mediaAction) reply.header('Cache-Control', 'no-store');
  });

  app.post('/api/admin/media', {
    config: as('media.upload'),
    schema: {
      tags: TAGS,
      summary: 'Upload an image',
      description: `multipart/form-data with the image in the field \`file\` (JPEG, PNG, WebP or AVIF, judged by its content; at most ${Math.round(limits.maxBytes / 1048576)} MB, ${limits.maxSide} pixels on a side and ${limits.maxPixels / 1e6} megapixels) and optional text fields \`alt\`, \`caption\`, \`credit\`. The image is re-encoded (metadata such as GPS location is not kept) into WebP and JPEG/PNG variants ${'320–1920'} pixels wide. The file name sent is ignored.`,
      consumes: ['multipart/form-data'],
      response: { 201: MediaEnvelope, ...errors(400, 413, 415, 422), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const { data, fields } = await readUpload(req, limits);
    const row = await media.upload(staffOf(req), { data, ...fields });
    reply.code(201).header('Location', `/api/admin/media/${row.id}`);
    return { media: presentMedia(row) };
  });

  app.get('/api/admin/media', {
    config: as('media.list'),
    schema: {
      tags: TAGS,
      summary: 'The media library, newest first',
      description: 'Search the alt text and caption with `q`; page with `page` and `limit`.',
      querystring: MediaListQuery,
      response: { 200: MediaListJson, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const page = req.query.page ?? 1;
    const limit = req.query.limit ?? 30;
    const { rows, total } = await media.list(staffOf(req), { q: req.query.q, page, limit });
    return { media: rows.map(presentMedia), pagination: { page, limit, total, totalPages: Math.max(1, Math.ceil(total / limit)) } };
  });

  app.get('/api/admin/media/:id', {
    config: as('media.read'),
    schema: { tags: TAGS, summary: 'One image of the library', params: MediaIdParams, response: { 200: MediaEnvelope, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => ({ media: presentMedia(await media.get(staffOf(req), req.params.id)) }));

  app.patch('/api/admin/media/:id', {
    config: as('media.edit'),
    schema: {
      tags: TAGS,
      summary: 'Change the alt text, caption or credit of an image',
      description: 'Contributors may change images they uploaded; editors and admins any. `null` or an empty string clears caption and credit.',
      params: MediaIdParams,
      body: UpdateMediaBody,
      response: { 200: MediaEnvelope, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req) => ({ media: presentMedia(await media.update(staffOf(req), req.params.id, req.body)) }));

  app.delete('/api/admin/media/:id', {
    config: as('media.delete'),
    schema: {
      tags: TAGS,
      summary: 'Delete an image and its files (editors and admins)',
      description: 'Stories that still show the image will show a broken image: check first.',
      params: MediaIdParams,
      response: { 204: Deleted, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    await media.remove(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });
};
function staffOf(req: FastifyRequest): Staff {
  if (!req.mediaStaff) throw new Error('media route reached without its policy check');
  return req.mediaStaff;
}

