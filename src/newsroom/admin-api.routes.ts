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
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { authorize, mayAttempt } from '../accounts/staff.policy.js';
// The types of config.newsroomAction and req.staff.
import './admin-api.js';
import { storyApi } from './story-api.routes.js';
import { taxonomyApi } from './taxonomy-api.routes.js';
import { peopleApi } from './people-api.routes.js';
import { wiresApi } from './wires-api.routes.js';
import { wireDeskApi } from './wire-desk-api.routes.js';
import { sitePagesApi } from './site-pages.routes.js';
import { frontsApi } from './fronts-api.routes.js';
import { liveApi } from './live-api.routes.js';

/**
 * The admin API: installs the hooks that apply to every /api/admin route,
 * then registers the route files (stories, taxonomy, people) inside it, so
 * they inherit them.
 */
export const newsroomRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
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

  await app.register(storyApi, { deps });
  await app.register(taxonomyApi, { deps });
  await app.register(peopleApi, { deps });
  await app.register(wiresApi, { deps });
  await app.register(wireDeskApi, { deps });
  await app.register(sitePagesApi, { deps });
  await app.register(frontsApi, { deps });
  await app.register(liveApi, { deps });
};
