/**
 * CPU profile of the cache-hit path (not a test): builds the app as bench/run.ts
 * does (demo edition, request logging at info into /dev/null so its cost shows),
 * caches one story and loads it with autocannon for a few seconds.
 *
 *   npx tsx bench/profile-hit.ts hit.cpuprofile   (default: dispatch-hit.cpuprofile in the system temp directory)
 *
 * Only the load is profiled (not start-up); open the file in Chrome's DevTools or speedscope.
 *
 * Environment: PROFILE_SECONDS (5), PROFILE_ENCODING (identity), PROFILE_LOG_LEVEL (info).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDb } from '../src/platform/db/connection.js';
import { migrateToLatest } from '../src/platform/db/migrator.js';
import { seedDemo } from '../src/content/demo.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: object) => Promise<{ requests: { average: number }; latency: { p99: number }; non2xx: number }>;

const seconds = Number(process.env.PROFILE_SECONDS ?? 5);
const encoding = process.env.PROFILE_ENCODING ?? 'identity';
const level = process.env.PROFILE_LOG_LEVEL ?? 'info';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-profile-'));
const db = openDb({ dataDir });
await migrateToLatest(db.kysely, db.dialect);
await seedDemo(db.kysely, dataDir);
const config = loadConfig({ DISPATCH_DATA: dataDir, LOG_LEVEL: level, HOST: '127.0.0.1' });
const app = await buildApp({ config, db, logger: { level, stream: fs.createWriteStream('/dev/null') } });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const story = (await app.deps.content.listArticles({ page: 1, pageSize: 1 })).items[0]!.path;
const first = await fetch(base + story, { headers: { 'accept-encoding': encoding } });
console.log(`${story}: ${first.status}, ${(await first.arrayBuffer()).byteLength} bytes (${encoding})`);
const out = process.argv[2] ?? path.join(os.tmpdir(), 'dispatch-hit.cpuprofile');
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const r = await autocannon({ url: base + story, connections: 50, duration: seconds, workers: 1, headers: { 'accept-encoding': encoding } });
const { profile } = await session.post('Profiler.stop');
fs.writeFileSync(out, JSON.stringify(profile));
session.disconnect();
console.log(`profile: ${out}`);
console.log(`${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`);
await app.close();
await db.close();
fs.rmSync(dataDir, { recursive: true, force: true });
