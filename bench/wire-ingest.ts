/**
 * Wire desk benchmarks through the database (not tests): `npx tsx
 * bench/wire-ingest.ts`, and the `wire-grouping-db` and `wire-ingest` targets
 * of `npm run bench`. Each runs on SQLite, and on PostgreSQL when
 * BENCH_DATABASE_URL names a server (a fresh database is made there and
 * dropped after).
 *
 * wire-grouping-db: a fresh database is filled with 100,000 generated wire
 *   items (the generator of bench/wire-grouping.ts: 1,000 a day over 100
 *   days, one in ten another agency's rewrite), already grouped, with their
 *   fingerprints and 48 band keys each (batched inserts, 4.8 million band
 *   rows). Then 2,000 incoming items (half rewrites of stored ones, half new
 *   stories) are each stored in a transaction and grouped by the real
 *   grouping service (band lookup, candidates' fingerprints, verification,
 *   fingerprint and band rows written, group joined or made): the time of
 *   the grouping step per item, p50/p99.
 * wire-ingest: 10,000 generated ninjs items pushed one per request, signed,
 *   over HTTP to the real app listening on 127.0.0.1 (BENCH_INGEST_CONCURRENCY
 *   requests in flight): parsing, exactly-once storage, grouping and the
 *   replay check, in items per second.
 *
 * Environment:
 *   BENCH_GROUPING_ITEMS        stored items (100000)
 *   BENCH_GROUPING_QUERIES      timed items (2000)
 *   BENCH_INGEST_ITEMS          pushed items (10000)
 *   BENCH_INGEST_CONCURRENCY    pushes in flight (8)
 *   BENCH_DATABASE_URL          postgres://… server: also run there
 *   BENCH_ONLY                  sqlite or postgres: run only that one
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { openDb, type Db } from '../src/platform/db/connection.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import type { Database } from '../src/platform/db/types.js';
import { buildApp, type App } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { EventBus } from '../src/platform/events.js';
import { createWireService } from '../src/wires/wire.service.js';
import type { WireItem } from '../src/wires/wire.model.js';
import { createGroupingService } from '../src/wires/grouping/grouping.service.js';
import { assignGroup, fingerprint, partitionOf, partitionsAround, WireGroupIndex, type GroupableItem } from '../src/wires/grouping/group.js';
import { groupStore } from '../src/wires/grouping/group.store.js';
import { bandKeys } from '../src/wires/grouping/lsh.js';
import { signatureToBuffer } from '../src/wires/grouping/minhash.js';
import { signPush } from '../src/wires/wire-push.routes.js';
import { generator, percentile } from './wire-grouping.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PROVIDERS = 5;

export interface GroupingDbResult {
  target: 'wire-grouping-db';
  dialect: string;
  storedItems: number;
  bandRows: number;
  seedSeconds: number;
  queries: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** The candidate lookup alone (the rest of the step writes the fingerprint, bands and group). */
  lookupP50Ms: number;
  lookupP99Ms: number;
  meanCandidates: number;
  rewritesGrouped: number;
  newGrouped: number;
}

export interface IngestResult {
  target: 'wire-ingest';
  dialect: string;
  items: number;
  concurrency: number;
  seconds: number;
  itemsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  groups: number;
  failures: number;
}

