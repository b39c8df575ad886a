/**
 * `npx tsx bench/cluster.ts`: `dispatch serve --workers 2` on SQLite and Redis,
 * with the demo edition and BENCH_CLUSTER_STORIES generated stories (default 3000).
 *
 * 1. A spike right after a purge: an editor edits the hot story, then
 *    autocannon sends 200 connections at it for 10 s. Reports the renders of
 *    that URL in both workers (from their "page rendered" debug lines).
 * 2. The long tail: 50 connections for 20 s over every story (each request a
 *    different URL), which fills the page cache to its bound. Reports each
 *    worker's resident memory (now and its peak) and the page cache's budget.
 *
 * BENCH_CLUSTER_LOG (debug) is the workers' LOG_LEVEL; renders are counted only at debug.
 * Not a test: it prints figures. Needs Redis at BENCH_REDIS_URL (redis://127.0.0.1:6379).
 * Runs the built code (`npm run build` first), as production does; BENCH_CLUSTER_FROM=sources
 * runs the TypeScript through tsx instead (whose loader thread adds about 100 MB per process).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { openDb } from '../src/platform/db/connection.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import { seedDemo } from '../src/content/demo.js';
import { issueApiToken } from '../src/accounts/people.service.js';
import { SYSTEM } from '../src/accounts/staff.js';
import { buildArticle } from '../test/helpers/factories.js';
import { paths } from '../src/content/content.model.js';

// autocannon is untyped CommonJS: the little of it used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: { method: string; setupRequest: (req: { path: string }) => { path: string } }[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const STORIES = Number(process.env.BENCH_CLUSTER_STORIES ?? 3000);
const prefix = `bench-cluster-${randomUUID()}`;
// Renders are counted from the workers' debug lines; those (and the request log at info) cost memory in a
// worker whose stdout is read slowly, so measure resident memory with BENCH_CLUSTER_LOG=warn.
const LOG_LEVEL = process.env.BENCH_CLUSTER_LOG ?? 'debug';
const counted = LOG_LEVEL === 'debug' || LOG_LEVEL === 'trace';

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

/** Resident memory of a process now and at its peak, in MB (from /proc). */
function rss(pid: number): { nowMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { nowMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-bench-cluster-'));
  const db = openDb({ dataDir });
  await migrateToLatest(db.kysely, db.dialect);
  await seedDemo(db.kysely, dataDir);
  const sections = await db.kysely.selectFrom('sections').select(['id', 'slug']).execute();
  const storyPaths: string[] = [];
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < STORIES; i++) {
      const section = sections[i % sections.length]!;
      const story = await buildArticle(trx, { sectionId: section.id, headline: `Council hears evidence on the harbour plan, day ${i + 1}` });
      storyPaths.push(paths.article(section.slug, story.id, story.slug));
    }
  });
  const hot = await db.kysely.selectFrom('articles').innerJoin('sections', 'sections.id', 'articles.section_id')
    .select(['articles.id', 'articles.slug', 'sections.slug as section']).where('articles.status', '=', 'published').orderBy('articles.published_at', 'desc').executeTakeFirstOrThrow();
  const hotPath = paths.article(hot.section, hot.id, hot.slug);
  const token = (await issueApiToken(db.kysely, { name: 'bench', role: 'editor', createdBy: null }, SYSTEM, new Date())).secret;
  await db.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DISPATCH_DATA: dataDir, PORT: String(port), HOST: '127.0.0.1', REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: LOG_LEVEL };
  delete env.DATABASE_URL;
  const entry = process.env.BENCH_CLUSTER_FROM === 'sources' ? ['--import', 'tsx', 'bin/dev.ts'] : ['bin/dispatch.js'];
  const proc = spawn(process.execPath, [...entry, 'serve', '--no-demo', '--workers', '2'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Only the lines this bench reads are kept: the request log of a million requests is not.
  let primaryOut = '';
  const renders: { pid: number; url: string; at: number }[] = [];
  let partial = '';
  proc.stdout.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) primaryOut += `${line}\n`;
      else if (line.includes('"page rendered"')) {
        const l = JSON.parse(line) as { pid: number; url: string };
        renders.push({ pid: l.pid, url: l.url, at: Date.now() });
      }
    }
  });
  proc.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  try {
    const deadline = Date.now() + 120_000;
    while (!/is serving on/.test(primaryOut)) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`not serving:\n${primaryOut}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const workers = [...primaryOut.matchAll(/Worker (\d+) is serving/g)].map((m) => Number(m[1]));
    console.log(`2 workers up: ${workers.join(', ')}; ${STORIES + 49} stories on SQLite`);

    // 1. The spike after a purge.
    for (let i = 0; i < 4; i++) await fetch(`${base}${hotPath}`, { headers: { connection: 'close' } }).then((r) => r.text());
    const res = await fetch(`${base}/api/admin/articles/${hot.id}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ headline: 'An edit, breaking' }),
    });
    if (res.status !== 200) throw new Error(`edit: ${res.status} ${await res.text()}`);
    const purgedAt = Date.now();
    const spike = await autocannon({ url: `${base}${hotPath}`, connections: 200, duration: 10 });
    const spikeRenders = renders.filter((r) => r.url === hotPath && r.at >= purgedAt);
    console.log(`spike after a purge: ${spike.requests.total} requests (${Math.round(spike.requests.average)}/s, p99 ${spike.latency.p99} ms, errors ${spike.errors}, non-2xx ${spike.non2xx})`);
    if (counted) console.log(`  renders of ${hotPath}: ${spikeRenders.length} (${workers.map((pid) => `worker ${pid}: ${spikeRenders.filter((r) => r.pid === pid).length}`).join(', ')})`);
    for (const pid of workers) console.log(`  worker ${pid} resident: ${JSON.stringify(rss(pid))}`);

    // 2. The long tail: every request a different story.
    let next = 0;
    const tail = await autocannon({
      url: base, connections: 50, duration: 20,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: storyPaths[next++ % storyPaths.length]! }) }],
    });
    console.log(`long tail: ${tail.requests.total} requests over ${storyPaths.length} stories (${Math.round(tail.requests.average)}/s, p99 ${tail.latency.p99} ms, errors ${tail.errors}, non-2xx ${tail.non2xx})`);
    const tailRenders = renders.filter((r) => r.at > purgedAt + 10_000);
    const perUrl = new Map<string, number>();
    for (const r of tailRenders) perUrl.set(r.url, (perUrl.get(r.url) ?? 0) + 1);
    if (counted) console.log(`  renders: ${tailRenders.length} of ${perUrl.size} URLs (most for one URL: ${Math.max(0, ...perUrl.values())})`);
    for (const pid of workers) console.log(`  worker ${pid} resident: ${JSON.stringify(rss(pid))}`);
    console.log(`  primary ${proc.pid} resident: ${JSON.stringify(rss(proc.pid!))}`);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
