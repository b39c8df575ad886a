/**
 * Search benchmark (not a test): `npx tsx bench/search.ts`.
 *
 * Builds a fresh database with 100,000 generated published stories (bulk
 * inserts), builds the full-text index, then times ~200 varied searches through
 * the search service (query parsing, the index, and loading the page of
 * stories), reporting p50/p95/p99 per database.
 *
 * Environment:
 *   BENCH_ARTICLES      stories to generate (100000)
 *   BENCH_QUERIES       timed searches (200)
 *   BENCH_DATABASE_URL  postgres://… server: also run against a fresh database created there and dropped after
 *   BENCH_ONLY          sqlite or postgres: run only that one
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { openDb, type Db } from '../src/platform/db/connection.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import type { Database, NewArticleRow } from '../src/platform/db/types.js';
import { createContentService } from '../src/content/content.service.js';
import { createSearchIndex } from '../src/search/search-index.service.js';
import { createSearchService, type SearchRequest } from '../src/search/search.service.js';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const SECTIONS = 12;
const AUTHORS = 60;
const TAGS = 300;

// ---------------------------------------------------------------- deterministic text

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261129);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** Real words a reader would type, mixed into generated ones at news-like frequencies. */
const TOPICS = (
  'flood drought election parliament minister budget inflation harbour river valley rain harvest farmers water dam ' +
  'treaty talks border crossing ceasefire protest court ruling strike union wages prices bank rates market shares ' +
  'energy solar grid fuel climate storm heatwave wildfire earthquake vaccine hospital doctors school teachers students ' +
  'football league final athletics record festival film novel prize museum exhibition telescope satellite launch ' +
  'café zürich são paulo méxico kraków ' +
  'president mayor council senate opposition coalition referendum campaign poll vote'
).split(' ');
const SYLLABLES = 'ka ro mi te su na lo ve di sa ne ko ri ta mu be la po fi ga do ze hu ni'.split(' ');
const GENERATED = Array.from({ length: 6000 }, () => {
  const n = 2 + Math.floor(rand() * 3);
  return Array.from({ length: n }, () => pick(SYLLABLES)).join('');
});
/** Zipf-like: low ranks much more often. */
function word(): string {
  if (rand() < 0.03) return pick(TOPICS); // each topic word in about one story in ten
  const rank = Math.floor(GENERATED.length * rand() ** 3);
  return GENERATED[rank]!;
}
const words = (n: number) => Array.from({ length: n }, word);
const sentence = (n: number) => {
  const w = words(n).join(' ');
  return w.charAt(0).toUpperCase() + w.slice(1) + '.';
};

function bodyDoc(paragraphs: number): string {
  return JSON.stringify({
    type: 'doc',
    content: Array.from({ length: paragraphs }, () => ({
      type: 'paragraph',
      content: [{ type: 'text', text: Array.from({ length: 3 }, () => sentence(10 + Math.floor(rand() * 8))).join(' ') }],
    })),
  });
}

// ---------------------------------------------------------------- seeding

