import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';

const Status = Type.Object({ status: Type.String() });

/**
 * `/healthz`: the process is up (liveness; stays 200 while draining, so it is not killed mid-drain).
 * `/readyz`: the process takes traffic: not draining, and the database answers.
 */
export const healthRoutes: FastifyPluginAsync<{ ready: () => Promise<boolean>; draining: () => boolean }> = async (app, { ready, draining }) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Status } }, logLevel: 'warn' }, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
    return { status: 'ok' };
  });
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: Status, 503: Status } }, logLevel: 'warn' }, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (draining()) return reply.code(503).send({ status: 'draining' });
    if (await ready()) return { status: 'ready' };
    return reply.code(503).send({ status: 'database unavailable' });
  });
};
