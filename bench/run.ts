/**
 * Load benchmark of the public site (not a test): `npm run bench`.
 *
 * Builds a temp database with the demo edition plus 10,000 generated stories,
 * starts the real app in this process on 127.0.0.1, and drives it with
 * autocannon (in a worker thread, so the load generator does not share the
 * server's event loop). Each target runs twice; the table and JSON lines at the
 * end give requests/s, median and p99 latency, non-2xx answers and page-cache
 * hit rate. Before the load it prints the home page's and a story's size
 * (identity, br, gzip), the time of the first compressed response after a
 * render and of the next, and the static assets' sizes as a browser gets them;
 * `home-br` is the cached home page as a browser asks for it (br, gzip).
 * `article` and `article-br` are the story from the page cache (identity, and
 * as a browser asks); each runs alternately with its reference, `bare-node` and
 * `bare-node-br`, a bare Node `http` server the bench starts answering the same
 * response bytes from memory, and the end gives the ratio and a verdict line
 * (>= 0.8 of bare Node, p99 <= 10 ms), then the first compressed response of a page.
 *
 * Environment:
 *   BENCH_DURATION      seconds per run (10)
 *   BENCH_CONNECTIONS   concurrent connections (50)
 *   BENCH_RUNS          runs per target (2)
 *   BENCH_ARTICLES      generated stories on top of the demo edition (10000)
 *   BENCH_WORKERS       autocannon worker threads; 0 runs it on the server's thread (1)
 *   BENCH_WARMUP        seconds of unmeasured load before the first target, to warm the JIT (3; 0 skips)
 *   BENCH_TARGETS       comma-separated target names to run (all); wire-grouping is the in-memory
 *                       wire grouping benchmark (bench/wire-grouping.ts: groupFor at 100,000 stored items);
 *                       wire-grouping-db (grouping per item through the database at 100,000 stored items) and
 *                       wire-ingest (10,000 signed ninjs pushes over HTTP) are in bench/wire-ingest.ts,
 *                       on SQLite and, with BENCH_DATABASE_URL, PostgreSQL; live-coverage (bench/live.ts) is one
 *                       live story with 2,000 posts under 200 connections while an editor posts every second
 *   BENCH_DATABASE_URL  postgres://… server: also run against a fresh database created there and dropped after
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { buildApp, type App } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDb, type Db } from '../src/platform/db/connection.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import type { Database, NewArticleRow } from '../src/platform/db/types.js';
import { seedDemo } from '../src/content/demo.js';
import { hashToken, newToken, SESSION_COOKIE, SESSION_IDLE_MS } from '../src/accounts/session.js';
import { paths, slugify } from '../src/content/content.model.js';
import { formatGroupingResult, runWireGroupingBench } from './wire-grouping.js';
import { runWireDbBenches } from './wire-ingest.js';
import { runLiveCoverageBench } from './live.js';

// ---------------------------------------------------------------- autocannon (untyped CommonJS)

interface Histogram {
  average: number;
  p50: number;
  p99: number;
  total: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  throughput: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: string | ((req: { path: string }) => { path: string });
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  workers?: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
  timeout?: number;
}
type Autocannon = (opts: AutocannonOptions) => Promise<AutocannonResult>;
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

// ---------------------------------------------------------------- settings

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got "${raw}")`);
  return n;
}

const DURATION = intEnv('BENCH_DURATION', 10, 1);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 50, 1);
const RUNS = intEnv('BENCH_RUNS', 2, 1);
const ARTICLES = intEnv('BENCH_ARTICLES', 10_000, 0);
const WORKERS = intEnv('BENCH_WORKERS', 1, 0);
const WARMUP = intEnv('BENCH_WARMUP', 3, 0);
const ONLY = process.env.BENCH_TARGETS?.split(',').map((s) => s.trim()).filter(Boolean);
const PG_URL = process.env.BENCH_DATABASE_URL?.trim() || undefined;
if (PG_URL && !/^postgres(ql)?:\/\//.test(PG_URL)) throw new Error(`BENCH_DATABASE_URL must be a postgres:// URL (got "${PG_URL}")`);

// ---------------------------------------------------------------- generated stories

/** A small deterministic PRNG, so every run benchmarks the same edition. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = ['Council', 'Ministry', 'Port authority', 'Farmers', 'Central bank', 'Researchers', 'Rail workers', 'Health service', 'Court', 'Festival', 'League', 'Parliament', 'Growers', 'City hall', 'Observatory', 'Shipping line'];
const VERBS = ['weighs', 'backs', 'delays', 'rejects', 'unveils', 'expands', 'questions', 'approves', 'suspends', 'revisits', 'funds', 'reviews'];
const OBJECTS = ['new water rules', 'a border deal', 'the harvest plan', 'rate guidance', 'a rail link', 'clinic hours', 'the stadium budget', 'grain exports', 'a coastal survey', 'the festival line-up', 'flood defences', 'power prices', 'school meals', 'a satellite launch'];
const PLACES = ['in Sefa', 'in Orlen', 'in Varesh', 'near Kibeni', 'across the valley', 'on the coast', 'at the border', 'in the capital', 'after the rains', 'before the vote'];
const SENTENCES = [
  'Officials said the decision followed months of consultation with residents and businesses.',
  'Critics argued that the timetable was too short and the costs had not been published.',
  'The figures, released on Tuesday, were higher than most analysts had expected.',
  'A spokesperson declined to comment on the details but said talks would continue.',
  'Local traders said the change would be felt first in the markets and on the roads.',
  'Engineers warned that repairs could take longer if the weather turned again.',
  'The opposition called for an inquiry, saying the public deserved a full account.',
  'Supporters described the plan as overdue and said it would pay for itself within years.',
  'Several families interviewed said they had not yet been told what it would mean for them.',
  'The next review is due before the end of the quarter, according to the published schedule.',
];

interface SeededEdition {
  /** Canonical paths of the generated stories, shuffled. */
  articlePaths: string[];
  total: number;
}

