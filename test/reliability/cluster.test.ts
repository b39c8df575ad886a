import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerSite, openSiteDb, type ServerProcess, type ServerSite } from './server.js';
import { migrateToLatest } from '../../src/platform/db/migrator.js';
import { issueApiToken } from '../../src/accounts/people.service.js';
import { SYSTEM } from '../../src/accounts/staff.js';
import { buildSection } from '../helpers/factories.js';

/**
 * `dispatch serve --workers 2`: real processes sharing one port, one database
 * and one Redis (under a key prefix of this run's own). Renders are counted
 * from the workers' debug lines ("page rendered"), which carry each worker's pid.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-cluster-${randomUUID()}`;

interface LogLine {
  pid: number;
  msg: string;
  url?: string;
  source?: string;
}

function logLines(server: ServerProcess): LogLine[] {
  return server.output().split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** The pids of the workers serving now (the primary's "Worker N is serving" lines, less those that exited). */
function servingWorkers(server: ServerProcess): number[] {
  const out = server.output();
  const up = [...out.matchAll(/Worker (\d+) is serving/g)].map((m) => Number(m[1]));
  const gone = new Set([...out.matchAll(/Worker (\d+) (?:exited|stopped)/g)].map((m) => Number(m[1])));
  return up.filter((pid) => !gone.has(pid));
}

/** A GET on a connection of its own, so the primary hands each one to the next worker in turn. */
function get(server: ServerProcess, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}${path}`, { agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

async function api(server: ServerProcess, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/**
 * `n` GETs one after another, each on its own connection: the primary hands a new connection to the
 * worker that has been free longest, so these alternate between the workers (concurrent ones need not:
 * a worker busy rendering takes fewer).
 */
async function inTurn(server: ServerProcess, path: string, n: number): Promise<{ status: number; body: string }[]> {
  const answers = [];
  for (let i = 0; i < n; i++) answers.push(await get(server, path));
  return answers;
}

const missesOf = (server: ServerProcess, url: string) =>
  logLines(server).filter((l) => l.url === url && (l.msg === 'page rendered' || l.msg === 'page from the shared cache'));

let site: ServerSite;
let server: ServerProcess;
let token: string;

beforeAll(async () => {
  site = await createServerSite();
  const db = openSiteDb(site);
  await migrateToLatest(db.kysely, db.dialect);
  await buildSection(db.kysely, { slug: 'africa', name: 'Africa' });
  token = (await issueApiToken(db.kysely, { name: 'cluster test', role: 'editor', createdBy: null }, SYSTEM, new Date())).secret;
  await db.close();
  server = await site.start({ REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'debug' }, ['--workers', '2']);
  await until(() => /is serving on .* with 2 workers/.test(server.output()), 60_000);
});

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  await site?.destroy();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('dispatch serve --workers 2', () => {
  let path: string;
  let id: number;

  it('renders a spike at one uncached URL once across both workers', async () => {
    const created = await api(server, token, 'POST', '/api/admin/articles', { headline: 'Floods close the coast road', section: 'africa', markdown: 'Water stood a metre deep.' });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    id = (created.json.article as { id: number }).id;
    const published = await api(server, token, 'POST', `/api/admin/articles/${id}/publish`);
    expect(published.status, JSON.stringify(published.json)).toBe(200);
    path = new URL((published.json.article as { url: string }).url).pathname;

    const answers = await Promise.all(Array.from({ length: 100 }, () => get(server, path)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(answers.every((a) => a.body.includes('Floods close the coast road'))).toBe(true);

    expect(missesOf(server, path).filter((l) => l.msg === 'page rendered')).toHaveLength(1);
    // Both workers have answered for it by now (a worker the spike passed by misses in memory once):
    // one rendered it, the other took the copy from Redis.
    await inTurn(server, path, 4);
    const misses = missesOf(server, path);
    expect(misses.filter((l) => l.msg === 'page rendered')).toHaveLength(1);
    expect(new Set(misses.map((l) => l.pid))).toEqual(new Set(servingWorkers(server)));
  });

  it('purges an edited story in both workers (and in Redis): the next spike renders it once more', async () => {
    const before = missesOf(server, path).length;
    const edited = await api(server, token, 'PATCH', `/api/admin/articles/${id}`, { headline: 'Floods close the coast road for a week' });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);

    const answers = [...await Promise.all(Array.from({ length: 40 }, () => get(server, path))), ...await inTurn(server, path, 4)];
    expect(answers.every((a) => a.body.includes('Floods close the coast road for a week'))).toBe(true);
    // Each worker missed in memory after the edit (its copy was purged); one rendered, the other took the new copy.
    const after = missesOf(server, path).slice(before);
    expect(after.filter((l) => l.msg === 'page rendered')).toHaveLength(1);
    expect(new Set(after.map((l) => l.pid))).toEqual(new Set(servingWorkers(server)));
  });

  it('publishes a scheduled story once, though both workers run the scheduler', async () => {
    // Every worker runs the scheduler's loop; each due story is claimed with one conditional UPDATE.
    const created = await api(server, token, 'POST', '/api/admin/articles', { headline: 'Polls close at eight', section: 'africa', markdown: 'Counting starts at once.' });
    const scheduledId = (created.json.article as { id: number }).id;
    const at = new Date(Date.now() + 1500).toISOString();
    expect((await api(server, token, 'POST', `/api/admin/articles/${scheduledId}/publish`, { at })).status).toBe(200);
    const db = openSiteDb(site);
    try {
      const published = async () => (await db.kysely.selectFrom('articles').select('status').where('id', '=', scheduledId).executeTakeFirstOrThrow()).status;
      await expect.poll(published, { timeout: 20_000, interval: 200 }).toBe('published');
      await new Promise((r) => setTimeout(r, 2500)); // a full scheduler interval more, for a second claim to show if there were one
      const entries = await db.kysely.selectFrom('audit_log').select('action').where('subject', '=', `article:${scheduledId}`).where('action', '=', 'article.publish').execute();
      expect(entries).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('replaces a worker that is killed, and keeps serving', async () => {
    const [victim, survivor] = servingWorkers(server);
    process.kill(victim!, 'SIGKILL');
    await expect.poll(() => server.output(), { timeout: 30_000, interval: 100 }).toMatch(new RegExp(`Worker ${victim} exited \\(signal SIGKILL\\)`));
    expect((await get(server, '/healthz')).status).toBe(200);
    await expect.poll(() => servingWorkers(server).length, { timeout: 60_000, interval: 100 }).toBe(2);
    const replacement = servingWorkers(server).find((pid) => pid !== survivor)!;
    expect(replacement).not.toBe(victim);
    // The new worker starts with empty memory and serves the story; between both workers it is rendered at most once
    // (not at all if Redis still has the copy: it may have expired, or been purged by the scheduled story's publish).
    const before = missesOf(server, path).length;
    const answers = await inTurn(server, path, 4);
    expect(answers.every((a) => a.status === 200 && a.body.includes('Floods close the coast road for a week'))).toBe(true);
    const after = missesOf(server, path).slice(before);
    expect(after.map((l) => l.pid)).toContain(replacement);
    expect(after.filter((l) => l.msg === 'page rendered').length).toBeLessThanOrEqual(1);
  });

  it('drains every worker on SIGTERM and exits 0', async () => {
    const workers = servingWorkers(server);
    server.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit.code, server.output()).toBe(0);
    for (const pid of workers) expect(server.output()).toMatch(new RegExp(`Worker ${pid} stopped \\(code 0\\)`));
  });
});
