import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDrainState, createShutdown, type ShutdownOptions } from './shutdown.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A plain Node server whose /slow answers when the test says so. */
async function serverWithSlowRoute() {
  const pending: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') pending.push(res);
    else res.end('fast');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const arrived = async (n: number) => {
    while (pending.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return { server, port, pending, arrived };
}

function request(port: number, path: string, agent?: http.Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    }).on('error', reject);
  });
}

function setup(server: http.Server, overrides: Partial<ShutdownOptions> = {}) {
  const calls: string[] = [];
  const exits: number[] = [];
  const drain = createDrainState();
  const shutdown = createShutdown({
    server, drain, timeoutMs: 2_000, delayMs: 0, log: quiet,
    close: async () => void calls.push('close'),
    flushLogs: () => void calls.push('flush'),
    exit: (code) => void exits.push(code),
    sweepIntervalMs: 20,
    ...overrides,
  });
  return { shutdown, drain, calls, exits };
}

let open: http.Server | undefined;
afterEach(() => {
  open?.closeAllConnections();
  open?.close();
  open = undefined;
});

describe('createShutdown', () => {
  it('drains: refuses new connections, lets the request in progress finish, then closes and exits 0', async () => {
    const s = await serverWithSlowRoute();
    open = s.server;
    const { shutdown, drain, calls, exits } = setup(s.server);
    const inFlight = request(s.port, '/slow');
    await s.arrived(1);

    shutdown('SIGTERM');
    expect(drain.draining).toBe(true);
    await expect(request(s.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(calls).toEqual([]); // nothing is closed while a request is in progress

    s.pending[0]!.end('done');
    expect(await inFlight).toMatchObject({ status: 200, body: 'done' });
    expect(await shutdown.done).toBe(0);
    expect(calls).toEqual(['close', 'flush']);
    expect(exits).toEqual([0]);
  });

  it('closes an idle keep-alive connection promptly instead of waiting for its timeout', async () => {
    const s = await serverWithSlowRoute();
    open = s.server;
    s.server.keepAliveTimeout = 60_000;
    const agent = new http.Agent({ keepAlive: true });
    await request(s.port, '/', agent);
    const started = Date.now();
    const { shutdown } = setup(s.server);
    shutdown('SIGTERM');
    expect(await shutdown.done).toBe(0);
    expect(Date.now() - started).toBeLessThan(500);
    agent.destroy();
  });

  it('keeps accepting during the delay, then stops', async () => {
    const s = await serverWithSlowRoute();
    open = s.server;
    const { shutdown } = setup(s.server, { delayMs: 200 });
    shutdown('SIGTERM');
    expect((await request(s.port, '/')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 250));
    await expect(request(s.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await shutdown.done).toBe(0);
  });

  it('at the deadline cuts what is left and exits 1 without waiting for the rest to close', async () => {
    const s = await serverWithSlowRoute();
    open = s.server;
    const { shutdown, calls } = setup(s.server, { timeoutMs: 150 });
    const inFlight = request(s.port, '/slow');
    await s.arrived(1);
    const started = Date.now();
    shutdown('SIGTERM');
    expect(await shutdown.done).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(inFlight).rejects.toThrow();
    expect(calls).toEqual(['flush']);
  });

  it('a second signal exits 1 at once', async () => {
    const s = await serverWithSlowRoute();
    open = s.server;
    const { shutdown } = setup(s.server, { timeoutMs: 10_000 });
    const inFlight = request(s.port, '/slow').catch((err: Error) => err);
    await s.arrived(1);
    shutdown('SIGTERM');
    shutdown('SIGINT');
    expect(await shutdown.done).toBe(1);
    expect(await inFlight).toBeInstanceOf(Error);
  });

  it('exits 1 when closing the app or the database fails', async () => {
    const s = await serverWithSlowRoute();
    open = s.server;
    const { shutdown } = setup(s.server, { close: async () => { throw new Error('database would not close'); } });
    shutdown('SIGTERM');
    expect(await shutdown.done).toBe(1);
  });
});