/** A fresh database: a temp SQLite file, or a new database on the PostgreSQL server. */
async function freshDb(serverUrl: string | undefined): Promise<{ db: Db; dataDir: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-wire-bench-'));
  let pgName: string | undefined;
  let url: string | undefined;
  if (serverUrl) {
    pgName = `dispatch_wire_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pgName}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${pgName}`;
    url = u.toString();
  }
  const db = openDb({ databaseUrl: url, dataDir, sqliteFile: path.join(dataDir, 'bench.db') });
  await migrateToLatest(db.kysely, db.dialect);
  return {
    db,
    dataDir,
    async drop() {
      await db.close().catch(() => undefined);
      if (pgName && serverUrl) {
        const admin = new pg.Client({ connectionString: serverUrl });
        await admin.connect().then(() => admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`)).finally(() => admin.end().catch(() => undefined));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The WireItem a parser would give for a generated item (what grouping reads of it). */
function wireItem(g: GroupableItem): WireItem {
  const iso = new Date(Number(g.time)).toISOString();
  return {
    format: 'ninjs', guid: g.guid, version: 1, versionTime: iso, firstCreated: iso, headline: g.headline, summary: null, byline: null, creditLine: null, copyright: null,
    dateline: null, place: null, agency: null, body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: g.text }] }] } as WireItem['body'],
    language: 'en', urgency: null, subjects: [], embargoUntil: null, expires: null, pubStatus: 'usable', signal: null, previousVersion: null, url: null, warnings: [],
  };
}

function itemRow(g: GroupableItem, providerId: number, groupId: number | null) {
  const iso = new Date(Number(g.time)).toISOString();
  return {
    provider_id: providerId, guid: g.guid, current_seq: 1, version: 1, version_time: iso, format: 'ninjs', headline: g.headline, language: 'en', urgency: null,
    subjects: '', embargo_at: null, pubstatus: 'usable', signal: null, received_at: iso, updated_at: iso, group_id: groupId,
  };
}

/** Appends band rows to the unindexed staging table (one array or JSON parameter a statement: Kysely's multi-row VALUES costs more to build than to run). */
async function stageBands(db: Kysely<Database>, dialect: Db['dialect'], rows: Array<{ band_key: string; bucket: number; item_id: number }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 50_000) {
    const part = rows.slice(i, i + 50_000);
    if (dialect === 'postgres') {
      await sql`insert into bench_bands (band_key, bucket, item_id) select * from unnest(${part.map((r) => r.band_key)}::text[], ${part.map((r) => r.bucket)}::int[], ${part.map((r) => r.item_id)}::int[])`.execute(db);
    } else {
      const json = JSON.stringify(part.map((r) => [r.band_key, r.bucket, r.item_id]));
      await sql`insert into bench_bands (band_key, bucket, item_id) select json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') from json_each(${json})`.execute(db);
    }
  }
}

/**
 * Moves the staged bands into wire_item_bands in key order, as a bulk load
 * would: the primary key's b-tree fills page by page, and the item index is
 * built once afterwards, instead of 4.8 million inserts at random places.
 */
async function loadBands(db: Kysely<Database>): Promise<void> {
  await sql`drop index wire_item_bands_item`.execute(db);
  await sql`insert into wire_item_bands (band_key, bucket, item_id) select band_key, bucket, item_id from bench_bands order by band_key, bucket, item_id`.execute(db);
  await sql`create index wire_item_bands_item on wire_item_bands (item_id)`.execute(db);
  await sql`drop table bench_bands`.execute(db);
}

/** Stores `count` generated items, grouped as the in-memory index groups them, with their fingerprints and band keys. */
async function seedGrouped(db: Kysely<Database>, dialect: Db['dialect'], providerIds: number[], count: number, g: ReturnType<typeof generator>): Promise<number> {
  const index = new WireGroupIndex();
  const groupIds = new Map<string, number>();
  let bandRows = 0;
  const CHUNK = 1000;
  await sql`create table bench_bands (band_key text not null, bucket integer not null, item_id integer not null)`.execute(db);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const groups: Array<{ id: number; first_seen_at: string; last_seen_at: string; representative_item_id: number; headline: string; item_count: number; provider_count: number }> = [];
    const items: Array<ReturnType<typeof itemRow> & { id: number }> = [];
    const prints: Array<{ item_id: number; group_id: number; at: string; bucket: number; shingles: Buffer; signature: Buffer }> = [];
    const bands: Array<{ band_key: string; bucket: number; item_id: number }> = [];
    for (let i = start; i < start + n; i++) {
      const item = g.itemAt(i);
      const id = i + 1;
      const d = assignGroup(item, index, `n${i}`);
      let groupId = groupIds.get(d.groupId);
      const iso = new Date(Number(item.time)).toISOString();
      if (groupId === undefined) {
        groupId = groupIds.size + 1;
        groupIds.set(d.groupId, groupId);
        groups.push({ id: groupId, first_seen_at: iso, last_seen_at: iso, representative_item_id: id, headline: item.headline, item_count: 0, provider_count: 0 });
      }
      items.push({ id, ...itemRow(item, providerIds[i % PROVIDERS]!, groupId) });
      const bucket = partitionOf(Number(item.time));
      prints.push({ item_id: id, group_id: groupId, at: iso, bucket, shingles: signatureToBuffer(d.fingerprint.shingles), signature: signatureToBuffer(d.fingerprint.signature) });
      for (const band_key of bandKeys(d.fingerprint.signature)) bands.push({ band_key, bucket, item_id: id });
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < groups.length; i += 2000) await trx.insertInto('wire_groups').values(groups.slice(i, i + 2000)).execute();
      for (let i = 0; i < items.length; i += 1000) await trx.insertInto('wire_items').values(items.slice(i, i + 1000)).execute();
      for (let i = 0; i < prints.length; i += 1000) await trx.insertInto('wire_item_fingerprints').values(prints.slice(i, i + 1000)).execute();
      await stageBands(trx, dialect, bands);
    });
    bandRows += bands.length;
  }
  await loadBands(db);
  // Counts and activity from the rows themselves, as grouping at ingest would have left them.
  await sql`update wire_groups set
      item_count = (select count(*) from wire_items i where i.group_id = wire_groups.id),
      provider_count = (select count(distinct provider_id) from wire_items i where i.group_id = wire_groups.id),
      last_seen_at = (select max(received_at) from wire_items i where i.group_id = wire_groups.id)`.execute(db);
  if (dialect === 'postgres') {
    for (const table of ['wire_groups', 'wire_items']) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db);
    // What autovacuum does to an insert-heavy table soon enough: the visibility map set, so band lookups are index-only scans.
    await sql`vacuum analyze`.execute(db);
  } else {
    await sql`analyze`.execute(db);
  }
  return bandRows;
}

