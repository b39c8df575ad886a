/**
 * Exactly once across a crash: a real `dispatch serve` ingests a large batch
 * dropped into a provider's watched folder, is SIGKILLed half-way, and is
 * started again. The file stays in incoming/ until its items are committed,
 * the restarted server reads it again, and every item is stored once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/platform/db/connection.js';
import { countRows } from '../helpers/db.js';
import { createServerSite, type ServerSite } from './server.js';

const TOTAL = 3000;
let site: ServerSite;
let db: Db;

beforeAll(async () => {
  site = await createServerSite();
  const env: NodeJS.ProcessEnv = { ...process.env, DISPATCH_DATA: site.dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  if (site.databaseUrl) env.DATABASE_URL = site.databaseUrl;
  const add = spawnSync(process.execPath, ['--import', 'tsx', 'bin/dev.ts', 'wires', 'add', 'bulk', '--credit', 'Agencies', '--format', 'ninjs', '--transport', 'folder', '--interval', '5'], { env, encoding: 'utf8', timeout: 60_000 });
  expect(add.stderr).toBe('');
  db = openDb({ databaseUrl: site.databaseUrl, dataDir: site.dataDir });
});
afterAll(async () => {
  await db?.close();
  await site?.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('wire ingest across a SIGKILL', () => {
  it('stores every item of a batch exactly once when the server is killed mid-batch and restarted', async () => {
    const incoming = path.join(site.dataDir, 'wires', 'bulk', 'incoming');
    const done = path.join(site.dataDir, 'wires', 'bulk', 'done');
    fs.mkdirSync(incoming, { recursive: true });
    const items = Array.from({ length: TOTAL }, (_, i) => ({ uri: `urn:bulk:${i}`, version: '1', headline: `Bulk item ${i}`, body_text: `Item ${i}.` }));
    // Written under a partial name and renamed, as an agency's uploader should.
    fs.writeFileSync(path.join(incoming, '.batch.json'), JSON.stringify(items));
    fs.renameSync(path.join(incoming, '.batch.json'), path.join(incoming, 'batch.json'));

    const first = await site.start({ WIRE_LEASE_SECONDS: '3' });
    let seen = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      seen = await countRows(db.kysely, 'wire_items');
      if (seen >= 50) break;
      await sleep(10);
    }
    first.kill('SIGKILL');
    await first.exited;
    const atKill = await countRows(db.kysely, 'wire_items');
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(TOTAL); // killed mid-batch
    expect(fs.existsSync(path.join(incoming, 'batch.json'))).toBe(true); // not moved before its items were stored

    // The killed process's claim on the provider lapses after WIRE_LEASE_SECONDS (60 by default; 3 here).
    const second = await site.start({ WIRE_LEASE_SECONDS: '3' });
    const until = Date.now() + 100_000;
    while (Date.now() < until && !fs.existsSync(path.join(done, 'batch.json'))) await sleep(200);
    expect(fs.existsSync(path.join(done, 'batch.json')), second.output()).toBe(true);
    expect(await countRows(db.kysely, 'wire_items')).toBe(TOTAL);
    expect(await countRows(db.kysely, 'wire_item_versions')).toBe(TOTAL);
    expect(await countRows(db.kysely, 'wire_quarantine')).toBe(0);
    second.kill('SIGTERM');
    await second.exited;
  }, 200_000);
});
