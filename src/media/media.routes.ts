/**
 * The serving of the media library's files at /media/uploads/ (the library
 * itself is managed through the newsroom: newsroom/media-api.routes.ts).
 */
import path from 'node:path';
import fs from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { UPLOADS } from './media.service.js';

export const mediaRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { media } = deps;
  const { mediaDir } = media;
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
};
