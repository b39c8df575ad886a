import path from 'node:path';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db/connection.js';
import { AppError } from './platform/errors.js';
import { csrfGuard } from './platform/csrf.js';
import { securityHeaders, securityHeadersHook } from './platform/security-headers.js';
import { answeredByHitPath, cacheHitHook } from './platform/cache/hit-path.js';
import { checkPath, checkQueryAndBody, rewriteUndecodablePath } from './platform/input.js';
import { markFormBodies, parseFormBodies, refuseInvalidUtf8Json, validatorCompiler } from './platform/validation.js';
import { healthRoutes } from './platform/health.routes.js';
import { createDrainState, type DrainState } from './platform/shutdown.js';
import { renderErrorPage } from './web/chrome.js';
import { clientDir as defaultClientDir } from './web/assets.js';
import type { CommentLimits } from './comments/comment.model.js';
import type { MailLimits } from './accounts/mail-limit.js';
import type { ThrottleOptions } from './accounts/signin-throttle.js';
import { contentPages } from './content/content-pages.routes.js';
import { contentApi } from './content/content-api.routes.js';
import { liveRoutes } from './content/live.routes.js';
import { favoritesRoutes } from './favorites/favorite.routes.js';
import { commentsRoutes } from './comments/comment.routes.js';
import { moderationRoutes } from './newsroom/moderation.routes.js';
import { newsroomRoutes } from './newsroom/admin-api.routes.js';
import { newsroomPages } from './newsroom/pages.routes.js';
import { mediaRoutes } from './media/media.routes.js';
import { mediaApiRoutes } from './newsroom/media-api.routes.js';
import { searchRoutes } from './search/search.routes.js';
import { feedsRoutes } from './feeds/feed.routes.js';
import { accountApi } from './accounts/account-api.routes.js';
import { accountPages } from './accounts/account-pages.routes.js';
import { staffTotpRoutes } from './accounts/totp.routes.js';
import { wirePushRoutes } from './wires/wire-push.routes.js';
import { readershipRoutes } from './analytics/readership.routes.js';
import { createServices, type AppDeps } from './services.js';

export type { AppDeps } from './services.js';

export interface BuildOptions {
  config: Config;
  db: Db;
  /** A clock for tests. */
  now?: () => Date;
  /** Directory of Vite's client build (defaults to dist/client). */
  clientDir?: string;
  logger?: boolean | object;
  /** Sign-in throttling (tests tighten or loosen it). */
  throttle?: ThrottleOptions;
  /** Overrides of the discussion's limits (e.g. `minGapMs: 0` in tests). */
  commentLimits?: Partial<CommentLimits>;
  /** Overrides of the sign-up, reset and invitation mail limits (accounts/mail-limit.ts). */
  mailLimits?: Partial<MailLimits>;
  /** Run the publishing scheduler's loop (`dispatch serve` does; tests call `deps.scheduler.runDueNow()` instead). */
  scheduler?: boolean | { intervalMs: number };
  /** Run the wire poller's loop (http feeds and watched folders; `dispatch serve` does; tests call `deps.wirePoller.runDueNow()`). */
  wirePoller?: boolean | { intervalMs: number };
  /**
   * Build the article pages' read model for stories that have none, in the background after
   * start (`dispatch serve` does; a story without its page is built when first read anyway).
   */
  articlePages?: boolean;
  /** Called for every route as it is registered (the permission test collects the route table with it). */
  onRoute?: (route: RouteOptions) => void;
  /** Set when the process starts draining (`dispatch serve` starts it on SIGTERM; see platform/shutdown.ts). */
  drain?: DrainState;
}

export type App = FastifyInstance & { deps: AppDeps };

