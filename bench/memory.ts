/**
 * Resident memory of one serving process (not a test): `npx tsx bench/memory.ts`.
 *
 * Builds a temp SQLite edition (the demo plus generated stories, indexed for
 * search here so the server starts with nothing to catch up), then starts the
 * built command, `node bin/dispatch.js serve`, as a child process on a free
 * 127.0.0.1 port, and reads its VmRSS from /proc: idle after start, after a
 * spike of connections on one cached story, and after a long tail of stories
 * that are not in the page cache. Ends with a verdict against the target of
 * 200 MB per process. Needs `npm run build` first (it measures dist/, which is
 * what a site runs) and Linux (/proc).
 *
 * Environment:
 *   BENCH_ARTICLES      generated stories on top of the demo edition (100000)
 *   BENCH_CONNECTIONS   concurrent connections (200)
 *   BENCH_DURATION      seconds per load phase (10)
 *   MEMORY_TARGET_MB    the verdict's limit (200)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDb } from '../src/platform/db/connection.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import type { NewArticleRow } from '../src/platform/db/types.js';
import { seedDemo } from '../src/content/demo.js';
import { paths, slugify } from '../src/content/content.model.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got "${raw}")`);
  return n;
}

const ARTICLES = intEnv('BENCH_ARTICLES', 100_000, 0);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 200, 1);
const DURATION = intEnv('BENCH_DURATION', 10, 1);
const TARGET_MB = intEnv('MEMORY_TARGET_MB', 200, 1);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A small deterministic PRNG, so every run measures the same edition. */
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

const WORDS = 'council budget river harbour court election school hospital rail bridge market festival museum library forecast drought harvest'.split(' ');

/** Seeds the edition and indexes it for search; returns the generated stories' paths, shuffled. */
async function seed(dataDir: string): Promise<string[]> {
  const db = openDb({ dataDir });
  try {
    await migrateToLatest(db.kysely, db.dialect);
    await seedDemo(db.kysely, dataDir);
    const rand = prng(20261207);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const sections = await db.kysely.selectFrom('sections').select(['id', 'slug']).execute();
    const tags = await db.kysely.selectFrom('tags').select('id').execute();
    const max = await db.kysely.selectFrom('articles').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    let nextId = Number(max?.max ?? 0) + 1;
    const now = Date.now();
    const storyPaths: string[] = [];
    await db.kysely.transaction().execute(async (trx) => {
      for (let start = 0; start < ARTICLES; start += 400) {
        const rows: NewArticleRow[] = [];
        const tagRows: Array<{ article_id: number; tag_id: number; position: number }> = [];
        for (let i = start; i < Math.min(ARTICLES, start + 400); i++) {
          const id = nextId++;
          const section = pick(sections);
          const headline = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} report ${i}`;
          const slug = slugify(headline);
          const published = new Date(now - Math.floor(rand() * 730 * 86_400_000) - 3_600_000).toISOString();
          const text = Array.from({ length: 40 + Math.floor(rand() * 80) }, () => pick(WORDS)).join(' ');
          rows.push({
            id, slug, headline, standfirst: `${pick(WORDS)} and ${pick(WORDS)}.`,
            body: JSON.stringify({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }, { type: 'paragraph', content: [{ type: 'text', text }] }] }),
            section_id: section.id, status: 'published', language: 'en',
            published_at: published, created_at: published, modified_at: published,
          });
          tagRows.push({ article_id: id, tag_id: pick(tags).id, position: 0 });
          storyPaths.push(paths.article(section.slug, id, slug));
        }
        await trx.insertInto('articles').values(rows).execute();
        await trx.insertInto('article_tags').values(tagRows).execute();
      }
    });
    await sql`pragma optimize`.execute(db.kysely);
    // Index here, so the measured server starts with nothing to catch up.
    const app = await buildApp({ config: loadConfig({ DISPATCH_DATA: dataDir, LOG_LEVEL: 'silent' }), db, logger: false });
    await app.ready();
    await app.deps.searchCatchUp.settled();
    await app.close();
    for (let i = storyPaths.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [storyPaths[i], storyPaths[j]] = [storyPaths[j]!, storyPaths[i]!];
    }
    return storyPaths;
  } finally {
    await db.close();
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

/** VmRSS and VmHWM (peak) of a process, in MB. */
function rss(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function waitForServer(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start in 120 s');
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function writeTailRewriter(dir: string, list: string): string {
  const file = path.join(dir, 'memory-tail.cjs');
  fs.writeFileSync(file, `'use strict';
const paths = require(${JSON.stringify(list)});
let i = 0;
module.exports = function setupRequest(req) { const next = paths[i]; i = (i + 1) % paths.length; return Object.assign({}, req, { path: next }); };
`);
  return file;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('dist/ is missing: run "npm run build" first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-memory-'));
  let child: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    const storyPaths = await seed(dataDir);
    console.log(`seeded the demo + ${ARTICLES} stories (indexed) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [path.join(ROOT, 'bin', 'dispatch.js'), 'serve'], {
      env: { ...process.env, DISPATCH_DATA: dataDir, PORT: String(port), HOST: '127.0.0.1', SITE_URL: base, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const pid = child.pid!;
    await waitForServer(base, child);
    await settle(3000);
    const figures: Array<{ phase: string; rssMb: number; peakMb: number; reqPerSec?: number; errors?: number }> = [];
    figures.push({ phase: 'idle after start', ...rss(pid) });

    // Build the chrome and the front once, as the first readers would.
    for (const p of ['/', storyPaths[0] ?? '/']) await (await fetch(base + p)).arrayBuffer();
    await settle(2000);
    figures.push({ phase: 'idle after first pages', ...rss(pid) });

    const hot = storyPaths[0] ?? '/';
    const hit = await autocannon({ url: base + hot, connections: CONNECTIONS, duration: DURATION, headers: { 'accept-encoding': 'br, gzip' } });
    await settle(2000);
    figures.push({ phase: `after ${CONNECTIONS}-connection hit spike`, ...rss(pid), reqPerSec: Math.round(hit.requests.average), errors: hit.errors + hit.non2xx });

    const list = path.join(dataDir, 'memory-paths.json');
    fs.writeFileSync(list, JSON.stringify(storyPaths.slice(1)));
    const tail = await autocannon({ url: base + '/', connections: CONNECTIONS, duration: DURATION, setupRequest: writeTailRewriter(dataDir, list) });
    await settle(2000);
    figures.push({ phase: `after ${CONNECTIONS}-connection long tail of misses`, ...rss(pid), reqPerSec: Math.round(tail.requests.average), errors: tail.errors + tail.non2xx });

    console.log('');
    console.log('phase'.padEnd(48) + 'VmRSS MB'.padStart(10) + 'peak MB'.padStart(10) + 'req/s'.padStart(9) + 'errors'.padStart(8));
    for (const f of figures) {
      console.log(f.phase.padEnd(48) + f.rssMb.toFixed(1).padStart(10) + f.peakMb.toFixed(1).padStart(10) + String(f.reqPerSec ?? '').padStart(9) + String(f.errors ?? '').padStart(8));
    }
    for (const f of figures) console.log(JSON.stringify({ bench: 'memory', articles: ARTICLES, ...f }));
    const worst = Math.max(...figures.map((f) => f.peakMb));
    console.log(`\nverdict: peak resident memory ${worst.toFixed(1)} MB ${worst <= TARGET_MB ? '<=' : '>'} ${TARGET_MB} MB per process: ${worst <= TARGET_MB ? 'PASS' : 'FAIL'}`);
    if (worst > TARGET_MB) process.exitCode = 1;
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exitCode = 1;
});