async function seed(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const stamp = new Date().toISOString();
  await db.insertInto('sections').values(Array.from({ length: SECTIONS }, (_, i) => ({
    slug: `section-${i}`, name: `Section ${i}`, description: '', parent_id: null, position: i, icon: 'news', created_at: stamp,
  }))).execute();
  await db.insertInto('authors').values(Array.from({ length: AUTHORS }, (_, i) => ({ slug: `author-${i}`, name: `Author ${i}`, bio: '', photo_url: null, created_at: stamp }))).execute();
  await db.insertInto('tags').values(Array.from({ length: TAGS }, (_, i) => ({ slug: `tag-${i}`, name: `Tag ${i}`, description: '', special_coverage: 0, created_at: stamp }))).execute();

  const batch = dialect === 'sqlite' ? 400 : 1000;
  const now = Date.now();
  for (let start = 0; start < ARTICLES; start += batch) {
    const rows: NewArticleRow[] = [];
    const n = Math.min(batch, ARTICLES - start);
    for (let i = 0; i < n; i++) {
      const k = start + i;
      const published = new Date(now - (ARTICLES - k) * 5 * 60_000).toISOString(); // one every five minutes, about a year
      rows.push({
        slug: `story-${k}`, headline: sentence(6 + Math.floor(rand() * 6)).replace(/\.$/, ''), standfirst: sentence(20 + Math.floor(rand() * 10)),
        body: bodyDoc(5 + Math.floor(rand() * 4)), section_id: 1 + (k % SECTIONS), credit_line: null, hero_image_url: null, hero_image_alt: null,
        hero_caption: null, hero_credit: null, status: 'published', language: 'en', published_at: published, updated_at: null,
        created_at: published, modified_at: published,
      });
    }
    await db.transaction().execute(async (trx) => {
      const ids = (await trx.insertInto('articles').values(rows).returning('id').execute()).map((r) => r.id);
      await trx.insertInto('article_tags').values(ids.flatMap((id) => {
        const a = 1 + Math.floor(rand() * TAGS);
        const b = 1 + ((a + 1 + Math.floor(rand() * (TAGS - 2))) % TAGS);
        return [{ article_id: id, tag_id: a, position: 0 }, { article_id: id, tag_id: b, position: 1 }];
      })).execute();
      await trx.insertInto('article_authors').values(ids.map((id) => ({ article_id: id, author_id: 1 + Math.floor(rand() * AUTHORS), position: 0 }))).execute();
    });
    if ((start / batch) % 25 === 0) process.stdout.write(`\r  inserted ${start + n} stories`);
  }
  process.stdout.write(`\r  inserted ${ARTICLES} stories\n`);
  // What autovacuum would have done by now on a live server: planner statistics for the new rows.
  if (dialect === 'postgres') await sql`ANALYZE`.execute(db);
}

// ---------------------------------------------------------------- queries

