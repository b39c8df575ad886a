/**
 * The `dispatch` command: serve | migrate | seed demo | import <file|dir>.
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type Config } from './platform/config.js';
import { AppError } from './platform/errors.js';
import { openDb, type Db } from './platform/db/connection.js';
import { migrateToLatest } from './platform/db/migrator.js';
import { createDrainState, createShutdown } from './platform/shutdown.js';
import type { FastifyBaseLogger } from 'fastify';
import { isEmpty, seedDemo } from './content/demo.js';
import { seedDemoWires } from './wires/demo/seed.js';
import { importFilesAt, readImportFile } from './content/import.js';
import { writeImportFiles } from './content/import.service.js';
import { createAccountsService } from './accounts/account.service.js';
import { createSigninThrottle } from './accounts/signin-throttle.js';
import { createMailLimit } from './accounts/mail-limit.js';
import { createRateLimiters } from './platform/rate-limit.js';
import { createMailer } from './platform/mail.js';
import type { Role } from './platform/db/types.js';
import { createSearchIndex } from './search/search-index.service.js';
import pino from 'pino';
import { EventBus } from './platform/events.js';
import { activeUserIdByEmail, issueApiToken } from './accounts/people.service.js';
import { SYSTEM } from './accounts/staff.js';
import { createWireService, PROVIDER_FORMATS, TRANSPORTS } from './wires/wire.service.js';
import { createWirePoller } from './wires/poller.js';
import type { WireProviderFormat, WireTransport } from './platform/db/types.js';
import { parseWorkerCount, runPrimary, workerShutdownRequests } from './platform/cluster.js';

const USAGE = `Usage: dispatch <command>

Commands:
  serve [--no-demo] [--workers N|auto]
                         migrate, load the demo edition into an empty database (unless --no-demo), and serve the site;
                         with --workers, N processes (1-64, or auto: one per CPU) share the port, the database and
                         Redis (REDIS_URL is required), and a worker that dies is replaced
  migrate                apply pending database migrations
  seed demo              load the demo edition into an empty database
  import <file|dir>      import articles from Markdown files with front matter, or JSON arrays
  search reindex         rebuild the full-text search index from the published stories
  users add EMAIL --role ROLE [--name NAME] [--password-stdin]
                         create an active account (reader, contributor, editor, admin); the password
                         is read from standard input, or generated and printed once
  tokens create --name NAME --role ROLE [--user EMAIL]
                         make an admin API token (contributor, editor, admin) and print it once; only its
                         hash is stored. With --user it acts for that account and ends if it is disabled
  wires add NAME --credit CREDIT --format auto|rss|atom|ninjs|newsml-g2|nitf --transport http|folder|push
            [--url URL] [--interval SECONDS]
                         add an agency provider (a push provider's secret is printed once)
  wires list             the providers with their status
  wires remove NAME      remove a provider with its items
  wires poll [NAME]      poll http providers and scan folders now (all, or NAME), and print the counts

Environment: PORT (3000), HOST (127.0.0.1), DISPATCH_DATA (./data), DATABASE_URL (postgres://…; default SQLite),
             REDIS_URL, REDIS_PREFIX (dispatch), PAGE_CACHE_MB (32: the page cache's memory per process), SITE_URL, SITE_NAME, LOG_LEVEL (info), SMTP_URL, MAIL_FROM, TRUST_PROXY,
             REQUEST_TIMEOUT_MS (30000: whole request, body included), HEADERS_TIMEOUT_MS (10000),
             KEEP_ALIVE_TIMEOUT_MS (5000: idle keep-alive connections; behind a load balancer that reuses
             connections, make it longer than the balancer's idle timeout),
             SHUTDOWN_TIMEOUT_MS (10000: on SIGTERM/SIGINT, finish requests in progress, then exit 0; cut
             what is left and exit 1 at this deadline), SHUTDOWN_DELAY_MS (0: keep accepting this long after
             the signal, /readyz answering 503, for load balancers that poll it),
             DISPATCH_FETCH_ALLOW_HOSTS (host[:port],… that agency fetches may reach on private addresses),
             WIRE_LEASE_SECONDS (60: a wire provider claimed by a process that died is polled again after this),
             PURGE_VARNISH_URLS (http://…,… Varnish with deploy/varnish/dispatch.vcl, purged by surrogate key on every
             content change), PURGE_FASTLY_SERVICE_ID and PURGE_FASTLY_TOKEN (a Fastly service, the same),
             PURGE_MODE (soft: purged pages go stale and are refetched; hard: removed)`;

const ROLES: Role[] = ['reader', 'contributor', 'editor', 'admin'];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

class UsageError extends Error {}

async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onIdleError: (err) => console.error(`database: ${err.message}`) });
  try {
    const { applied } = await migrateToLatest(db.kysely, db.dialect);
    for (const name of applied) console.log(`Applied migration ${name}`);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * The primary of `serve --workers N`: migrates and seeds once, before any
 * worker starts (so workers never race to migrate), then supervises them
 * (platform/cluster.ts).
 */
