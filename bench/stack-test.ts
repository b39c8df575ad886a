/**
 * `npm run stack:test`: the deployment of the README's "Scaling out" recipe,
 * started whole on 127.0.0.1 and measured. Varnish (deploy/varnish/dispatch.vcl,
 * with vmod_xkey) in front of several `dispatch serve` processes that share
 * one PostgreSQL database and one Redis. It
 *
 * 1. installs Varnish with apt-get when it is missing (or skips, saying why);
 * 2. builds dist/ when it is older than src/, creates a fresh database,
 *    migrates and seeds the demo edition, makes an editor's API token;
 * 3. starts the processes and varnishd (its own port, working directory and
 *    64 MB of memory), with the VCL's backends pointed at the processes;
 * 4. sends STACK_CONNECTIONS connections for STACK_DURATION seconds at one hot
 *    story through Varnish while an editor saves an edit to that story (admin
 *    API, Bearer token, through Varnish), and polls the story through Varnish
 *    until the edit shows;
 * 5. checks that nothing of a user's own is stored: two readers' sessions
 *    each get their own /api/v1/me, a Bearer request is never answered from
 *    the cache, and no response carrying Set-Cookie is ever a hit;
 * 6. prints the figures and a verdict per target, removes everything it made
 *    (processes, varnishd, temporary directory, database, Redis keys), and
 *    exits 1 when a target is missed.
 *
 * Settings (environment):
 *   STACK_DURATION       seconds of load (30)
 *   STACK_CONNECTIONS    concurrent connections (200)
 *   STACK_PROCESSES      Dispatch processes behind Varnish (2)
 *   STACK_EDIT_AT        seconds into the load when the editor saves (a third of the duration)
 *   STACK_DATABASE_URL   PostgreSQL server; a database is created there and dropped after
 *                        (postgres://postgres@127.0.0.1:5432/postgres)
 *   STACK_REDIS_URL      Redis (redis://127.0.0.1:6379); keys under a prefix of this run's own
 *   STACK_REQUIRE        1: a missing Varnish that cannot be installed fails instead of skipping
 *   STACK_INSTALL        0: never run apt-get
 *
 * A CI-sized run: STACK_DURATION=8 STACK_CONNECTIONS=50 npm run stack:test
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startVarnish, varnishInstalled, varnishStats, type VarnishProcess, type VarnishStats } from '../test/helpers/varnish.js';

// ---------------------------------------------------------------- settings

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got "${raw}")`);
  return n;
}

const DURATION = intEnv('STACK_DURATION', 30, 3);
const CONNECTIONS = intEnv('STACK_CONNECTIONS', 200, 1);
const PROCESSES = intEnv('STACK_PROCESSES', 2, 1);
const EDIT_AT = intEnv('STACK_EDIT_AT', Math.max(1, Math.floor(DURATION / 3)), 0);
const PG_URL = process.env.STACK_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.STACK_REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const REQUIRE = process.env.STACK_REQUIRE === '1';
const INSTALL = process.env.STACK_INSTALL !== '0';
if (EDIT_AT >= DURATION) throw new Error(`STACK_EDIT_AT (${EDIT_AT}) must be within STACK_DURATION (${DURATION})`);

/** Targets, from issue 12. */
const TARGET = { errors: 0, visibleMs: 1000 };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- autocannon (untyped CommonJS)

interface Histogram { average: number; p50: number; p90: number; p99: number; max: number; total: number }
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; workers?: number; headers?: Record<string, string>; timeout?: number }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------- small helpers

const log = (msg: string) => console.log(`[stack] ${msg}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`);
}

// ---------------------------------------------------------------- Varnish

/** varnishd with vmod_xkey, installing the Debian packages when missing; the reason when neither is possible. */
function ensureVarnish(): string | null {
  if (varnishInstalled()) return null;
  if (!INSTALL) return 'Varnish (varnishd and vmod_xkey) is not installed and STACK_INSTALL=0';
  if (!has('apt-get')) return 'Varnish is not installed and there is no apt-get here; install varnish and varnish-modules (vmod_xkey)';
  if (process.getuid?.() !== 0) return 'Varnish is not installed and apt-get needs root; run: apt-get install -y varnish varnish-modules';
  log('installing varnish and varnish-modules with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', 'varnish', 'varnish-modules'], { stdio: 'inherit', env }) : update;
  if (install.status !== 0) return `apt-get could not install varnish and varnish-modules (status ${install.status})`;
  return varnishInstalled() ? null : 'apt-get ran but varnishd or vmod_xkey is still missing';
}