function queries(): Array<{ label: string; req: Omit<SearchRequest, 'page' | 'pageSize' | 'sort'> & Partial<SearchRequest> }> {
  const qrand = mulberry32(7);
  const qpick = <T>(xs: T[]): T => xs[Math.floor(qrand() * xs.length)]!;
  const common = () => GENERATED[Math.floor(qrand() * 20)]!;
  const middling = () => GENERATED[200 + Math.floor(qrand() * 800)]!;
  const rare = () => GENERATED[4000 + Math.floor(qrand() * 2000)]!;
  const kinds: Array<[string, () => Partial<SearchRequest> & { q: string }]> = [
    ['topic word', () => ({ q: qpick(TOPICS) })],
    ['common word', () => ({ q: common() })],
    ['rare word', () => ({ q: rare() })],
    ['two words', () => ({ q: `${qpick(TOPICS)} ${middling()}` })],
    ['phrase', () => ({ q: `"${qpick(TOPICS)} ${common()}"` })],
    ['exclusion', () => ({ q: `${qpick(TOPICS)} -${common()}` })],
    ['accented', () => ({ q: qpick(['cafe', 'zurich', 'sao paulo', 'mexico', 'KRAKOW']) })],
    ['section filter', () => ({ q: qpick(TOPICS), section: `section-${Math.floor(qrand() * SECTIONS)}` })],
    ['tag filter', () => ({ q: common(), tag: `tag-${1 + Math.floor(qrand() * (TAGS - 1))}` })],
    ['date range', () => ({ q: qpick(TOPICS), from: new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) })],
    ['sort by date', () => ({ q: qpick(TOPICS), sort: 'date' })],
    ['page 3', () => ({ q: common(), page: 3 })],
  ];
  return Array.from({ length: QUERIES }, (_, i) => {
    const [label, make] = kinds[i % kinds.length]!;
    return { label, req: make() };
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function run(name: string, db: Db): Promise<Record<string, unknown>> {
  console.log(`\n${name}`);
  await migrateToLatest(db.kysely, db.dialect);
  let t = performance.now();
  await seed(db.kysely, db.dialect);
  const seedSeconds = (performance.now() - t) / 1000;
  console.log(`  seeded in ${seedSeconds.toFixed(1)} s`);

  const index = createSearchIndex({ db });
  t = performance.now();
  const indexed = await index.rebuild();
  const indexSeconds = (performance.now() - t) / 1000;
  console.log(`  indexed ${indexed} stories in ${indexSeconds.toFixed(1)} s`);

  // The bench seeds no media library: no image is a library image.
  const content = createContentService({ db: db.kysely, libraryImages: async () => new Map() });
  const service = createSearchService({ index, content, now: () => new Date() });
  const list = queries();
  for (const { req } of list.slice(0, 24)) await service.search({ sort: 'relevance', page: 1, pageSize: 10, ...req }); // warm-up

  const times: number[] = [];
  const byKind = new Map<string, number[]>();
  let hits = 0;
  for (const { label, req } of list) {
    const start = performance.now();
    const outcome = await service.search({ sort: 'relevance', page: 1, pageSize: 10, ...req });
    const ms = performance.now() - start;
    if (!outcome.ok) throw new Error(`${label} "${req.q}": ${outcome.problem.message}`);
    hits += outcome.results.total;
    times.push(ms);
    byKind.set(label, [...(byKind.get(label) ?? []), ms]);
  }
  times.sort((a, b) => a - b);

  // The reference, on the same database in the same run: the newest ten stories, loaded the same way.
  const reference: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const start = performance.now();
    await content.listArticles({ page: 1 + (i % 5), pageSize: 10 });
    reference.push(performance.now() - start);
  }
  reference.sort((a, b) => a - b);
  const result = {
    database: name, articles: ARTICLES, queries: times.length, seedSeconds: +seedSeconds.toFixed(1), indexSeconds: +indexSeconds.toFixed(1),
    p50: +percentile(times, 50).toFixed(1), p95: +percentile(times, 95).toFixed(1), p99: +percentile(times, 99).toFixed(1), max: +times.at(-1)!.toFixed(1),
    meanMatches: Math.round(hits / times.length),
    referenceP50: +percentile(reference, 50).toFixed(1), referenceP99: +percentile(reference, 99).toFixed(1),
  };
  console.log(`  ${times.length} searches: p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, max ${result.max} ms (mean ${result.meanMatches} matches)`);
  console.log(`  reference, a page of the newest ten stories: p50 ${result.referenceP50} ms, p99 ${result.referenceP99} ms`);
  for (const [label, ms] of byKind) {
    ms.sort((a, b) => a - b);
    console.log(`    ${label.padEnd(15)} p50 ${percentile(ms, 50).toFixed(1).padStart(7)} ms   max ${ms.at(-1)!.toFixed(1).padStart(7)} ms`);
  }
  return result;
}

async function main(): Promise<void> {
  const results: Array<Record<string, unknown>> = [];
  const only = process.env.BENCH_ONLY;
  if (only !== 'postgres') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-bench-search-'));
    const sqlite = openDb({ dataDir: dir, sqliteFile: path.join(dir, 'bench.db') });
    try {
      results.push(await run('SQLite (FTS5)', sqlite));
    } finally {
      await sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl && only !== 'sqlite') {
    const name = `dispatch_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = openDb({ databaseUrl: url.toString(), dataDir: os.tmpdir() });
    try {
      results.push(await run('PostgreSQL (tsvector + GIN)', db));
    } finally {
      await db.close();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    }
  } else {
    console.log('\n(set BENCH_DATABASE_URL=postgres://… to also run on PostgreSQL)');
  }
  console.log('');
  for (const r of results) console.log(JSON.stringify({ bench: 'search', ...r }));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