export async function buildApp(opts: BuildOptions): Promise<App> {
  const { config, db } = opts;
  const now = opts.now ?? (() => new Date());
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    // Fastify's two lines per request (with its req/res serializers) were a fifth of a cache hit:
    // one flat line per request instead (onResponse below), at debug for cache hits.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY.
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    rewriteUrl: rewriteUndecodablePath,
    bodyLimit: 1024 * 1024,
    // A slow client cannot hold a connection: the whole request (a stalled body included) must arrive
    // within requestTimeout and its headers within headersTimeout, or Node answers 408 and closes it.
    // Node checks every connectionsCheckingInterval (its default of 30 s would let them run long).
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: { requestTimeout: config.requestTimeoutMs, headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1000 },
    // Draining (platform/shutdown.ts) answers requests on open connections with Connection: close, not 503.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  // JSON bodies are validated strictly, text (path, query, form posts) with coercion: see platform/validation.ts.
  app.setValidatorCompiler(validatorCompiler);
  refuseInvalidUtf8Json(app);

  const clientDir = opts.clientDir ?? defaultClientDir;
  const deps = await createServices({ config, db, now, log: app.log, clientDir, throttle: opts.throttle, commentLimits: opts.commentLimits, mailLimits: opts.mailLimits });
  const { purge, limiters } = deps;
  app.decorate('deps', deps);

  // Before any plugin loads: plugins inherit the handlers in force when they register.
  app.setNotFoundHandler(async (req, reply) => {
    if (isApi(req)) return reply.code(404).send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
    return sendHtmlError(deps, reply, 404, 'Page not found', 'We could not find that page. It may have moved, or the address may be mistyped.');
  });

  app.setErrorHandler(async (err: FastifyError | AppError | Error, req, reply) => {
    const { status, code, message } = describeError(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code, status }, message);
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (status === 429 && typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
    if (isApi(req)) return reply.code(status).send({ error: { code, message } });
    const title = status === 400 ? 'That request was not right' : status === 401 ? 'Please sign in' : status === 403 ? 'Not allowed' : status === 404 ? 'Page not found' : status === 429 ? 'Slow down a little' : status === 501 ? 'Not available yet' : 'Something went wrong';
    return sendHtmlError(deps, reply, status, title, message);
  });

  // First of all hooks: a fresh page-cache hit is answered here, before cookies, sessions, CSRF and the route.
  const drain = opts.drain ?? createDrainState();
  const security = securityHeaders(config.siteUrl);
  app.addHook('onRequest', cacheHitHook({ cache: deps.cache, securityHeaders: security, draining: () => drain.draining }));
  app.addHook('onRequest', securityHeadersHook(security));
  app.addHook('onResponse', (req, reply, done) => {
    const line = { method: req.method, url: req.url, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
    if (answeredByHitPath(req)) req.log.debug(line, 'cache hit');
    else req.log.info(line, 'request completed');
    done();
  });

  await app.register(cookie);
  parseFormBodies(app, { bodyLimit: 64 * 1024 });
  // Text from outside (path, query, body) is checked once, here, for every route (see platform/input.ts).
  app.addHook('onRequest', checkPath);
  app.addHook('preValidation', checkQueryAndBody);
  app.addHook('preValidation', markFormBodies);
  app.addHook('onRequest', csrfGuard(config.siteUrl));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `${config.siteName} Content API`, version: '1.0.0', description: 'Read-only access to published stories, sections, tags and authors.' },
      servers: [{ url: config.siteUrl }],
      tags: [
        { name: 'content', description: 'Published stories and how they are organised' },
        { name: 'accounts', description: 'Sign up, sign in, password reset and the reader\'s profile' },
        { name: 'favorites', description: "A reader's saved stories" },
        { name: 'comments', description: 'The discussion under each story, and its moderation' },
        { name: 'search', description: 'Full-text search over published stories' },
        { name: 'admin', description: 'The newsroom: stories, workflow, revisions, sections, tags, authors, people and tokens (staff session or Bearer token)' },
        { name: 'media', description: 'Uploaded images and their responsive variants (staff)' },
        { name: 'wires', description: 'Agency copy: the signed push endpoint, and the wire desk\'s providers, queue and quarantine (staff)' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
    },
    hideUntagged: true,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('Cache-Control', 'public, max-age=300');
    return app.swagger();
  });

  // Hashed client bundles never change under one name: cache them for a year.
  // `vite build` wrote a .br and a .gz beside each (vite.config.ts): the client gets the one it accepts, with Vary.
  if (fs.existsSync(path.join(clientDir, 'assets'))) {
    await app.register(fastifyStatic, {
      root: path.join(clientDir, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      immutable: true,
      maxAge: '365d',
      preCompressed: true,
    });
  }
  const mediaDir = path.join(config.dataDir, 'media');
  fs.mkdirSync(mediaDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: mediaDir,
    prefix: '/media/',
    decorateReply: false,
    maxAge: '30d',
    dotfiles: 'deny',
    setHeaders: (reply) => reply.header('X-Content-Type-Options', 'nosniff'),
  });

  await app.register(healthRoutes, { ready: deps.databaseReady, draining: () => drain.draining });
  await app.register(contentApi, { deps });
  await app.register(liveRoutes, { deps });
  await app.register(accountApi, { deps });
  await app.register(accountPages, { deps });
  await app.register(staffTotpRoutes, { deps });
  await app.register(favoritesRoutes, { deps });
  await app.register(commentsRoutes, { deps });
  await app.register(moderationRoutes, { deps });
  await app.register(searchRoutes, { deps });
  await app.register(feedsRoutes, { deps });
  await app.register(newsroomRoutes, { deps });
  await app.register(wirePushRoutes, { deps });
  await app.register(readershipRoutes, { deps });
  await app.register(mediaRoutes, { deps });
  await app.register(mediaApiRoutes, { deps });
  await app.register(newsroomPages, { deps });
  await app.register(contentPages, { deps });

  // Lets an operator find a reader's request in the logs.
  app.addHook('onSend', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
    // While draining, a client's next request goes to a new connection, which a load balancer sends elsewhere.
    if (drain.draining) reply.header('Connection', 'close');
  });

  if (opts.scheduler) {
    const { intervalMs } = typeof opts.scheduler === 'object' ? opts.scheduler : { intervalMs: undefined };
    app.addHook('onReady', async () => deps.scheduler.start(intervalMs));
  }

  if (opts.wirePoller) {
    const { intervalMs } = typeof opts.wirePoller === 'object' ? opts.wirePoller : { intervalMs: undefined };
    app.addHook('onReady', async () => deps.wirePoller.start(intervalMs));
  }

  if (opts.articlePages) {
    app.addHook('onReady', async () => {
      void deps.content.fillMissingPages().catch((err: unknown) => app.log.error({ err }, 'article pages: filling failed'));
    });
  }

  app.addHook('onClose', async () => {
    await deps.content.stopFilling();
    await deps.wirePoller.stop();
    await deps.scheduler.stop();
    await purge.close();
    await deps.sharedPages?.close();
    await limiters.close();
    await deps.readership.close();
  });

  return app as unknown as App;
}

function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

function describeError(err: FastifyError | AppError | Error): { status: number; code: string; message: string } {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
  const fe = err as FastifyError;
  if (fe.validation) {
    return { status: 400, code: 'invalid_request', message: `Invalid ${fe.validationContext ?? 'request'}: ${fe.validation.map((v) => `${v.instancePath || v.params?.missingProperty || ''} ${v.message ?? ''}`.trim()).join('; ')}` };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: (fe.code ?? 'bad_request').toLowerCase(), message: fe.message };
  }
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side. Please try again in a moment.' };
}

async function sendHtmlError(deps: AppDeps, reply: FastifyReply, status: number, title: string, message: string) {
  const html = await renderErrorPage(deps, { status, title, message });
  reply.header('Cache-Control', status === 404 ? 'public, max-age=10, s-maxage=30' : 'no-store');
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}
