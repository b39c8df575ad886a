/**
 * The article page's read beacon: `POST /api/v1/articles/:id/read`, sent once
 * per page view by the page's script (navigator.sendBeacon). Pages themselves
 * count nothing, so they stay cacheable by anyone. The answer is always the
 * same empty 204 (counted, a repeat, or a bot), so it tells a caller nothing.
 */
import { Type } from 'typebox';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import { ErrorJson } from '../content/content.schemas.js';

/** Beacons one address may send a minute: generous for a household or an office behind one address. */
const BEACONS_PER_MINUTE = 120;

export const readershipRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { readership } = deps;
  const limiter = deps.limiters.create({ keyPrefix: 'read-beacon', points: BEACONS_PER_MINUTE, duration: 60 });

  app.post(
    '/api/v1/articles/:id/read',
    {
      schema: {
        tags: ['content'],
        summary: 'Count one read of a published story (the article page sends it; no cookie is read or set)',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
        response: { 204: Type.Null(), 404: ErrorJson, 429: ErrorJson },
      },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      try {
        await limiter.consume(req.ip);
      } catch (res) {
        if (res instanceof RateLimiterRes) {
          throw Object.assign(new AppError(429, 'rate_limited', 'Too many requests from this address.'), { retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) });
        }
        req.log.warn({ err: res }, 'read beacon limiter unavailable');
      }
      let outcome;
      try {
        outcome = await readership.recordRead({ articleId: req.params.id, address: req.ip, userAgent: req.headers['user-agent'] });
      } catch (err) {
        // A lost count is not the reader's problem.
        req.log.warn({ err }, 'read not counted');
        return reply.code(204).send(null);
      }
      if (outcome === 'not_found') throw new NotFoundError('There is no published story with that id.');
      return reply.code(204).send(null);
    },
  );
};