// ---------------------------------------------------------------- the run

interface Stack {
  tmp: string;
  pgName?: string;
  redisPrefix: string;
  children: ChildProcess[];
  varnish?: VarnishProcess;
}

function spawnLogged(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited unexpectedly (${signal ?? code}); its log: ${logFile}`);
  });
  return child;
}

let stopping = false;

function dispatchCli(env: NodeJS.ProcessEnv, args: string[], input?: string): string {
  const r = spawnSync(process.execPath, ['bin/dispatch.js', ...args], { cwd: ROOT, env, input, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`dispatch ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Builds dist/ when it is missing or older than a source file (the processes run the compiled code, as in production). */
function ensureBuild(): void {
  const entry = path.join(ROOT, 'dist/main.js');
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }
    return t;
  };
  if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= newest(path.join(ROOT, 'src'))) return;
  log('building dist/ (npm run build)…');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

async function createDatabase(stack: Stack): Promise<string> {
  stack.pgName = `dispatch_stack_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${stack.pgName}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${stack.pgName}`;
  return u.toString();
}

async function cleanUp(stack: Stack): Promise<void> {
  stopping = true;
  await stack.varnish?.stop();
  await Promise.all(stack.children.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  })));
  if (stack.pgName) {
    const admin = new pg.Client({ connectionString: PG_URL });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${stack.pgName} WITH (FORCE)`);
    } catch (err) {
      console.error(`[stack] could not drop database ${stack.pgName}: ${(err as Error).message}`);
    } finally {
      await admin.end().catch(() => {});
    }
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.redisPrefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch (err) {
    console.error(`[stack] could not remove Redis keys ${stack.redisPrefix}:*: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
  fs.rmSync(stack.tmp, { recursive: true, force: true });
}

interface Figures {
  requests: number;
  rps: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  p50: number;
  p99: number;
  maxMs: number;
  visibleMs: number | null;
  saveMs: number;
  stats: VarnishStats;
  hotPathRequestsPerBackend: Record<string, number>;
  privacy: { name: string; ok: boolean; detail: string }[];
  /** PURGE requests Varnish received, by their list of keys. */
  purges: Map<string, number>;
  hotKey: string;
  /** GETs of the hot story Varnish sent to each process (varnishlog): at most one render each. */
  hotFetches: Record<string, number>;
  otherFetches: string[];
}

async function main(): Promise<number> {
  const skip = ensureVarnish();
  if (skip) {
    console.log(`[stack] SKIPPED: ${skip}.`);
    return REQUIRE ? 1 : 0;
  }
  ensureBuild();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-stack-'));
  fs.chmodSync(tmp, 0o755); // varnishd's workers run as an unprivileged user and must reach their working directory
  const stack: Stack = { tmp, redisPrefix: `stack-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`, children: [] };
  const onSignal = () => { void cleanUp(stack).finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(stack);
  } finally {
    await cleanUp(stack);
    log('cleaned up: processes, varnishd, temporary directory, database, Redis keys');
  }
}

