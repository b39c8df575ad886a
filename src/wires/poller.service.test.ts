import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { EventBus } from '../platform/events.js';
import { createWireService, type WireService } from './wire.service.js';
import { createWirePoller, type WirePoller } from './poller.js';
import { wireFolder } from './transports/folder.js';
import { DEMO_PROVIDERS, readDemoFeed } from './demo/index.js';

let t: TestDb;
let wires: WireService;
let poller: WirePoller;
let clock = new Date('2026-04-20T12:00:00Z');
let server: http.Server;
let base: string;
/** What the feed server answers next: 'feed' (with an ETag), or a failure status. */
let mode: 'feed' | 500 = 'feed';
const requests: Array<{ ifNoneMatch: string | undefined }> = [];
const northwind = DEMO_PROVIDERS.find((p) => p.format === 'rss')!;

beforeAll(async () => {
  t = await createTestDb();
  wires = createWireService({ db: t.db.kysely, events: new EventBus(), now: () => clock });
  server = http.createServer((req, res) => {
    requests.push({ ifNoneMatch: req.headers['if-none-match'] });
    if (mode !== 'feed') return void res.writeHead(mode).end('down');
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(readDemoFeed(northwind));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
  // 127.0.0.1 is refused by the fetcher unless an operator allowlists it, as here.
  poller = createWirePoller({ wires, now: () => clock, dataDir: t.dataDir, fetchAllowHosts: [`127.0.0.1:${port}`], onError: (err) => { throw err; } });
});
afterAll(async () => {
  server?.close();
  await t?.destroy();
});

const later = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));

describe('HTTP polling', () => {
  it('polls a due feed, then asks with its ETag and stores nothing twice; a failure backs off and shows on the status', async () => {
    const { provider } = await wires.createProvider({ name: 'northwind', credit: 'Northwind', format: 'rss', transport: 'http', url: `${base}/feed.rss`, intervalSeconds: 60 });
    const [first] = await poller.runDueNow();
    expect(first).toMatchObject({ provider: 'northwind', ok: true, counts: { stored: 3 } });
    expect(await poller.runDueNow()).toEqual([]); // not due again before its interval

    later(61);
    const [second] = await poller.runDueNow();
    expect(second).toMatchObject({ ok: true, notModified: true, counts: { stored: 0 } });
    expect(requests.at(-1)!.ifNoneMatch).toBe('"v1"');

    mode = 500;
    later(61);
    const [failed] = await poller.runDueNow();
    expect(failed).toMatchObject({ ok: false, error: { code: 'http' } });
    let status = await wires.providerStatus(provider.id);
    expect(status).toMatchObject({ consecutive_failures: 1, last_error_code: 'http', itemsLastHour: 3 });
    expect(status.last_error_message).toMatch(/HTTP 500/);
    expect(Date.parse(status.next_poll_at) - clock.getTime()).toBe(120_000); // twice the interval
    later(61);
    expect(await poller.runDueNow()).toEqual([]); // backing off
    later(60);
    await poller.runDueNow();
    status = await wires.providerStatus(provider.id);
    expect(Date.parse(status.next_poll_at) - clock.getTime()).toBe(240_000);

    mode = 'feed';
    later(240);
    expect((await poller.runDueNow())[0]).toMatchObject({ ok: true });
    status = await wires.providerStatus(provider.id);
    expect(status).toMatchObject({ consecutive_failures: 0, last_success_at: clock.toISOString() });
    expect(await t.db.kysely.selectFrom('wire_items').select('id').where('provider_id', '=', provider.id).execute()).toHaveLength(3);
  });

  it('lets one of two pollers claim a due provider', async () => {
    const other = createWirePoller({ wires, now: () => clock, dataDir: t.dataDir, fetchAllowHosts: [], onError: () => {} });
    later(3600);
    const [a, b] = await Promise.all([poller.runDueNow(), other.runDueNow()]);
    expect(a.length + b.length).toBe(1);
  });

  it('refuses a feed on 127.0.0.1 that is not allowlisted, with the fetcher\'s reason on the status', async () => {
    const strict = createWirePoller({ wires, now: () => clock, dataDir: t.dataDir, fetchAllowHosts: [], onError: () => {} });
    const { provider } = await wires.createProvider({ name: 'sneaky', credit: 'X', format: 'rss', transport: 'http', url: `${base}/feed.rss` });
    const result = await strict.pollNow(provider);
    expect(result).toMatchObject({ ok: false, error: { code: 'address' } });
    expect((await wires.providerStatus(provider.id)).last_error_code).toBe('address');
  });
});

describe('the watched folder', () => {
  it('ingests dropped files, moving each to done/ or failed/ once its items are stored', async () => {
    const { provider } = await wires.createProvider({ name: 'meridian', credit: 'Meridian Press', format: 'auto', transport: 'folder' });
    const dirs = wireFolder(t.dataDir, 'meridian');
    fs.mkdirSync(dirs.incoming, { recursive: true });
    fs.writeFileSync(path.join(dirs.incoming, '001-meridian.json'), readDemoFeed(DEMO_PROVIDERS[0]!));
    fs.writeFileSync(path.join(dirs.incoming, '002-broken.xml'), '<nitf><body>');
    fs.writeFileSync(path.join(dirs.incoming, '003-still-writing.json.part'), '{');
    const result = await poller.pollNow(provider);
    expect(result).toMatchObject({ ok: true, files: { done: 1, failed: 1 }, counts: { stored: 3, updated: 2, quarantined: 1 } });
    expect(fs.readdirSync(dirs.incoming)).toEqual(['003-still-writing.json.part']);
    expect(fs.readdirSync(dirs.done)).toEqual(['001-meridian.json']);
    expect(fs.readdirSync(dirs.failed)).toEqual(['002-broken.xml']);

    // The same file dropped again: stored once, still moved to done/.
    fs.writeFileSync(path.join(dirs.incoming, '001-meridian.json'), readDemoFeed(DEMO_PROVIDERS[0]!));
    expect(await poller.pollNow(provider)).toMatchObject({ files: { done: 1, failed: 0 }, counts: { stored: 0, duplicates: 5 } });
    expect(fs.readdirSync(dirs.done)).toHaveLength(2);
  });
});
