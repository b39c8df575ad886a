/**
 * Live coverage benchmark (not a test): the `live-coverage` target of
 * `npm run bench`, or `npx tsx bench/live.ts`. One live story with 2,000
 * posts; 200 connections read it (BENCH_LIVE_PAGE_CONNECTIONS on its page,
 * the rest polling its updates endpoint, as readers' scripts do) while an
 * editor posts every second through the admin API. Reports requests/s and
 * p99 of each, and renders per post: how many times this process rendered
 * the page and the updates endpoint for each post (the target is one each:
 * every post purges the story's live key, and the page cache renders a
 * purged URL once however many readers are waiting).
 *
 * Environment:
 *   BENCH_DURATION               seconds (10)
 *   BENCH_LIVE_POSTS             posts before the load (2000)
 *   BENCH_LIVE_CONNECTIONS       connections in all (200)
 *   BENCH_LIVE_PAGE_CONNECTIONS  of them on the page (40)
 *   BENCH_WORKERS                autocannon worker threads per load; 0 runs it on the server's thread (1)
 *   BENCH_DATABASE_URL           postgres://… server: also run there (a fresh database, dropped after)
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { buildApp, type App } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDb, type Db } from '../src/platform/db/connection.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import { hashToken, newToken, SESSION_COOKIE, SESSION_IDLE_MS } from '../src/accounts/session.js';
import { liveRenders } from '../src/content/live.routes.js';
import type { Staff } from '../src/accounts/staff.js';

interface Histogram { average: number; p50: number; p99: number; total: number }
interface AutocannonResult { requests: Histogram; latency: Histogram; non2xx: number; errors: number; timeouts: number }
type Autocannon = (opts: { url: string; connections: number; duration: number; workers?: number; timeout?: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

function intEnv(name: string, fallback: number, min: number): number {
  const v = Number(process.env[name] ?? fallback);
  return Number.isInteger(v) && v >= min ? v : fallback;
}
const DURATION = intEnv('BENCH_DURATION', 10, 1);
const POSTS = intEnv('BENCH_LIVE_POSTS', 2000, 1);
const CONNECTIONS = intEnv('BENCH_LIVE_CONNECTIONS', 200, 2);
const PAGE_CONNECTIONS = Math.min(intEnv('BENCH_LIVE_PAGE_CONNECTIONS', 40, 1), CONNECTIONS - 1);
const WORKERS = intEnv('BENCH_WORKERS', 1, 0);

export interface LiveBenchResult {
  bench: 'live-coverage';
  dialect: string;
  posts: number;
  connections: number;
  durationS: number;
  page: { connections: number; requestsPerSec: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number };
  updates: { connections: number; requestsPerSec: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number };
  editorPosts: number;
  editorPostP99Ms: number;
  pageRendersPerPost: number;
  updatesRendersPerPost: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const figures = (r: AutocannonResult, connections: number) => ({
  connections, requestsPerSec: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts,
});

async function runOn(dialect: 'sqlite' | 'postgres', serverUrl: string | undefined): Promise<LiveBenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-bench-live-'));
  let pgName: string | undefined;
  let db: Db | undefined;
  let app: App | undefined;
  try {
    let url = serverUrl;
    if (serverUrl) {
      pgName = `dispatch_bench_live_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${pgName}`);
      await admin.end();
      const u = new URL(serverUrl);
      u.pathname = `/${pgName}`;
      url = u.toString();
    }
    db = openDb({ databaseUrl: url, dataDir });
    await migrateToLatest(db.kysely, db.dialect);
    const now = new Date().toISOString();
    await db.kysely.insertInto('sections').values({ slug: 'world', name: 'World', description: '', parent_id: null, position: 0, icon: 'globe', created_at: now }).execute();
    const editor = await db.kysely.insertInto('users').values({
      email: 'bench-editor@example.test', display_name: 'Bench Editor', password_hash: null, role: 'editor', status: 'active', created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const token = newToken();
    await db.kysely.insertInto('sessions').values({
      id_hash: hashToken(token), user_id: editor.id, created_at: now, last_seen_at: now, expires_at: new Date(Date.now() + SESSION_IDLE_MS).toISOString(), ip: null, user_agent: null,
    }).execute();
    const cookie = `${SESSION_COOKIE}=${token}`;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const config = loadConfig({ DISPATCH_DATA: dataDir, LOG_LEVEL: 'silent', PORT: String(port), HOST: '127.0.0.1', SITE_URL: base });
    app = await buildApp({ config, db, logger: false });
    await app.listen({ port, host: '127.0.0.1' });

    const admin = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(base + p, { method, headers: { cookie, origin: base, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const created = (await admin('POST', '/api/admin/articles', { headline: 'Summit in Sefa: live', section: 'world', markdown: 'Leaders meet in Sefa; follow the day here.' })).article as { id: number; path: string };
    await admin('POST', `/api/admin/articles/${created.id}/publish`);
    await admin('POST', `/api/admin/articles/${created.id}/live/start`);
    const staff: Staff = { role: 'editor', userId: editor.id, tokenId: null, ip: null };
    const t0 = performance.now();
    for (let i = 1; i <= POSTS; i++) {
      await app.deps.live.post(staff, created.id, { body: `Update ${i}: delegations met in the afternoon session, and the chair said talks on **grain exports** would resume after a short break.`, ...(i % 100 === 0 ? { keyEvent: `Key moment ${i / 100}` } : {}) });
    }
    console.log(`[${dialect}] live story ${created.id} with ${POSTS} posts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const pagePath = created.path;
    const updatesPath = `/api/v1/articles/${created.id}/live`;
    for (const p of [pagePath, updatesPath]) {
      const res = await fetch(base + p);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
    }

    // The editor posts every second while readers load the page and poll.
    const renders0 = { ...liveRenders };
    const postTimes: number[] = [];
    let posting = true;
    const editorLoop = (async () => {
      let n = 0;
      while (posting) {
        const started = performance.now();
        await admin('POST', `/api/admin/articles/${created.id}/live/posts`, { body: `Live update ${++n} during the load.` });
        postTimes.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
      }
    })();
    const common = { duration: DURATION, timeout: 30, ...(WORKERS > 0 ? { workers: WORKERS } : {}) };
    const [page, updates] = await Promise.all([
      autocannon({ url: base + pagePath, connections: PAGE_CONNECTIONS, headers: { accept: 'text/html', 'accept-encoding': 'br, gzip' }, ...common }),
      autocannon({ url: base + updatesPath, connections: CONNECTIONS - PAGE_CONNECTIONS, headers: { accept: 'application/json', 'accept-encoding': 'br, gzip' }, ...common }),
    ]);
    posting = false;
    await editorLoop;
    const posts = postTimes.length;
    const sorted = [...postTimes].sort((a, b) => a - b);
    return {
      bench: 'live-coverage',
      dialect,
      posts: POSTS,
      connections: CONNECTIONS,
      durationS: DURATION,
      page: figures(page, PAGE_CONNECTIONS),
      updates: figures(updates, CONNECTIONS - PAGE_CONNECTIONS),
      editorPosts: posts,
      editorPostP99Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0),
      pageRendersPerPost: Number(((liveRenders.pages - renders0.pages) / Math.max(1, posts)).toFixed(2)),
      updatesRendersPerPost: Number(((liveRenders.updates - renders0.updates) / Math.max(1, posts)).toFixed(2)),
    };
  } finally {
    await app?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    if (pgName && serverUrl) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect().then(() => admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`)).catch(() => undefined).finally(() => admin.end().catch(() => undefined));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatLiveBench(r: LiveBenchResult): string {
  return [
    `live-coverage [${r.dialect}]: one live story with ${r.posts} posts, ${r.connections} connections for ${r.durationS} s, an editor posting every second (${r.editorPosts} posts, p99 ${r.editorPostP99Ms} ms)`,
    `  page     ${r.page.connections} conn: ${r.page.requestsPerSec} req/s, p50 ${r.page.p50Ms} ms, p99 ${r.page.p99Ms} ms, non-2xx ${r.page.non2xx}, errors ${r.page.errors}`,
    `  updates  ${r.updates.connections} conn: ${r.updates.requestsPerSec} req/s, p50 ${r.updates.p50Ms} ms, p99 ${r.updates.p99Ms} ms, non-2xx ${r.updates.non2xx}, errors ${r.updates.errors}`,
    `  renders per post (this process): page ${r.pageRendersPerPost}, updates endpoint ${r.updatesRendersPerPost} (target: 1 each)`,
  ].join('\n');
}

/** The live-coverage target: on SQLite, and on PostgreSQL when `pgUrl` names a server. */
export async function runLiveCoverageBench(pgUrl: string | undefined): Promise<LiveBenchResult[]> {
  const out: LiveBenchResult[] = [];
  for (const [dialect, url] of [['sqlite', undefined], ...(pgUrl ? [['postgres', pgUrl]] : [])] as Array<['sqlite' | 'postgres', string | undefined]>) {
    const r = await runOn(dialect, url);
    console.log(formatLiveBench(r));
    out.push(r);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLiveCoverageBench(process.env.BENCH_DATABASE_URL?.trim() || undefined)
    .then((rs) => { for (const r of rs) console.log(JSON.stringify(r)); })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.stack ?? err.message : String(err));
      process.exitCode = 1;
    });
}