export async function runGroupingDbBench(dialect: 'sqlite' | 'postgres', serverUrl: string | undefined): Promise<GroupingDbResult> {
  const storedItems = num('BENCH_GROUPING_ITEMS', 100_000);
  const queries = num('BENCH_GROUPING_QUERIES', 2_000);
  const fresh = await freshDb(serverUrl);
  try {
    const db = fresh.db.kysely;
    const now = () => new Date();
    const wires = createWireService({ db, events: new EventBus(), now });
    const providerIds: number[] = [];
    for (let p = 0; p < PROVIDERS; p++) providerIds.push((await wires.createProvider({ name: `p${p}`, credit: `Agency ${p}`, format: 'ninjs', transport: 'push' })).provider.id);
    const g = generator(20261129, 30);
    const t0 = performance.now();
    const bandRows = await seedGrouped(db, fresh.db.dialect, providerIds, storedItems, g);
    const seedSeconds = (performance.now() - t0) / 1000;
    console.log(`  [${dialect}] ${storedItems.toLocaleString('en')} grouped items, ${bandRows.toLocaleString('en')} band rows stored in ${seedSeconds.toFixed(1)} s`);

    const grouping = createGroupingService({ db, now });
    const times: number[] = [];
    const lookups: number[] = [];
    let candidates = 0;
    let rewritesGrouped = 0;
    let newGrouped = 0;
    for (let q = -100; q < queries; q++) {
      const isRewrite = q % 2 === 0;
      const source = g.itemAt(Math.floor(g.rand() * storedItems));
      const item: GroupableItem = isRewrite
        ? { id: 0, guid: `q${q}`, provider: 'bench', time: Number(source.time) + 3600_000, headline: g.rewrite(source.headline), text: g.rewrite(source.text) }
        : { id: 0, guid: `q${q}`, provider: 'bench', time: Number(source.time), headline: g.words(8), text: g.words(70) };
      const providerId = providerIds[(q + 100) % PROVIDERS]!;
      await db.transaction().execute(async (trx) => {
        const { id } = await trx.insertInto('wire_items').values(itemRow(item, providerId, null)).returning('id').executeTakeFirstOrThrow();
        // The candidate lookup alone (band keys → candidates' fingerprints), then the whole grouping step.
        const fp = fingerprint(item);
        const l0 = performance.now();
        const found = await groupStore.candidates(trx, bandKeys(fp.signature), partitionsAround(Number(item.time)));
        if (q >= 0) lookups.push(performance.now() - l0);
        if (found.length < 0) throw new Error('unreachable');
        const started = performance.now();
        const d = await grouping.onStored({ trx, providerId, itemId: id, isNew: true, item: wireItem(item) });
        // The first hundred warm the JIT and the database's caches.
        if (q < 0) return;
        times.push(performance.now() - started);
        candidates += d.kind === 'version' ? 0 : d.candidates;
        if (d.kind === 'similar') {
          if (isRewrite) rewritesGrouped++;
          else newGrouped++;
        }
      });
    }
    times.sort((a, b) => a - b);
    lookups.sort((a, b) => a - b);
    const ms = (x: number) => Math.round(x * 1000) / 1000;
    return {
      target: 'wire-grouping-db', dialect, storedItems, bandRows, seedSeconds: Math.round(seedSeconds * 10) / 10, queries,
      p50Ms: ms(percentile(times, 50)), p99Ms: ms(percentile(times, 99)), meanMs: ms(times.reduce((a, b) => a + b, 0) / times.length),
      lookupP50Ms: ms(percentile(lookups, 50)), lookupP99Ms: ms(percentile(lookups, 99)),
      meanCandidates: Math.round(candidates / queries),
      rewritesGrouped: Math.round((rewritesGrouped / Math.ceil(queries / 2)) * 1000) / 1000,
      newGrouped: Math.round((newGrouped / Math.floor(queries / 2)) * 1000) / 1000,
    };
  } finally {
    await fresh.drop();
  }
}

