/**
 * The search index's catch-up at start runs in the background: the server
 * listens and answers (search included) while it goes on, it logs its
 * progress and end, and a close stops it between batches, the next start
 * going on from there. On whichever database the suite runs against.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { buildSection } from '../../test/helpers/factories.js';

const STORIES = 1200; // five batches of the catch-up
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  const section = await buildSection(t.db.kysely, { slug: 'world', name: 'World' });
  const at = new Date(Date.now() - 3600_000).toISOString();
  // Written straight to the table, as an import or a restore does: no events, so nothing is indexed yet.
  for (let start = 0; start < STORIES; start += 300) {
    await t.db.kysely.insertInto('articles').values(Array.from({ length: 300 }, (_, i) => ({
      slug: `quokka-${start + i}`, headline: `Quokka census, district qk${start + i}`, standfirst: 'Counted at dawn.',
      body: JSON.stringify({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'The quokkas were counted.' }] }] }),
      section_id: section.id, status: 'published' as const, language: 'en', published_at: at, created_at: at, modified_at: at,
    }))).execute();
  }
});
afterAll(async () => t?.destroy());

interface Started {
  app: App;
  url: string;
  logs: Array<{ msg: string; indexed?: number; missing?: number }>;
}

async function start(): Promise<Started> {
  const logs: Started['logs'] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Started['logs'][number]);
      done();
    },
  });
  const config = loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'info' });
  const app = await buildApp({ config, db: t.db, logger: { level: 'info', stream } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, logs };
}

/** Results for `q`: a word of every story, or (qk123) of one. */
async function searchTotal(url: string, q = 'quokka'): Promise<number> {
  const res = await fetch(`${url}/api/v1/search?q=${q}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { pagination: { total: number } }).pagination.total;
}

async function indexedCount(): Promise<number> {
  const row = await t.db.kysely.selectFrom('search_documents').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the search catch-up at start', () => {
  it('stops on close between batches; the next start indexes the rest, in the background, and says so', async () => {
    const first = await start();
    await first.app.close(); // at once: the catch-up has at most a batch or two done
    const stopped = first.app.deps.searchCatchUp.status();
    expect(['stopped', 'done']).toContain(stopped.state);
    expect(first.logs.filter((l) => /failed/.test(l.msg))).toEqual([]);
    const before = await indexedCount();
    expect(before).toBeLessThanOrEqual(STORIES);

    const second = await start();
    try {
      // Listening already; readiness and search do not wait for the catch-up.
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      expect(await searchTotal(second.url)).toBeGreaterThanOrEqual(0);
      await second.app.deps.searchCatchUp.settled();
      const status = second.app.deps.searchCatchUp.status();
      expect(status).toMatchObject({ state: 'done', indexed: STORIES - before, missing: STORIES - before });
      expect(await indexedCount()).toBe(STORIES);
      expect(await searchTotal(second.url, `qk${STORIES - 1}`)).toBe(1); // the last batch's
      if (STORIES - before > 0) expect(second.logs.find((l) => l.msg === 'search index caught up')).toMatchObject({ indexed: STORIES - before });
    } finally {
      await second.app.close();
    }
  });

  it.runIf(process.env.DATABASE_URL)('PostgreSQL: the server starts and answers while the catch-up is held up', async () => {
    await t.db.kysely.deleteFrom('search_documents').execute();
    // Another session holds a lock that lets reads through and makes the catch-up's writes wait.
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    await holder.connect();
    let started: Started | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE search_documents IN EXCLUSIVE MODE');
      started = await start();
      expect(started.app.deps.searchCatchUp.status()).toMatchObject({ state: 'running', indexed: 0 });
      expect((await fetch(`${started.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${started.url}/world`)).status).toBe(200);
      expect(await searchTotal(started.url)).toBe(0);
      expect(started.logs.filter((l) => /failed/.test(l.msg))).toEqual([]);
      await holder.query('COMMIT');
      await started.app.deps.searchCatchUp.settled();
      expect(started.app.deps.searchCatchUp.status()).toMatchObject({ state: 'done', indexed: STORIES });
      expect(await indexedCount()).toBe(STORIES);
      expect(await searchTotal(started.url, 'qk0')).toBe(1);
    } finally {
      await holder.end();
      await started?.app.close();
    }
  });
});