/** Adds `count` published stories spread over every section, tag and author, and two years of publication times. */
async function addStories(db: Kysely<Database>, dialect: Db['dialect'], dataDir: string, count: number): Promise<SeededEdition> {
  const rand = prng(20261129);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const [sections, tags, authors, maxRow] = await Promise.all([
    db.selectFrom('sections').select(['id', 'slug']).execute(),
    db.selectFrom('tags').select('id').execute(),
    db.selectFrom('authors').select('id').execute(),
    db.selectFrom('articles').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst(),
  ]);
  // Pictures: the demo edition's drawings.
  const mediaDir = path.join(dataDir, 'media', 'demo');
  const heroKeys = fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4)).sort() : [];

  const now = Date.now();
  const twoYears = 730 * 24 * 3600_000;
  let nextId = Number(maxRow?.max ?? 0) + 1;
  const articlePaths: string[] = [];
  const BATCH = 400;

  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < count; start += BATCH) {
      const rows: NewArticleRow[] = [];
      const tagRows: Array<{ article_id: number; tag_id: number; position: number }> = [];
      const authorRows: Array<{ article_id: number; author_id: number; position: number }> = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const id = nextId++;
        const section = pick(sections);
        const headline = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(PLACES)}`;
        const slug = `${slugify(headline)}-${i}`;
        const published = new Date(now - Math.floor(rand() * twoYears) - 3600_000).toISOString();
        const paragraphs = 3 + Math.floor(rand() * 4);
        const content: unknown[] = [];
        for (let p = 0; p < paragraphs; p++) {
          if (p === 2 && rand() < 0.5) content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `${pick(SUBJECTS)} and ${pick(OBJECTS)}` }] });
          const text = Array.from({ length: 3 + Math.floor(rand() * 3) }, () => pick(SENTENCES)).join(' ');
          content.push({ type: 'paragraph', content: [{ type: 'text', text }] });
        }
        const hero = heroKeys.length && rand() < 0.6 ? pick(heroKeys) : null;
        const authorCount = Math.floor(rand() * 3); // 0, 1 or 2
        rows.push({
          id,
          slug,
          headline,
          standfirst: `${pick(SENTENCES)} ${pick(SENTENCES)}`,
          body: JSON.stringify({ type: 'doc', content }),
          section_id: section.id,
          credit_line: authorCount === 0 ? 'Staff, Agencies' : rand() < 0.3 ? 'Agencies' : null,
          hero_image_url: hero ? `/media/demo/${hero}.svg` : null,
          hero_image_alt: hero ? `Illustration: ${headline.toLowerCase()}` : null,
          hero_caption: hero ? 'A file illustration.' : null,
          hero_credit: hero ? 'Dispatch illustration' : null,
          status: 'published',
          language: 'en',
          published_at: published,
          updated_at: rand() < 0.1 ? new Date(Date.parse(published) + 2 * 3600_000).toISOString() : null,
          created_at: published,
          modified_at: published,
        });
        articlePaths.push(paths.article(section.slug, id, slug));
        const tagIds = new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(tags).id));
        [...tagIds].forEach((tag_id, position) => tagRows.push({ article_id: id, tag_id, position }));
        const authorIds = new Set(Array.from({ length: authorCount }, () => pick(authors).id));
        [...authorIds].forEach((author_id, position) => authorRows.push({ article_id: id, author_id, position }));
      }
      await trx.insertInto('articles').values(rows).execute();
      if (tagRows.length) await trx.insertInto('article_tags').values(tagRows).execute();
      if (authorRows.length) await trx.insertInto('article_authors').values(authorRows).execute();
    }
  });
  // Explicit ids leave PostgreSQL's sequence behind; move it past them.
  // Statistics, as a site's database has them (autovacuum would gather them a minute or so after the load):
  // without them PostgreSQL plans the tag lists and related stories for an empty table (0.6-2.5 s per query).
  if (dialect === 'postgres') {
    await sql`select setval(pg_get_serial_sequence('articles', 'id'), (select max(id) from articles))`.execute(db);
    await sql`analyze`.execute(db);
  } else await sql`pragma optimize`.execute(db);

  // Shuffle, so consecutive requests of the cache-miss target hit unrelated rows.
  for (let i = articlePaths.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [articlePaths[i], articlePaths[j]] = [articlePaths[j]!, articlePaths[i]!];
  }
  const total = Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { articlePaths, total };
}

// ---------------------------------------------------------------- targets

interface Target {
  name: string;
  /** What is requested (for the table). */
  label: string;
  path: string;
  /** Makes, for a run, the CommonJS module that rewrites each request's path (runs in autocannon's worker). */
  setupRequest?: (run: number) => string;
  /** Request headers instead of the default (identity encoding), e.g. a browser's Accept-Encoding. */
  headers?: Record<string, string>;
  /** A cached page fetched over one more connection while this target runs: what an ordinary reader waits meanwhile. */
  probe?: { name: string; label: string; path: string };
  /** Another server than the app's (the bare Node reference), as http://host:port. */
  base?: string;
  /** The reference target this one is compared with (run whenever this one is; see hitVerdicts). */
  reference?: string;
}

interface Row {
  dialect: string;
  target: string;
  path: string;
  run: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requests: number;
  cacheHitPct: number | null;
  /** The server thread's event-loop delay during the run (p99, ms): how long requests waited behind synchronous work. */
  loopDelayP99Ms: number;
  /** CPU time of the server thread per request (µs), from /proc: unlike req/s, it hardly moves with the machine's other load (null off Linux). */
  cpuUsPerRequest: number | null;
  statusCodes: Record<string, number>;
}

/**
 * CPU time (user + system, ms) of this process's main thread, where the app and
 * the bare Node reference serve (autocannon runs in a worker thread): Linux's
 * /proc/self/task/<pid>/stat, in clock ticks of 10 ms. Null where there is no /proc.
 */
function serverThreadCpuMs(): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The cache-miss target's request rewriter, as a CommonJS module autocannon's
 * worker can load: walks the shuffled paths in turn from `start`, so no path
 * repeats before the LRU (2000 entries) has long forgotten it. Each run starts
 * where the previous one stopped, so runs do not hit what the last one cached.
 */
function writeMissRewriter(dir: string, list: string, run: number, start: number): string {
  const file = path.join(dir, `bench-next-article-${run}.cjs`);
  fs.writeFileSync(
    file,
    `'use strict';