export async function runIngestBench(dialect: 'sqlite' | 'postgres', serverUrl: string | undefined): Promise<IngestResult> {
  const count = num('BENCH_INGEST_ITEMS', 10_000);
  const concurrency = num('BENCH_INGEST_CONCURRENCY', 8);
  const fresh = await freshDb(serverUrl);
  let app: App | undefined;
  try {
    const config = loadConfig({ DISPATCH_DATA: fresh.dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1' });
    app = await buildApp({ config, db: fresh.db, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const { secret } = await app.deps.wires.createProvider({ name: 'bench-agency', credit: 'Bench Agency', format: 'ninjs', transport: 'push' });
    const g = generator(20261204, 30);
    const docs = Array.from({ length: count }, (_, i) => {
      const item = g.itemAt(i);
      return JSON.stringify({
        uri: `urn:bench:${i}`, version: '1', versioncreated: new Date(Number(item.time)).toISOString(), headline: item.headline,
        body_text: item.text, language: 'en', urgency: 1 + (i % 8),
      });
    });
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < docs.length) {
        const body = docs[next++]!;
        const ts = Math.floor(Date.now() / 1000);
        const t0 = performance.now();
        const res = await fetch(`${base}/api/wires/bench-agency`, {
          method: 'POST', body,
          headers: { 'content-type': 'application/ninjs+json', 'x-dispatch-timestamp': String(ts), 'x-dispatch-signature': signPush(secret!, ts, body) },
        });
        const counts = (await res.json()) as { stored?: number };
        latencies.push(performance.now() - t0);
        if (res.status !== 200 || counts.stored !== 1) failures++;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const groups = Number((await sql<{ n: number | string }>`select count(*) as n from wire_groups`.execute(fresh.db.kysely)).rows[0]!.n);
    return {
      target: 'wire-ingest', dialect, items: count, concurrency, seconds: Math.round(seconds * 10) / 10, itemsPerSecond: Math.round(count / seconds),
      p50Ms: Math.round(percentile(latencies, 50) * 10) / 10, p99Ms: Math.round(percentile(latencies, 99) * 10) / 10, groups, failures,
    };
  } finally {
    await app?.close().catch(() => undefined);
    await fresh.drop();
  }
}

export function formatGroupingDb(r: GroupingDbResult): string {
  return `wire grouping through ${r.dialect} at ${r.storedItems.toLocaleString('en')} stored items (${r.bandRows.toLocaleString('en')} band rows): `
    + `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, mean ${r.meanMs} ms per item (${r.meanCandidates} candidates on average; their lookup alone p50 ${r.lookupP50Ms} ms, p99 ${r.lookupP99Ms} ms); `
    + `rewrites grouped ${(r.rewritesGrouped * 100).toFixed(1)}%, new stories wrongly grouped ${(r.newGrouped * 100).toFixed(1)}%; seeded in ${r.seedSeconds} s`;
}

export function formatIngest(r: IngestResult): string {
  return `wire ingest through the push endpoint on ${r.dialect}: ${r.items.toLocaleString('en')} signed ninjs items in ${r.seconds} s = ${r.itemsPerSecond} items/s `
    + `(${r.concurrency} in flight; p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms per push; ${r.groups.toLocaleString('en')} wire stories; ${r.failures} failures)`;
}

/** Both benchmarks on each database asked for. */
export async function runWireDbBenches(targets: { grouping: boolean; ingest: boolean }, pgUrl: string | undefined): Promise<Array<GroupingDbResult | IngestResult>> {
  const only = process.env.BENCH_ONLY;
  const dbs: Array<['sqlite' | 'postgres', string | undefined]> = [];
  if (only !== 'postgres') dbs.push(['sqlite', undefined]);
  if (pgUrl && only !== 'sqlite') dbs.push(['postgres', pgUrl]);
  const out: Array<GroupingDbResult | IngestResult> = [];
  for (const [dialect, url] of dbs) {
    if (targets.grouping) {
      const r = await runGroupingDbBench(dialect, url);
      console.log(formatGroupingDb(r));
      out.push(r);
    }
    if (targets.ingest) {
      const r = await runIngestBench(dialect, url);
      console.log(formatIngest(r));
      out.push(r);
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pgUrl = process.env.BENCH_DATABASE_URL?.trim() || undefined;
  runWireDbBenches({ grouping: true, ingest: true }, pgUrl)
    .then((rs) => { for (const r of rs) console.log(JSON.stringify(r)); })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.stack ?? err.message : String(err));
      process.exitCode = 1;
    });
}