async function run(stack: Stack): Promise<number> {
  const databaseUrl = await createDatabase(stack);
  const varnishPort = await freePort();
  const ports: number[] = [];
  for (let i = 0; i < PROCESSES; i++) ports.push(await freePort());
  const front = `http://127.0.0.1:${varnishPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: stack.redisPrefix,
    DISPATCH_DATA: path.join(stack.tmp, 'data'), // shared by the processes (media), as a shared volume would be
    SITE_URL: front,
    TRUST_PROXY: '127.0.0.1',
    PURGE_VARNISH_URLS: front,
    LOG_LEVEL: 'warn',
  };
  log(`database ${stack.pgName}; migrating and seeding the demo edition…`);
  dispatchCli(env, ['migrate']);
  dispatchCli(env, ['seed', 'demo']);
  const tokenOut = dispatchCli(env, ['tokens', 'create', '--name', 'stack-test editor', '--role', 'editor']);
  const token = /^Token \(shown once.*\): (\S+)\s*$/m.exec(tokenOut)?.[1];
  if (!token) throw new Error(`no token in: ${tokenOut}`);
  const readers = ['reader-one@stack.test', 'reader-two@stack.test'].map((email) => ({ email, password: `Stack-${randomBytes(12).toString('base64url')}` }));
  for (const r of readers) dispatchCli(env, ['users', 'add', r.email, '--role', 'reader', '--password-stdin'], r.password);

  ports.forEach((port, i) => {
    stack.children.push(spawnLogged(`dispatch ${i + 1}`, process.execPath, ['bin/dispatch.js', 'serve', '--no-demo'], { ...env, PORT: String(port), HOST: '127.0.0.1' }, path.join(stack.tmp, `dispatch-${i + 1}.log`)));
  });
  await Promise.all(ports.map((port) => waitFor(`dispatch on ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 60_000)));
  log(`${PROCESSES} Dispatch processes ready on ${ports.map((p) => `127.0.0.1:${p}`).join(', ')}`);

  stack.varnish = await startVarnish(stack.tmp, varnishPort, ports, env);
  await waitFor('Varnish to pass a request to a healthy process', async () => (await fetch(`${front}/readyz`)).ok, 30_000);
  log(`varnishd on ${front} (malloc 64 MB), round robin over the processes, health from /readyz`);

  // The hot story: the newest in the public API.
  const list = (await (await fetch(`${front}/api/v1/articles?limit=1`)).json()) as { articles: { id: number; url: string; headline: string }[] };
  const hot = list.articles[0]!;
  const hotPath = new URL(hot.url).pathname;
  const warm = await fetch(front + hotPath, { headers: { 'accept-encoding': 'gzip' } });
  await warm.arrayBuffer();
  if (!warm.ok || !warm.headers.get('etag')) throw new Error(`the hot story ${hotPath} answered ${warm.status}`);
  log(`hot story ${hotPath} (article ${hot.id}); ${CONNECTIONS} connections for ${DURATION} s; the editor saves at ${EDIT_AT} s`);

  // Every PURGE Varnish receives during the run, with its keys (varnishlog reads varnishd's shared memory log).
  const purgeLog = path.join(stack.tmp, 'purges.log');
  const purgeWatcher = spawnLogged('varnishlog', 'varnishlog', ['-n', stack.varnish.workDir, '-q', 'ReqMethod eq "PURGE"', '-i', 'ReqMethod', '-I', 'ReqHeader:^xkey-purge'], env, purgeLog);
  stack.children.push(purgeWatcher);
  // And every request Varnish sent to a process: which process, which URL.
  const fetchLog = path.join(stack.tmp, 'fetches.log');
  const fetchWatcher = spawnLogged('varnishlog', 'varnishlog', ['-n', stack.varnish.workDir, '-b', '-i', 'BackendOpen,BereqMethod,BereqURL'], env, fetchLog);
  stack.children.push(fetchWatcher);
  await sleep(500);
  const before = varnishStats(stack.varnish.workDir);
  const load = autocannon({ url: front + hotPath, connections: CONNECTIONS, duration: DURATION, workers: 1, timeout: 10, headers: { 'accept-encoding': 'gzip' } });
  await sleep(EDIT_AT * 1000);
  const marker = `Stack edit ${randomBytes(4).toString('hex')}`;
  const saveStarted = performance.now();
  const saved = await fetch(`${front}/api/admin/articles/${hot.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ headline: marker }),
  });
  const savedBody = await saved.text();
  const savedAt = performance.now();
  if (!saved.ok) throw new Error(`the editor's save answered ${saved.status}: ${savedBody}`);
  let visibleMs: number | null = null;
  while (performance.now() - savedAt < 10_000) {
    const res = await fetch(front + hotPath, { headers: { 'accept-encoding': 'gzip' } });
    if ((await res.text()).includes(marker)) {
      visibleMs = performance.now() - savedAt;
      break;
    }
    await sleep(10);
  }
  const result = await load;
  const after = varnishStats(stack.varnish.workDir);
  const perBackend: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.perBackend)) perBackend[name] = n - (before.perBackend[name] ?? 0);

  await sleep(1000); // the sweep purge and the log's last lines
  for (const watcher of [purgeWatcher, fetchWatcher]) {
    watcher.removeAllListeners('exit'); // its end is ours, not news
    watcher.kill('SIGTERM');
    await new Promise((resolve) => watcher.once('exit', resolve));
  }
  const fetches: { backend: string; method: string; url: string }[] = [];
  for (const tx of fs.readFileSync(fetchLog, 'utf8').split(/^\*\s+<< BeReq\s+>>.*$/m).slice(1)) {
    const backend = /BackendOpen\s+\d+\s+(\S+)/.exec(tx)?.[1];
    const method = /BereqMethod\s+(\S+)/.exec(tx)?.[1];
    const url = /BereqURL\s+(\S+)/.exec(tx)?.[1];
    if (backend && method && url) fetches.push({ backend: backend.replace(/^.*\./, ''), method, url });
  }
  const hotFetches: Record<string, number> = Object.fromEntries(ports.map((_, i) => [`dispatch${i + 1}`, 0]));
  for (const f of fetches) if (f.method === 'GET' && f.url === hotPath) hotFetches[f.backend] = (hotFetches[f.backend] ?? 0) + 1;
  const purges = new Map<string, number>();
  for (const m of fs.readFileSync(purgeLog, 'utf8').matchAll(/ReqHeader\s+xkey-purge(?:-hard)?: (.*)/g)) purges.set(m[1]!.trim(), (purges.get(m[1]!.trim()) ?? 0) + 1);

  const privacy = await privacyChecks(front, readers, token, hotPath);
  const figures: Figures = {
    requests: result.requests.total,
    rps: result.requests.average,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
    maxMs: result.latency.max,
    visibleMs,
    saveMs: savedAt - saveStarted,
    stats: {
      backendReq: after.backendReq - before.backendReq, cacheHit: after.cacheHit - before.cacheHit, cacheMiss: after.cacheMiss - before.cacheMiss,
      cacheHitpass: after.cacheHitpass - before.cacheHitpass, cacheHitmiss: after.cacheHitmiss - before.cacheHitmiss, perBackend: after.perBackend,
    },
    hotPathRequestsPerBackend: perBackend,
    privacy,
    purges,
    hotKey: `article:${hot.id}`,
    hotFetches,
    otherFetches: fetches.filter((f) => !(f.method === 'GET' && f.url === hotPath)).map((f) => `${f.method} ${f.url} (${f.backend})`),
  };
  return report(figures);
}

