import { buildApp, type App, type BuildOptions } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { createTestDb, type TestDb } from './db.js';

export interface TestApp extends TestDb {
  app: App;
  /** http://127.0.0.1:<port> of the listening server. */
  url: string;
  /** fetch() against the server, without following redirects. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Fill the database before the server starts. */
  seed?: (t: TestDb) => Promise<void>;
  now?: () => Date;
  /** Extra build options (e.g. `commentLimits: { minGapMs: 0 }`). */
  build?: Pick<BuildOptions, 'commentLimits' | 'throttle' | 'scheduler'>;
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
  const app = await buildApp({ config, db: t.db, logger: false, ...opts.build, ...(opts.now ? { now: opts.now } : {}) });
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  return {
    ...t,
    app,
    url,
    get: (path, headers = {}) => fetch(url + path, { headers, redirect: 'manual' }),
    async close() {
      // A response whose body a test never read keeps its connection busy, and a graceful close would wait for it.
      app.server.closeAllConnections();
      await app.close();
      await t.destroy();
    },
  };
}