const paths = require(${JSON.stringify(list)});
let i = ${start} % paths.length;
module.exports = function setupRequest(req) {
  const next = paths[i];
  i = (i + 1) % paths.length;
  return Object.assign({}, req, { path: next });
};
`,
  );
  return file;
}

const COMMENT_READERS = 3000;

/** Readers with live sessions: the Cookie headers their browsers would send. */
async function addReaders(db: Kysely<Database>, count: number): Promise<string[]> {
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + SESSION_IDLE_MS).toISOString();
  const cookies: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const n = Math.min(500, count - start);
    const users = await db
      .insertInto('users')
      .values(Array.from({ length: n }, (_, i) => ({
        email: `bench-reader-${start + i}@example.test`, display_name: `Reader ${start + i}`, password_hash: null,
        role: 'reader' as const, status: 'active' as const, created_at: now, updated_at: now,
      })))
      .returning('id')
      .execute();
    const rows = users.map(({ id }) => {
      const token = newToken();
      cookies.push(`${SESSION_COOKIE}=${token}`);
      return { id_hash: hashToken(token), user_id: id, created_at: now, last_seen_at: now, expires_at: expires, ip: null, user_agent: null };
    });
    await db.insertInto('sessions').values(rows).execute();
  }
  return cookies;
}

/** Times full renders of one page with the page cache emptied before each. */
async function timeRenders(app: App, url: string, n: number): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    app.deps.cache.clear();
    const t0 = performance.now();
    const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * Times one render each of stories not yet in the page cache (as a long tail of
 * old stories is read), and the CPU this process spent per render: less
 * sensitive to a loaded machine than wall time.
 */
async function timeMisses(base: string, pagePaths: string[]): Promise<{ p50: number; p99: number; cpuMs: number }> {
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  for (const pagePath of pagePaths) {
    const t0 = performance.now();
    const res = await fetch(base + pagePath, { headers: { 'accept-encoding': 'identity' } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${pagePath} answered ${res.status}`);
    ms.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), cpuMs: Math.round(((cpu.user + cpu.system) / 1000 / pagePaths.length) * 100) / 100 };
}

/** What a browser sends: it takes brotli or gzip, and no page of ours is sent as it is stored. */
const BROWSER_ENCODING = 'br, gzip';

interface Weight {
  path: string;
  identityBytes: number;
  brBytes: number;
  gzipBytes: number;
  /** The first browser request after a render: the page's compression is paid here, once per cache entry. */
  firstCompressedMs: number;
  /** The next one, from the stored compressed copy. */
  compressedHitMs: number;
}

async function timedGet(url: string, encoding: string): Promise<{ ms: number; bytes: number; encoding: string | null }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { 'accept-encoding': encoding } });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  // fetch decodes the body itself: the bytes on the wire are in Content-Length.
  return { ms: Math.round(ms * 100) / 100, bytes: Number(res.headers.get('content-length')), encoding: res.headers.get('content-encoding') };
}

