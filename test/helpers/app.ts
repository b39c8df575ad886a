import { buildApp, type App, type BuildOptions } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { seedDemo } from '../../src/content/demo.js';
import { createTestDb, type TestDb } from './db.js';
import type { Db } from '../../src/platform/db/connection.js';
import { injectApi, pageOf, request, type ApiOptions, type HTTPMethods, type ApiResult, type Credentials, type PageResult, type RequestOptions } from './http.js';

export interface TestApp extends TestDb {
  app: App;
  /** http://127.0.0.1:<port> of the listening server. */
  url: string;
  /** fetch() against the server, without following redirects. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** fetch() against the server with a method, a caller and a JSON or form body (see RequestOptions), without following redirects. */
  request(method: string, path: string, opts?: RequestOptions): Promise<Response>;
  /** A JSON API call through app.inject: status, parsed body (null when empty) and headers. */
  api<T>(method: HTTPMethods, url: string, opts?: ApiOptions): Promise<ApiResult<T>>;
  /** GET a page, signed in as `as` or not: status, Location, headers and HTML. */
  page(path: string, as?: Credentials): Promise<PageResult>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Fill the database before the server starts. */
  seed?: (t: TestDb) => Promise<void>;
  now?: () => Date;
  /** What the app's services use of the database, e.g. a Kysely with a query-counting plugin (see query-count.ts); seeding uses the plain one. */
  appDb?: (db: Db) => Db;
  /** Extra build options (e.g. `commentLimits: { minGapMs: 0 }`). */
  build?: Pick<BuildOptions, 'commentLimits' | 'mailLimits' | 'throttle' | 'scheduler' | 'clientDir'>;
}

/** Starts the real app on a free port against a fresh database. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const t = await createTestDb();
  if (opts.seed) await opts.seed(t);
  // Listen first on a free port, so SITE_URL (and every absolute URL) names the real address.
  const probe = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent' }), db: t.db, logger: false });
  await probe.listen({ port: 0, host: '127.0.0.1' });
  const port = (probe.server.address() as { port: number }).port;
  await probe.close();
  const config = loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent', PORT: String(port), SITE_URL: `http://127.0.0.1:${port}` });
  const app = await buildApp({ config, db: opts.appDb ? opts.appDb(t.db) : t.db, logger: false, ...opts.build, ...(opts.now ? { now: opts.now } : {}) });
  await app.listen({ port, host: '127.0.0.1' });
  // Stories seeded before the start are indexed in the background; tests search them at once.
  await app.deps.searchCatchUp.settled();
  const url = `http://127.0.0.1:${port}`;
  return {
    ...t,
    app,
    url,
    get: (path, headers = {}) => fetch(url + path, { headers, redirect: 'manual' }),
    request: (method, path, opts) => request(url, method, path, opts),
    api: (method, path, opts) => injectApi(app, method, path, opts),
    page: async (path, as) => pageOf(await request(url, 'GET', path, { as })),
    async close() {
      // A response whose body a test never read keeps its connection busy, and a graceful close would wait for it.
      app.server.closeAllConnections();
      await app.close();
      await t.destroy();
    },
  };
}

/** The app with the demo edition in it (the browser tests' site). */
export function startDemoApp(opts: Omit<TestAppOptions, 'seed'> = {}): Promise<TestApp> {
  return startTestApp({ ...opts, seed: async ({ db, dataDir }) => void (await seedDemo(db.kysely, dataDir)) });
}