/** Nothing of a user's own is stored: each check asks twice (or as two people) and looks at what came back and whether it was a hit. */
async function privacyChecks(front: string, readers: { email: string; password: string }[], token: string, hotPath: string): Promise<Figures['privacy']> {
  const checks: Figures['privacy'] = [];
  const cookies: string[] = [];
  let setCookieHits = 0;
  for (const r of readers) {
    const res = await fetch(`${front}/api/v1/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) });
    await res.arrayBuffer();
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c?.startsWith('dispatch_session='));
    if (!res.ok || !cookie) throw new Error(`sign-in of ${r.email} answered ${res.status} without a session cookie`);
    if (res.headers.get('x-cache') === 'HIT') setCookieHits++;
    cookies.push(cookie);
  }
  const me = async (cookie?: string) => {
    const res = await fetch(`${front}/api/v1/me`, { headers: cookie ? { cookie } : {} });
    const body = (await res.json()) as { user: { email?: string } | null };
    return { email: body.user?.email ?? null, cache: res.headers.get('x-cache') ?? '' };
  };
  const seen = [await me(cookies[0]), await me(cookies[1]), await me(cookies[0]), await me(), await me(cookies[1])];
  const expected = [readers[0]!.email, readers[1]!.email, readers[0]!.email, null, readers[1]!.email];
  checks.push({
    name: '/api/v1/me: each session gets its own, anonymous gets none',
    ok: seen.every((s, i) => s.email === expected[i] && s.cache !== 'HIT'),
    detail: seen.map((s) => `${s.email ?? 'anonymous'} (${s.cache})`).join(', '),
  });
  // The admin API with a token: asked twice, the app answers both times.
  const adminCache: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${front}/api/admin/articles?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    adminCache.push(`${res.status} ${res.headers.get('x-cache')}`);
  }
  checks.push({ name: 'Authorization: never from the cache', ok: adminCache.every((c) => c.startsWith('200') && !c.endsWith('HIT')), detail: adminCache.join(', ') });
  // A public page asked with a reader's cookie is the shared copy, and no cookie comes back from the cache.
  let cookieOnHit = 0;
  for (const cookie of cookies) {
    const res = await fetch(front + hotPath, { headers: { cookie, 'accept-encoding': 'gzip' } });
    await res.arrayBuffer();
    if (res.headers.get('x-cache') === 'HIT' && res.headers.getSetCookie().length) cookieOnHit++;
  }
  checks.push({ name: 'Set-Cookie: never on a cached response', ok: setCookieHits === 0 && cookieOnHit === 0, detail: `sign-ins answered from cache: ${setCookieHits}; hits carrying Set-Cookie: ${cookieOnHit}` });
  // The newsroom and account pages with a reader's session: passed every time.
  const pages: string[] = [];
  for (const p of ['/account', '/newsroom']) {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(front + p, { headers: { cookie: cookies[0]! }, redirect: 'manual' });
      await res.arrayBuffer();
      pages.push(`${p} ${res.status} ${res.headers.get('x-cache')}`);
    }
  }
  checks.push({ name: '/account, /newsroom: never from the cache', ok: pages.every((p) => p.endsWith('PASS')), detail: pages.join(', ') });
  return checks;
}

function report(f: Figures): number {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const rows: [string, string, string, string][] = [];
  const errors = f.errors + f.timeouts + f.non2xx;
  rows.push(['errors (socket errors + timeouts + non-2xx)', String(errors), `= ${TARGET.errors}`, verdict(errors === TARGET.errors)]);
  rows.push(['latency p99', `${f.p99} ms`, '', '']);
  rows.push(['edit visible through Varnish after the save', f.visibleMs === null ? 'not within 10 s' : `${Math.round(f.visibleMs)} ms`, `<= ${TARGET.visibleMs} ms`, verdict(f.visibleMs !== null && f.visibleMs <= TARGET.visibleMs)]);
  // Each purge goes out once, from the process that made the change, plus that process's sweep (withEdgePurge): 2, not 2 per process.
  const counts = [...f.purges.values()];
  const purgedHot = [...f.purges.keys()].some((keys) => keys.split(' ').includes(f.hotKey));
  rows.push([`the edit purged ${f.hotKey} in Varnish`, purgedHot ? 'yes' : 'NO', 'yes', verdict(purgedHot)]);
  rows.push(['PURGE requests per purge (once + sweep, one process)', counts.join(', ') || 'none', '2', verdict(counts.length > 0 && counts.every((n) => n === 2))]);
  for (const c of f.privacy) rows.push([c.name, c.ok ? 'yes' : 'NO', 'yes', verdict(c.ok)]);
  console.log('');
  console.log(`Dispatch stack test: Varnish + ${PROCESSES} processes + PostgreSQL + Redis, ${CONNECTIONS} connections x ${DURATION} s at one story`);
  console.log(`  requests ${f.requests} (${Math.round(f.rps)}/s), latency p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.maxMs} ms; editor's save ${Math.round(f.saveMs)} ms`);
  console.log(`  varnish during the load: hits ${f.stats.cacheHit}, misses ${f.stats.cacheMiss}, hit-for-miss ${f.stats.cacheHitmiss}, hit-for-pass ${f.stats.cacheHitpass}, backend requests ${f.stats.backendReq}`);
  console.log(`  requests that reached each process during the load (varnishstat VBE.*.req, every path): ${Object.entries(f.hotPathRequestsPerBackend).map(([b, n]) => `${b} ${n}`).join(', ')}`);
  console.log(`  fetches of the hot story by process (varnishlog; each at most one render, fewer when the process's own page cache had it): ${Object.entries(f.hotFetches).map(([b, n]) => `${b} ${n}`).join(', ')}`);
  console.log(`  every other backend request: ${f.otherFetches.join('; ') || 'none'}`);
  console.log('');
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length)), Math.max(...rows.map((r) => r[2].length))];
  for (const r of rows) console.log(`  ${r[0].padEnd(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}`);
  console.log('');
  for (const [keys, n] of f.purges) console.log(`  PURGE x${n}: xkey-purge: ${keys}`);
  for (const c of f.privacy) console.log(`  ${c.name}: ${c.detail}`);
  const failed = rows.filter((r) => r[3] === 'FAIL').length;
  console.log('');
  console.log(failed ? `[stack] ${failed} target(s) missed` : '[stack] every target met');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