/** A page's size in each encoding, and the time of its first and next compressed responses (median of 15 cache lifetimes). */
async function pageWeight(app: App, base: string, pagePath: string): Promise<Weight> {
  const first: number[] = [];
  const hit: number[] = [];
  let sizes = { identity: 0, br: 0, gzip: 0 };
  for (let i = 0; i < 15; i++) {
    app.deps.cache.clear();
    const identity = await timedGet(base + pagePath, 'identity'); // renders and stores the page
    const br = await timedGet(base + pagePath, BROWSER_ENCODING);
    const again = await timedGet(base + pagePath, BROWSER_ENCODING);
    const gzip = await timedGet(base + pagePath, 'gzip');
    if (br.encoding !== 'br' || gzip.encoding !== 'gzip') throw new Error(`${pagePath}: not compressed for a browser (${br.encoding}, ${gzip.encoding})`);
    first.push(br.ms);
    hit.push(again.ms);
    sizes = { identity: identity.bytes, br: br.bytes, gzip: gzip.bytes };
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { path: pagePath, identityBytes: sizes.identity, brBytes: sizes.br, gzipBytes: sizes.gzip, firstCompressedMs: median(first), compressedHitMs: median(hit) };
}

/** A static asset's size as sent to a client that takes no compression and to a browser. */
async function assetWeight(base: string, assetPath: string): Promise<{ path: string; identityBytes: number; brBytes: number; encoding: string | null }> {
  const identity = await timedGet(base + assetPath, 'identity');
  const br = await timedGet(base + assetPath, BROWSER_ENCODING);
  return { path: assetPath, identityBytes: identity.bytes, brBytes: br.bytes, encoding: br.encoding };
}

/** A request rewriter for autocannon's worker: each request is a new comment by the next reader. */
function writeCommentPoster(dir: string, readersFile: string, run: number, articleId: number): string {
  const file = path.join(dir, `bench-comment-poster-${run}.cjs`);
  fs.writeFileSync(
    file,
    `'use strict';
const cookies = require(${JSON.stringify(readersFile)});
let i = 0;
module.exports = function setupRequest(req) {
  const n = i++;
  const body = JSON.stringify({ body: 'Run ${run}, comment ' + n + ': a reader adds a thought of a sentence or two to the discussion under the story.' });
  return Object.assign({}, req, {
    method: 'POST',
    path: '/api/v1/articles/${articleId}/comments',
    headers: Object.assign({}, req.headers, { cookie: cookies[n % cookies.length], 'content-type': 'application/json' }),
    body,
  });
};
`,
  );
  return file;
}

async function measure(app: App, url: string, dialect: string, target: Target, run: number): Promise<{ rows: Row[]; sent: number }> {
  const cache = app.deps.cache;
  const [hits0, misses0] = [cache.hits, cache.misses];
  let opts: AutocannonOptions = {
    url: (target.base ?? url) + target.path,
    connections: CONNECTIONS,
    duration: DURATION,
    timeout: 30,
    headers: target.headers ?? { 'accept-encoding': 'identity', accept: 'text/html,application/json' },
  };
  if (target.setupRequest) {
    const file = target.setupRequest(run);
    const setupRequest = WORKERS > 0 ? file : (require(file) as (req: { path: string }) => { path: string });
    opts = { ...opts, requests: [{ method: 'GET', path: target.path, setupRequest }] };
  }
  if (WORKERS > 0) opts.workers = WORKERS;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = serverThreadCpuMs();
  const probeOpts: AutocannonOptions | undefined = target.probe
    ? { url: url + target.probe.path, connections: 1, duration: DURATION, timeout: 30, ...(WORKERS > 0 ? { workers: 1 } : {}) }
    : undefined;
  const [r, p] = await Promise.all([autocannon(opts), probeOpts ? autocannon(probeOpts) : undefined]);
  loop.disable();
  const cpu1 = serverThreadCpuMs();
  // The probe's requests are cache hits of its own; leave them out of this target's rate.
  const hits = Math.max(0, cache.hits - hits0 - (p?.requests.total ?? 0));
  const misses = cache.misses - misses0;
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]));
  const row: Row = {
    dialect,
    target: target.name,
    path: target.label,
    run,
    requestsPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    requests: r.requests.total,
    cacheHitPct: target.base ? null : hits + misses > 0 ? Math.round((hits / (hits + misses)) * 1000) / 10 : null,
    loopDelayP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
    cpuUsPerRequest: cpu0 !== null && cpu1 !== null && r.requests.total > 0 ? Math.round(((cpu1 - cpu0) * 1000) / r.requests.total) : null,
    statusCodes,
  };
  const rows = [row];
  if (p && target.probe) {
    rows.push({
      ...row,
      target: target.probe.name,
      path: target.probe.label,
      requestsPerSec: Math.round(p.requests.average),
      p50Ms: p.latency.p50,
      p99Ms: p.latency.p99,
      non2xx: p.non2xx,
      errors: p.errors,
      timeouts: p.timeouts,
      requests: p.requests.total,
      cacheHitPct: null,
      statusCodes: Object.fromEntries(Object.entries(p.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)])),
    });
  }
  // Requests sent include those still in flight when the run stopped (one per connection at most).
  return { rows, sent: r.requests.total + CONNECTIONS };
}

// ---------------------------------------------------------------- the bare Node reference (cache-hit targets)

/** The cache-hit targets and the bare Node server each is compared with: hit req/s >= 0.8 of it, p99 <= 10 ms. */
const HIT_TARGETS: Array<{ hit: string; reference: string; encoding: string }> = [
  { hit: 'article', reference: 'bare-node', encoding: 'identity' },
  { hit: 'article-br', reference: 'bare-node-br', encoding: BROWSER_ENCODING },
];
const HIT_RATIO_GOAL = 0.8;
const HIT_P99_GOAL_MS = 10;