async function servePrimary(config: Config, demo: boolean, workers: number): Promise<void> {
  if (!config.redisUrl) {
    throw new UsageError('--workers needs REDIS_URL: page-cache purges, the shared page cache and rate limits go through Redis, or each process would serve its own stale copies.');
  }
  if (!config.databaseUrl && workers > 1) {
    console.warn(`SQLite with ${workers} workers: pages are read in parallel, but writes (publishing, comments, wire ingest) wait for one another. For a busy newsroom use PostgreSQL (DATABASE_URL).`);
  }
  await withDb(config, async (db) => {
    if (demo && (await isEmpty(db.kysely))) {
      const report = await seedDemo(db.kysely, config.dataDir);
      const wires = await seedDemoWires(createWireService({ db: db.kysely, events: new EventBus(), now: () => new Date() }));
      console.log(`Loaded the demo edition: ${report.written} articles; the demo wire desk: ${wires.providers} providers, ${wires.stored} items.`);
    }
    // Stories written while no server ran are indexed once here, not raced for by every worker's catch-up.
    await createSearchIndex({ db }).sync();
  });
  runPrimary({
    workers,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    say: (line) => console.log(line),
    onServing: () => console.log(`${config.siteName} is serving on ${config.siteUrl} with ${workers} worker${workers === 1 ? '' : 's'} (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`}, Redis)`),
    exit: (code) => process.exit(code),
  });
}

async function serve(config: Config, demo: boolean): Promise<void> {
  // A cluster worker: the primary has migrated and seeded, and prints the one "serving" line.
  const worker = cluster.isWorker;
  const db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onIdleError: (err) => console.error(`database: ${err.message}`) });
  const { applied } = worker ? { applied: [] } : await migrateToLatest(db.kysely, db.dialect);
  const seeding = !worker && demo && (await isEmpty(db.kysely));
  if (seeding) {
    const report = await seedDemo(db.kysely, config.dataDir);
    console.log(`Loaded the demo edition: ${report.written} articles.`);
  }
  const drain = createDrainState();
  // Loaded here, not at the top: a cluster's primary serves nothing and need not hold the app's modules in memory.
  const { buildApp } = await import('./app.js');
  const app = await buildApp({ config, db, scheduler: true, wirePoller: true, articlePages: true, drain });
  if (seeding) {
    // The wire desk's demo: three agencies and their sample feeds (through the app's wire service, so its events fire).
    const wires = await seedDemoWires(app.deps.wires);
    console.log(`Loaded the demo wire desk: ${wires.providers} providers, ${wires.stored} items.`);
  }
  if (applied.length) app.log.info({ applied }, 'migrations applied');
  const shutdown = createShutdown({
    server: app.server,
    drain,
    timeoutMs: config.shutdownTimeoutMs,
    delayMs: config.shutdownDelayMs,
    close: async () => {
      await app.close(); // the app's onClose hooks: scheduler, purge bus, rate limiters (Redis)
      await db.close();
    },
    flushLogs: () => (app.log as FastifyBaseLogger & { flush?: () => void }).flush?.(),
    log: app.log,
    exit: (code) => process.exit(code),
  });
  if (worker) workerShutdownRequests(shutdown);
  else {
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  }
  await app.listen({ port: config.port, host: config.host });
  if (worker) return;
  console.log(`${config.siteName} is serving on ${config.siteUrl} (${db.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL'})`);
}

const WIRES_USAGE = 'Usage: dispatch wires add NAME --credit C --format F --transport T [--url U] [--interval S] | list | remove NAME | poll [NAME]';

async function wiresCommand(config: Config, [sub, name]: string[], values: Record<string, string | boolean | undefined>): Promise<number> {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  return withDb(config, async (db) => {
    const now = () => new Date();
    const wires = createWireService({ db: db.kysely, events: new EventBus(), now });
    const byName = async (n: string) => {
      const p = await wires.providerByName(n);
      if (!p) throw new UsageError(`There is no wire provider "${n}".`);
      return p;
    };
    switch (sub) {
      case 'add': {
        const [credit, format, transport] = [str('credit'), str('format'), str('transport')];
        if (!name || !credit || !format || !transport) throw new UsageError(WIRES_USAGE);
        if (!PROVIDER_FORMATS.includes(format as WireProviderFormat)) throw new UsageError(`--format must be one of ${PROVIDER_FORMATS.join(', ')} (got "${format}")`);
        if (!TRANSPORTS.includes(transport as WireTransport)) throw new UsageError(`--transport must be one of ${TRANSPORTS.join(', ')} (got "${transport}")`);
        const interval = str('interval');
        if (interval !== undefined && !/^\d+$/.test(interval)) throw new UsageError('--interval is a whole number of seconds');
        const { provider, secret } = await wires.createProvider({
          name, credit, format: format as WireProviderFormat, transport: transport as WireTransport, url: str('url'), intervalSeconds: interval ? Number(interval) : undefined,
        }, SYSTEM);
        console.log(`Added wire provider ${provider.name} (${provider.transport}, ${provider.format}, credit "${provider.credit}").`);
        if (provider.transport === 'folder') console.log(`Drop files into ${config.dataDir}/wires/${provider.name}/incoming`);
        if (secret) console.log(`Push to POST /api/wires/${provider.name}. Secret (shown once): ${secret}`);
        return 0;
      }
      case 'list': {
        const all = await wires.providers();
        if (!all.length) console.log('No wire providers.');
        for (const p of all) {
          const state = !p.enabled ? 'disabled' : p.last_error_at && (!p.last_success_at || p.last_error_at > p.last_success_at) ? `failing (${p.consecutive_failures}): ${p.last_error_code}: ${p.last_error_message}` : 'ok';
          console.log(`${p.name}\t${p.transport}\t${p.format}\t"${p.credit}"\t${p.itemsLastHour} in the last hour\tlast success ${p.last_success_at ?? 'never'}\t${state}`);
        }
        return 0;
      }
      case 'remove': {
        if (!name) throw new UsageError(WIRES_USAGE);
        await wires.removeProvider((await byName(name)).id, SYSTEM);
        console.log(`Removed wire provider ${name}.`);
        return 0;
      }
      case 'poll': {
        const poller = createWirePoller({ wires, now, dataDir: config.dataDir, fetchAllowHosts: config.fetchAllowHosts, siteUrl: config.siteUrl, onError: () => {} });
        const targets = name ? [await byName(name)] : (await wires.providers()).filter((p) => p.enabled && p.transport !== 'push');
        let failed = 0;
        for (const p of targets) {
          const r = await poller.pollNow(p);
          const c = r.counts;
          if (!r.ok) failed++;
          console.log(`${r.provider}: ${r.ok ? (r.notModified ? 'not modified' : 'ok') : `failed: ${r.error?.code}: ${r.error?.message}`}; stored ${c.stored}, updated ${c.updated}, duplicates ${c.duplicates}, quarantined ${c.quarantined}${r.files ? `; files done ${r.files.done}, failed ${r.files.failed}` : ''}`);
        }
        return failed ? 1 : 0;
      }
      default:
        throw new UsageError(WIRES_USAGE);
    }
  });
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'no-demo': { type: 'boolean', default: false },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      role: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      user: { type: 'string' },
      credit: { type: 'string' },
      format: { type: 'string' },
      transport: { type: 'string' },
      url: { type: 'string' },
      interval: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();
  if (values.workers !== undefined && command !== 'serve') throw new UsageError('--workers is an option of dispatch serve.');

  switch (command) {
    case 'serve': {
      let workers: number | undefined;
      try {
        workers = values.workers === undefined ? undefined : parseWorkerCount(values.workers);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (workers !== undefined && cluster.isPrimary) await servePrimary(config, !values['no-demo'], workers);
      else await serve(config, !values['no-demo']);
      return -1; // keeps running
    }
    case 'migrate': {
      await withDb(config, async () => undefined);
      console.log('The database is up to date.');
      return 0;
    }
    case 'seed': {
      if (rest[0] !== 'demo') throw new UsageError('Usage: dispatch seed demo');
      const report = await withDb(config, async (db) => {
        const seeded = await seedDemo(db.kysely, config.dataDir);
        // Stories written outside a running server emit no events: index them here.
        await createSearchIndex({ db }).sync();
        await seedDemoWires(createWireService({ db: db.kysely, events: new EventBus(), now: () => new Date() }));
        return seeded;
      });
      console.log(`Loaded the demo edition: ${report.written} articles.`);
      return 0;
    }
    case 'import': {
      const target = rest[0];
      if (!target) throw new UsageError('Usage: dispatch import <file|dir>');
      const report = await withDb(config, async (db) => {
        const files = importFilesAt(target);
        if (!files.length) throw new UsageError(`${target}: no .md or .json files to import`);
        const written = await writeImportFiles(db.kysely, files.map((f) => readImportFile(f)));
        await createSearchIndex({ db }).sync();
        return written;
      });
      console.log(`Imported ${report.written} article${report.written === 1 ? '' : 's'} from ${report.files.length} file${report.files.length === 1 ? '' : 's'}.`);
      for (const e of report.errors) console.error(`Not imported: ${e}`);
      return report.errors.length ? 1 : 0;
    }
    case 'search': {
      if (rest[0] !== 'reindex') throw new UsageError('Usage: dispatch search reindex');
      const started = Date.now();
      const indexed = await withDb(config, (db) => createSearchIndex({ db }).rebuild());
      console.log(`Indexed ${indexed} published stor${indexed === 1 ? 'y' : 'ies'} for search in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      return 0;
    }
    case 'users': {
      const [sub, email] = rest;
      const role = values.role as Role | undefined;
      if (sub !== 'add' || !email || !role) throw new UsageError('Usage: dispatch users add EMAIL --role reader|contributor|editor|admin [--name NAME] [--password-stdin]');
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new UsageError(`"${email}" is not an email address`);
      const password = values['password-stdin'] ? await readStdin() : undefined;
      if (values['password-stdin'] && !password) throw new UsageError('No password on standard input.');
      const created = await withDb(config, async (db) => {
        const log = pino({ level: 'warn' });
        const limiters = createRateLimiters(undefined);
        const accounts = createAccountsService({
          db: db.kysely, events: new EventBus(), mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log }),
          throttle: createSigninThrottle(limiters), mailLimit: createMailLimit(limiters, log), now: () => new Date(), siteUrl: config.siteUrl, siteName: config.siteName,
        });
        return accounts.createUser({ email, role, ...(values.name ? { displayName: values.name } : {}), ...(password ? { password } : {}) });
      });
      console.log(`Created ${role} ${email.trim().toLowerCase()} (id ${created.id}).`);
      if (created.generated) console.log(`Password (shown once): ${created.password}`);
      return 0;
    }
    case 'tokens': {
      const role = values.role as Role | undefined;
      const usage = 'Usage: dispatch tokens create --name NAME --role contributor|editor|admin [--user EMAIL]';
      if (rest[0] !== 'create' || !values.name || !role) throw new UsageError(usage);
      if (!['contributor', 'editor', 'admin'].includes(role)) throw new UsageError(`--role must be contributor, editor or admin (got "${role}")`);
      const issued = await withDb(config, async (db) => {
        let createdBy: number | null = null;
        if (values.user) {
          const email = values.user.trim().toLowerCase();
          createdBy = await activeUserIdByEmail(db.kysely, email);
          if (createdBy === null) throw new UsageError(`There is no active account ${email}.`);
        }
        return issueApiToken(db.kysely, { name: values.name!, role, createdBy }, SYSTEM, new Date());
      });
      console.log(`Created API token ${issued.id} "${values.name}" (${role}).`);
      console.log(`Token (shown once; send it as "Authorization: Bearer <token>"): ${issued.secret}`);
      return 0;
    }
    case 'wires':
      return wiresCommand(config, rest, values);
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

export function run(argv = process.argv.slice(2)): void {
  main(argv).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof ConfigError || err instanceof UsageError || err instanceof AppError) console.error(err.message);
      else if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) console.error(`${err.message}\n\n${USAGE}`);
      else console.error(err instanceof Error ? err.stack ?? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
