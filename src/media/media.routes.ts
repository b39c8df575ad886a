/**
 * The media library under /api/admin/media, and the serving of its files at
 * /media/uploads/.
 *
 * Authentication is the newsroom's: a staff session cookie or
 * `Authorization: Bearer <token>` (newsroom/staff.ts). Each route names its
 * media action (media.policy.ts) and, for the admin API's permission matrix,
 * the newsroom action whose rule it follows; one hook checks it before the
 * body is read, so a refused upload is never parsed.
 */
import path from 'node:path';
import fs from 'node:fs';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../services.js';
import { AppError, ValidationError } from '../platform/errors.js';
import { authorize } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';
import { canMedia, NEWSROOM_EQUIVALENT, type MediaAction } from './media.policy.js';
import { UPLOADS } from './media.service.js';
import type { MediaLimits } from './media.model.js';
import { Deleted, errors, MediaEnvelope, MediaIdParams, MediaListJson, MediaListQuery, TEXT_LIMITS, UpdateMediaBody } from './media.schemas.js';
import { presentMedia } from './media.presenters.js';

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

export class FileTooLargeError extends AppError {
  constructor(limits: MediaLimits) {
    super(413, 'file_too_large', `The file is larger than ${Math.round(limits.maxBytes / (1024 * 1024))} MB, the most an upload may be.`);
  }
}

/** Caption and the like travel as multipart fields; the text limits are those of the JSON API. */
const FIELDS = new Set<keyof typeof TEXT_LIMITS>(['alt', 'caption', 'credit']);

export const mediaRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { media } = deps;
  const { limits, mediaDir } = media;
  fs.mkdirSync(path.join(mediaDir, UPLOADS), { recursive: true });

  // Upload file names are content hashes: a name never changes what it serves, so caches may keep it for a year.
  await app.register(fastifyStatic, {
    root: path.join(mediaDir, UPLOADS),
    prefix: `/media/${UPLOADS}/`,
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
    dotfiles: 'deny',
    index: false,
    // Only the image files we wrote are served: never a temp file mid-write.
    allowedPath: (p) => /^\/[0-9a-f]{2}\/[0-9a-f]{24}-\d{1,5}-[0-9a-f]{8}\.(webp|jpg|png)$/.test(p),
    setHeaders: (reply) => {
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    },
  });

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

/** @fastify/multipart's limits for one image and its text fields (the newsroom's upload form uses them too). */
export function multipartLimits(limits: MediaLimits) {
  return { fileSize: limits.maxBytes, files: 1, fields: 10, fieldSize: Math.max(...Object.values(TEXT_LIMITS)) * 4, parts: 12, headerPairs: 50 };
}

/**
 * Reads the multipart body: the one file (whatever its name; the name is never
 * used) into memory, up to the size limit, and the text fields.
 */
export async function readUpload(req: FastifyRequest, limits: MediaLimits): Promise<{ data: Buffer; fields: Partial<Record<keyof typeof TEXT_LIMITS, string>> }> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'multipart_required', 'Send the image as multipart/form-data, in a field named "file".');
  }
  let data: Buffer | null = null;
  const fields: Partial<Record<keyof typeof TEXT_LIMITS, string>> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw new ValidationError(`Send the image in a field named "file", not "${part.fieldname.slice(0, 40)}".`);
        data = await part.toBuffer();
        continue;
      }
      const name = part.fieldname as keyof typeof TEXT_LIMITS;
      if (!FIELDS.has(name)) throw new ValidationError(`"${part.fieldname.slice(0, 40)}" is not a field this API accepts; send file, alt, caption and credit.`);
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      if (part.valueTruncated || value.length > TEXT_LIMITS[name]) throw new ValidationError(`The ${name} is too long: at most ${TEXT_LIMITS[name]} characters.`);
      fields[name] = value;
    }
  } catch (err) {
    throw uploadError(err, limits);
  }
  if (!data) throw new AppError(400, 'file_required', 'No image was sent: put it in a field named "file".');
  if (data.length === 0) throw new AppError(400, 'empty_file', 'The file sent is empty.');
  return { data, fields };
}

/** @fastify/multipart's errors, said plainly. */
function uploadError(err: unknown, limits: MediaLimits): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE': return new FileTooLargeError(limits);
    case 'FST_FILES_LIMIT': return new ValidationError('Send one image per upload.');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT': return new ValidationError('Too many fields: send file, alt, caption and credit.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_MULTIPART_INVALID_CONTENT_TYPE': return new AppError(415, 'multipart_required', 'Send the image as multipart/form-data, in a field named "file".');
    default:
      if (err instanceof Error && /multipart|boundary|unexpected end/i.test(err.message)) return new ValidationError('The upload was cut short or malformed; please try again.');
      return err;
  }
}