interface Reference {
  base: string;
  bytes: number;
  encoding: string | null;
  close(): Promise<void>;
}

/** One GET with node:http, so the body stays as sent (fetch would decode it). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; rawHeaders: string[]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * A bare Node `http` server, in this process like the app, answering every
 * request with the app's own response to `pageUrl` in `encoding`, from memory:
 * the same body bytes and the same headers (less those Node writes itself).
 * What serving the page costs with no framework, measured in the same run, on
 * the same loaded machine, so the cache-hit figure is read as a ratio to it.
 */
async function startBareNodeReference(pageUrl: string, encoding: string): Promise<Reference> {
  const page = await rawGet(pageUrl, { 'accept-encoding': encoding });
  if (page.status !== 200) throw new Error(`${pageUrl} answered ${page.status}`);
  const head: string[] = [];
  let contentEncoding: string | null = null;
  for (let i = 0; i < page.rawHeaders.length; i += 2) {
    const name = page.rawHeaders[i]!;
    const value = page.rawHeaders[i + 1]!;
    if (['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name.toLowerCase())) continue;
    if (name.toLowerCase() === 'content-encoding') contentEncoding = value;
    head.push(name, value);
  }
  const body = page.body;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, head);
    res.end(body);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    bytes: body.length,
    encoding: contentEncoding,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface HitVerdict {
  dialect: string;
  target: string;
  reference: string;
  runs: number;
  hitRequestsPerSec: number;
  referenceRequestsPerSec: number;
  /** The median over runs of hit req/s / reference req/s, each pair measured back to back. */
  ratio: number;
  /** Reference CPU per request / hit CPU per request (server thread, medians over runs): the same ratio, measured by cost, not speed. */
  cpuRatio: number | null;
  hitCpuUsPerRequest: number | null;
  referenceCpuUsPerRequest: number | null;
  /** Median and worst of the hit target's p99 over runs. */
  p99Ms: number;
  worstP99Ms: number;
  pass: boolean;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Each cache-hit target against its bare Node reference of the same run: the
 * median of the per-run ratios (a run of each, back to back), so a burst of
 * other work on a shared machine moves one pair, not the verdict.
 */
function hitVerdicts(rows: Row[]): HitVerdict[] {
  const verdicts: HitVerdict[] = [];
  for (const dialect of [...new Set(rows.map((r) => r.dialect))]) {
    for (const { hit, reference } of HIT_TARGETS) {
      const pairs = rows
        .filter((r) => r.dialect === dialect && r.target === hit)
        .map((h) => ({ hit: h, ref: rows.find((r) => r.dialect === dialect && r.target === reference && r.run === h.run) }))
        .filter((p): p is { hit: Row; ref: Row } => p.ref !== undefined && p.ref.requestsPerSec > 0);
      if (!pairs.length) continue;
      const ratio = Math.round(median(pairs.map((p) => p.hit.requestsPerSec / p.ref.requestsPerSec)) * 100) / 100;
      const p99Ms = median(pairs.map((p) => p.hit.p99Ms));
      const cpuPairs = pairs.filter((p) => p.hit.cpuUsPerRequest && p.ref.cpuUsPerRequest);
      const hitCpu = cpuPairs.length ? median(cpuPairs.map((p) => p.hit.cpuUsPerRequest!)) : null;
      const refCpu = cpuPairs.length ? median(cpuPairs.map((p) => p.ref.cpuUsPerRequest!)) : null;
      verdicts.push({
        dialect, target: hit, reference, runs: pairs.length,
        hitRequestsPerSec: Math.round(median(pairs.map((p) => p.hit.requestsPerSec))),
        referenceRequestsPerSec: Math.round(median(pairs.map((p) => p.ref.requestsPerSec))),
        cpuRatio: hitCpu && refCpu ? Math.round((refCpu / hitCpu) * 100) / 100 : null, hitCpuUsPerRequest: hitCpu, referenceCpuUsPerRequest: refCpu,
        ratio, p99Ms, worstP99Ms: Math.max(...pairs.map((p) => p.hit.p99Ms)),
        pass: ratio >= HIT_RATIO_GOAL && p99Ms <= HIT_P99_GOAL_MS,
      });
    }
  }
  return verdicts;
}

function formatHitVerdict(v: HitVerdict): string {
  return `[${v.dialect}] cache hit ${v.target}: ${v.hitRequestsPerSec} req/s, bare Node ${v.referenceRequestsPerSec} req/s (medians of ${v.runs} run(s)): ` +
    `${v.ratio} of bare Node, p99 ${v.p99Ms} ms (worst ${v.worstP99Ms}): ${v.pass ? 'PASS' : 'FAIL'} (target >= ${HIT_RATIO_GOAL}, p99 <= ${HIT_P99_GOAL_MS} ms)` +
    (v.cpuRatio === null ? '' : `; by CPU per request ${v.hitCpuUsPerRequest} us vs ${v.referenceCpuUsPerRequest} us: ${v.cpuRatio} of bare Node`);
}

// ---------------------------------------------------------------- one database

interface Bench {
  dialect: string;
  rows: Row[];
  seedMs: number;
  articles: number;
  /** The home page's and the story's sizes, and their first compressed response after a render. */
  weights: Weight[];
}

/**
 * The story from the page cache, as a client that takes no compression asks
 * and as a browser asks, each right after its bare Node reference serving the
 * same bytes (the reference runs whenever its hit target does).
 */
async function hitTargets(base: string, story: string, references: Reference[]): Promise<Target[]> {
  const targets: Target[] = [];
  for (const { hit, reference, encoding } of HIT_TARGETS) {
    const ref = await startBareNodeReference(base + story, encoding);
    references.push(ref);
    const headers = { 'accept-encoding': encoding, accept: 'text/html,application/json' };
    const label = `${story} (${ref.encoding ?? 'identity'}, ${ref.bytes} bytes)`;
    targets.push({ name: reference, label: `bare Node http, ${label}`, path: story, base: ref.base, headers });
    targets.push({ name: hit, label, path: story, headers, reference });
  }
  return targets;
}

async function benchOn(dialect: 'sqlite' | 'postgres', databaseUrl: string | undefined): Promise<Bench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-bench-'));
  let pgName: string | undefined;
  let db: Db | undefined;
  let app: App | undefined;
  const references: Reference[] = [];
  try {
    let url = databaseUrl;
    if (databaseUrl) {
      pgName = `dispatch_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${pgName}`);
      await admin.end();
      const u = new URL(databaseUrl);
      u.pathname = `/${pgName}`;
      url = u.toString();
    }
    db = openDb({ databaseUrl: url, dataDir });
    const t0 = performance.now();
    await migrateToLatest(db.kysely, db.dialect);
    const demo = await seedDemo(db.kysely, dataDir);
    const edition = await addStories(db.kysely, db.dialect, dataDir, ARTICLES);
    const seedMs = Math.round(performance.now() - t0);
    console.log(`[${dialect}] ${edition.total} articles (${demo.written} demo + ${ARTICLES} generated) in ${(seedMs / 1000).toFixed(1)} s`);

    const port = await freePort();
    const config = loadConfig({ DISPATCH_DATA: dataDir, LOG_LEVEL: 'silent', PORT: String(port), HOST: '127.0.0.1', SITE_URL: `http://127.0.0.1:${port}` });
    // Readers here post back to back; the per-reader gap between comments would only measure 429s.
    const startAt = performance.now();
    app = await buildApp({ config, db, logger: false, commentLimits: { minGapMs: 0 } });
    // Index the seeded stories before start (as `dispatch search reindex` would): at 40,000+ stories the
    // start-up catch-up outlasts Fastify's onReady timeout on a loaded machine.
    await app.deps.search.sync();
    await app.listen({ port, host: '127.0.0.1' });
    const startMs = Math.round(performance.now() - startAt);
    // The generated stories were written outside the app, so the search catch-up has them all to index;
    // it runs in the background, and is waited for here so that it does not share the measured load.
    await app.deps.searchCatchUp.settled();
    const catchUp = app.deps.searchCatchUp.status();
    console.log(`  started (listening) in ${startMs} ms; search catch-up: ${catchUp.state}, ${catchUp.indexed} indexed in ${Math.round(performance.now() - startAt - startMs)} ms more`);
    console.log(`  ${JSON.stringify({ dialect, startMs, catchUp })}`);
    const base = `http://127.0.0.1:${port}`;
    // What `dispatch serve` does in the background on start: every story's page in the read model.
    const fillStart = performance.now();
    const filled = await app.deps.content.fillMissingPages();
    console.log(`[${dialect}] article pages built for ${filled} stories in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
    if (!app.deps.assets.js.length) console.warn('  (no client build in dist/client: pages are served without their CSS/JS links; run `npx vite build` for realistic page sizes)');

    // A real story: the one the breaking-news strip links to (what a spike reads), else the newest in Africa.
    const breaking = await app.deps.content.breaking();
    const africa = await app.deps.content.listArticles({ section: 'africa', page: 1, pageSize: 1 });
    const story = breaking?.path ?? africa.items[0]?.path ?? edition.articlePaths[0] ?? '/';
    const missPaths = edition.articlePaths.length ? edition.articlePaths : [story];
    const missList = path.join(dataDir, 'bench-article-paths.json');
    fs.writeFileSync(missList, JSON.stringify(missPaths));
    let missCursor = 1; // the check above fetched (and cached) the first path

    // The discussion: readers with sessions, a story with 200 approved comments, another to post to.
    const readers = await addReaders(db.kysely, COMMENT_READERS);
    // Recent stories: comments close on old ones.
    const recent = (await app.deps.content.listArticles({ page: 1, pageSize: 3 })).items.map((a) => a.path).filter((p) => p !== story);
    const discussed = recent[0] ?? story;
    const discussedId = Number(/\/(\d+)-/.exec(discussed)?.[1]);
    const postedTo = recent[1] ?? story;
    const postedToId = Number(/\/(\d+)-/.exec(postedTo)?.[1]);
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${base}/api/v1/articles/${discussedId}/comments`, {
        method: 'POST',
        headers: { cookie: readers[i % readers.length]!, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `Comment ${i + 1} on this story: a few sentences of a reader's view, as long as a usual comment is.\n\nA second paragraph, with a link to https://example.org/${i}.` }),
      });
      if (res.status !== 201) throw new Error(`[${dialect}] seeding comments: ${res.status} ${await res.text()}`);
    }
    const renderMs = await timeRenders(app, base + discussed, 30);
    console.log(`  article with 200 comments, uncached render: p50 ${renderMs.p50} ms, p99 ${renderMs.p99} ms (30 renders)`);
    // Story lists that page through everything in a section, a tag or an author (their counts included).
    const [listTag, listAuthor] = await Promise.all([
      db.kysely.selectFrom('tags').innerJoin('article_tags', 'article_tags.tag_id', 'tags.id').select('tags.slug').groupBy('tags.slug')
        .orderBy((eb) => eb.fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow(),
      db.kysely.selectFrom('authors').innerJoin('article_authors', 'article_authors.author_id', 'authors.id').select('authors.slug').groupBy('authors.slug')
        .orderBy((eb) => eb.fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow(),
    ]);
    for (const listPath of ['/africa', '/africa?page=10', paths.tag(listTag.slug), paths.author(listAuthor.slug)]) {
      const ms = await timeRenders(app, base + listPath, 30);
      console.log(`  ${listPath}, uncached render: p50 ${ms.p50} ms, p99 ${ms.p99} ms (30 renders)`);
      console.log(`  ${JSON.stringify({ dialect, render: listPath, ...ms })}`);
    }
    for (const [what, pagePath] of [['home', '/'], ['section', '/africa']] as const) {
      const ms = await timeRenders(app, base + pagePath, 30);
      console.log(`  ${what} (${pagePath}), uncached render: p50 ${ms.p50} ms, p99 ${ms.p99} ms (30 renders)`);
      console.log(`  ${JSON.stringify({ dialect, render: what, ...ms })}`);
    }
    const missMs = await timeMisses(base, missPaths.slice(-200));
    console.log(`  article miss (200 stories, each rendered once): p50 ${missMs.p50} ms, p99 ${missMs.p99} ms, ${missMs.cpuMs} ms of this process's CPU per render`);
    console.log(`  ${JSON.stringify({ dialect, render: 'article-miss', ...missMs })}`);
    const weights = [await pageWeight(app, base, '/'), await pageWeight(app, base, story)];
    for (const w of weights) {
      console.log(
        `  ${w.path}: ${w.identityBytes} bytes, ${w.brBytes} br, ${w.gzipBytes} gzip; first browser request after a render ${w.firstCompressedMs} ms, next ${w.compressedHitMs} ms`,
      );
      console.log(`  ${JSON.stringify({ dialect, weight: w })}`);
    }
    for (const asset of [...app.deps.assets.css, ...app.deps.assets.js]) {
      const a = await assetWeight(base, asset);
      console.log(`  ${a.path}: ${a.identityBytes} bytes, ${a.brBytes} as sent to a browser (${a.encoding ?? 'identity'})`);
    }
    const readersFile = path.join(dataDir, 'bench-readers.json');
    fs.writeFileSync(readersFile, JSON.stringify(readers));
    const targets: Target[] = [
      { name: 'healthz', label: '/healthz', path: '/healthz' },
      { name: 'home', label: '/', path: '/' },
      { name: 'home-br', label: `/ (Accept-Encoding: ${BROWSER_ENCODING})`, path: '/', headers: { 'accept-encoding': BROWSER_ENCODING, accept: 'text/html' } },
      { name: 'section', label: '/africa', path: '/africa' },
      ...(await hitTargets(base, story, references)),
      { name: 'api-articles', label: '/api/v1/articles', path: '/api/v1/articles' },
      {
        name: 'article-miss',
        label: `${missPaths.length} articles in turn`,
        path: missPaths[0]!,
        setupRequest: (run: number) => writeMissRewriter(dataDir, missList, run, missCursor),
        probe: { name: 'during-miss', label: `${story}, 1 connection, meanwhile`, path: story },
      },
      { name: 'article-200c', label: `${discussed} (200 comments)`, path: discussed },
      {
        name: 'comment-post',
        label: `POST /api/v1/articles/${postedToId}/comments, ${readers.length} readers`,
        path: `/api/v1/articles/${postedToId}/comments`,
        setupRequest: (run: number) => writeCommentPoster(dataDir, readersFile, run, postedToId),
      },
    ].filter((t, _, all) => !ONLY || ONLY.includes(t.name) || all.some((other) => other.reference === t.name && ONLY.includes(other.name)));

    // Every target must answer 200 before it is worth loading.
    for (const t of targets) {
      const res = await fetch((t.base ?? base) + t.path, { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`[${dialect}] ${t.path} answered ${res.status}, not 200`);
    }

    // Unmeasured load first, so the first target is not also measuring the JIT and the worker's start.
    if (WARMUP > 0) {
      await autocannon({ url: base + (targets[0]?.path ?? '/healthz'), connections: CONNECTIONS, duration: WARMUP, ...(WORKERS > 0 ? { workers: WORKERS } : {}) });
    }

    const rows: Row[] = [];
    for (const t of targets) {
      // A reference runs with the target compared with it (below), run for run.
      if (targets.some((other) => other.reference === t.name)) continue;
      const reference = targets.find((other) => other.name === t.reference);
      for (let run = 1; run <= RUNS; run++) {
        // Alternating runs of a target and its reference see the same load from the machine's other work.
        for (const target of reference ? [reference, t] : [t]) {
          const measured = await measure(app, base, dialect, target, run);
          if (target.name === 'article-miss') missCursor += measured.sent;
          rows.push(...measured.rows);
          for (const row of measured.rows) console.log(`  ${formatRow(row)}`);
        }
      }
    }
    return { dialect, rows, seedMs, articles: edition.total, weights };
  } finally {
    // Clean up everything even when one step fails, so a failed run leaves no database behind.
    const warn = (what: string) => (err: unknown) => console.error(`  (cleanup: ${what} failed: ${err instanceof Error ? err.message : String(err)})`);
    for (const r of references) await r.close().catch(warn('closing the bare Node reference'));
    await app?.close().catch(warn('closing the app'));
    await db?.close().catch(warn('closing the database'));
    if (pgName && databaseUrl) {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin
        .connect()
        .then(() => admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`))
        .catch(warn(`dropping ${pgName}`))
        .finally(() => admin.end().catch(() => undefined));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- output

const COLUMNS: Array<[string, number, (r: Row) => string]> = [
  ['db', 8, (r) => r.dialect],
  ['target', 13, (r) => r.target],
  ['run', 3, (r) => String(r.run)],
  ['req/s', 8, (r) => String(r.requestsPerSec)],
  ['p50 ms', 7, (r) => String(r.p50Ms)],
  ['p99 ms', 7, (r) => String(r.p99Ms)],
  ['non-2xx', 7, (r) => String(r.non2xx)],
  ['errors', 6, (r) => String(r.errors)],
  ['cache hit', 9, (r) => (r.cacheHitPct === null ? '-' : `${r.cacheHitPct}%`)],
  ['loop p99', 8, (r) => String(r.loopDelayP99Ms)],
  ['cpu us/req', 10, (r) => (r.cpuUsPerRequest === null ? '-' : String(r.cpuUsPerRequest))],
  ['path', 0, (r) => r.path],
];

function formatRow(r: Row): string {
  return COLUMNS.map(([, w, f], i) => (i < 3 || i === COLUMNS.length - 1 ? f(r).padEnd(w) : f(r).padStart(w))).join('  ');
}

function printTable(rows: Row[]): void {
  const head = COLUMNS.map(([h, w], i) => (i < 3 || i === COLUMNS.length - 1 ? h.padEnd(w) : h.padStart(w))).join('  ');
  console.log(head);
  console.log('-'.repeat(head.length + 20));
  for (const r of rows) console.log(formatRow(r));
}

/** One live story with 2,000 posts, 200 connections, an editor posting every second (bench/live.ts). */
const LIVE_COVERAGE_TARGET = 'live-coverage';

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `Dispatch bench: ${RUNS} run(s) x ${DURATION} s per target, ${CONNECTIONS} connections, autocannon ${WORKERS > 0 ? `in ${WORKERS} worker thread(s)` : 'on the server thread'}; ` +
      `Node ${process.version}, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  const WIRE_TARGETS = ['wire-grouping', 'wire-grouping-db', 'wire-ingest'];
  const SEPARATE_TARGETS = [...WIRE_TARGETS, LIVE_COVERAGE_TARGET];
  const httpWanted = !ONLY || ONLY.some((t) => !SEPARATE_TARGETS.includes(t));
  const benches: Bench[] = httpWanted ? [await benchOn('sqlite', undefined)] : [];
  if (PG_URL && httpWanted) benches.push(await benchOn('postgres', PG_URL));

  const rows = benches.flatMap((b) => b.rows);
  if (rows.length > 0) {
    console.log('');
    printTable(rows);
    console.log('');
    for (const r of rows) console.log(JSON.stringify(r));
    const verdicts = hitVerdicts(rows);
    if (verdicts.length) console.log('');
    for (const v of verdicts) console.log(formatHitVerdict(v));
    for (const v of verdicts) console.log(JSON.stringify({ hitVerdict: v }));
    for (const b of benches) {
      for (const w of b.weights) {
        console.log(`[${b.dialect}] first compressed response of ${w.path} (Accept-Encoding: ${BROWSER_ENCODING}): ${w.firstCompressedMs} ms after a render, ${w.compressedHitMs} ms from the cache (${w.brBytes} bytes br of ${w.identityBytes})`);
      }
    }
  }
  // Pure and in memory (no database yet): the same figure whichever database the site runs on.
  if (!ONLY || ONLY.includes('wire-grouping')) {
    const grouping = runWireGroupingBench();
    console.log(`\n${formatGroupingResult(grouping)}`);
    console.log(JSON.stringify(grouping));
  }
  // Through the database: grouping at ingest, and the push endpoint's throughput.
  const wireDb = { grouping: !ONLY || ONLY.includes('wire-grouping-db'), ingest: !ONLY || ONLY.includes('wire-ingest') };
  if (wireDb.grouping || wireDb.ingest) {
    console.log('');
    for (const r of await runWireDbBenches(wireDb, PG_URL)) console.log(JSON.stringify(r));
  }
  if (!ONLY || ONLY.includes(LIVE_COVERAGE_TARGET)) {
    console.log('');
    for (const r of await runLiveCoverageBench(PG_URL)) console.log(JSON.stringify(r));
  }
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exitCode = 1;
});
