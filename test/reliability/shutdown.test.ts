import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerSite, type ServerProcess, type ServerSite } from './server.js';

/**
 * What an operator sees when the process is told to stop (SIGTERM, as a
 * container runtime or systemd sends it) and when a client is slow on purpose.
 * Every figure is printed so it can be quoted.
 */
const db = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';

type Outcome = { kind: 'ok' | 'unavailable' | 'other-status'; status: number } | { kind: 'refused' | 'reset'; code: string };

/**
 * A request whose body arrives in two pieces `gapMs` apart (the gap starts
 * once it has a connection), so it is on the server, unfinished, for that long.
 */
function slowPost(agent: http.Agent, server: ServerProcess, gapMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(`${server.url}/api/v1/auth/signout`, {
      method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': '2' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({ kind: status >= 200 && status < 300 ? 'ok' : status === 503 ? 'unavailable' : 'other-status', status });
      });
      res.on('error', () => resolve({ kind: 'reset', code: 'response aborted' }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // Refused: the connection was never made, so the server never saw the request (safe to retry).
      resolve(err.code === 'ECONNREFUSED' ? { kind: 'refused', code: err.code } : { kind: 'reset', code: err.code ?? err.message });
    });
    req.write('{');
    req.on('socket', () => {
      setTimeout(() => req.end('}'), gapMs);
    });
  });
}

function tally(outcomes: Outcome[]) {
  const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  return { completed: count('ok'), unavailable503: count('unavailable'), otherStatus: count('other-status'), reset: count('reset'), refused: count('refused') };
}

/** Resolves when the socket is closed by the server, with what the server wrote on it. */
function closedBy(socket: net.Socket): Promise<{ at: number; data: string }> {
  let data = '';
  socket.on('data', (d: Buffer) => (data += d.toString()));
  return new Promise((resolve) => {
    socket.once('close', () => resolve({ at: Date.now(), data }));
  });
}

function rawSocket(server: ServerProcess): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A request whose headers promise 100 bytes of body and which then sends 5 and stalls. */
async function stalledBody(server: ServerProcess) {
  const socket = await rawSocket(server);
  socket.on('error', () => undefined);
  const closed = closedBy(socket);
  socket.write(`POST /api/v1/auth/signout HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`);
  return { socket, closed };
}

/** A keep-alive client that made one request and now sits idle on its connection. */
async function idleKeepAlive(server: ServerProcess): Promise<{ agent: http.Agent; closed: Promise<{ at: number }> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const req = http.get(`${server.url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.socket!));
    });
    req.on('error', reject);
  });
  await new Promise((r) => setTimeout(r, 50));
  expect(socket.destroyed).toBe(false); // still open, idle, in the agent's pool
  return { agent, closed: new Promise((resolve) => socket.once('close', () => resolve({ at: Date.now() }))) };
}

function get(server: ServerProcess, path: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    http.get(`${server.url}${path}`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    }).on('error', reject);
  });
}

/** Waits for the exit, up to `withinMs`; a process still running then is killed and reported as such. */
async function exitAfterSignal(server: ServerProcess, signalledAt: number, withinMs: number) {
  const timeout = new Promise<'still running'>((r) => setTimeout(() => r('still running'), withinMs));
  const result = await Promise.race([server.exited, timeout]);
  if (result === 'still running') {
    server.kill('SIGKILL');
    await server.exited;
    return { code: null, ms: Infinity };
  }
  return { code: result.code, ms: result.at - signalledAt };
}

describe(`shutdown and timeouts on a real server (${db})`, () => {
  // One data directory (and database) for every test, migrated once; each test starts its own server on it.
  let site: ServerSite;
  beforeAll(async () => {
    site = await createServerSite();
  });
  afterAll(async () => {
    await site.destroy();
  });

  it('SIGTERM with 200 requests in flight on keep-alive connections: every request the server received completes, exit 0', async () => {
    const server = await site.start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    // 50 connections; each request stays on the server 400 ms, so at 600 ms the first 50 are done,
    // 50 are half-received on the server and 100 wait in the client's queue for a connection.
    const outcomes = Array.from({ length: 200 }, () => slowPost(agent, server, 400));
    await new Promise((r) => setTimeout(r, 600));
    const signalledAt = Date.now();
    server.kill('SIGTERM');
    const results = await Promise.all(outcomes);
    const exit = await exitAfterSignal(server, signalledAt, 15_000);
    agent.destroy();
    const t = tally(results);
    console.log(`[${db}] SIGTERM with 200 requests in flight: ${t.completed} completed (2xx), ${t.unavailable503} answered 503, ${t.reset} reset or cut, ${t.refused} refused before reaching the server (connection refused, safe to retry), ${t.otherStatus} other; exit ${exit.code} after ${exit.ms} ms`);
    expect(t.unavailable503).toBe(0);
    expect(t.reset).toBe(0);
    expect(t.otherStatus).toBe(0);
    // The 50 half-received at the signal (and the 50 before them) all finished.
    expect(t.completed).toBeGreaterThanOrEqual(100);
    expect(t.completed + t.refused).toBe(200);
    expect(exit.code).toBe(0);
  });

  it('slow clients are cut: a stalled body after REQUEST_TIMEOUT_MS, headers sent byte by byte after HEADERS_TIMEOUT_MS; at SIGTERM neither they nor an idle keep-alive client hold the process', async () => {
    const server = await site.start({ REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1000', SHUTDOWN_TIMEOUT_MS: '10000' });
    await slowLoris(server);
    await idleAndStalledAtSigterm(server);
  });

  it('a request that outlives the deadline is cut and the process exits 1 at the deadline', async () => {
    const server = await site.start({ SHUTDOWN_TIMEOUT_MS: '1500' }); // default request timeout (30 s) is longer
    const stalled = await stalledBody(server);
    await new Promise((r) => setTimeout(r, 200));
    const signalledAt = Date.now();
    server.kill('SIGTERM');
    const exit = await exitAfterSignal(server, signalledAt, 10_000);
    stalled.socket.destroy();
    console.log(`[${db}] SIGTERM with a stalled body and SHUTDOWN_TIMEOUT_MS=1500: exit ${exit.code} after ${exit.ms} ms`);
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeGreaterThanOrEqual(1_400);
    expect(exit.ms).toBeLessThan(3_500);
  });

  it('/readyz answers 503 as soon as draining starts, /healthz stays 200, answers carry Connection: close; a second signal exits at once', async () => {
    const server = await site.start({ SHUTDOWN_DELAY_MS: '3000', SHUTDOWN_TIMEOUT_MS: '20000' });
    expect((await get(server, '/readyz')).status).toBe(200);
    const signalledAt = Date.now();
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));
    const ready = await get(server, '/readyz');
    const live = await get(server, '/healthz');
    console.log(`[${db}] ${Date.now() - signalledAt} ms after SIGTERM (SHUTDOWN_DELAY_MS=3000): /readyz ${ready.status}, /healthz ${live.status} (Connection: ${live.connection})`);
    expect(ready.status).toBe(503);
    expect(live).toEqual({ status: 200, connection: 'close' });

    const secondAt = Date.now();
    server.kill('SIGINT');
    const exit = await exitAfterSignal(server, secondAt, 5_000);
    console.log(`[${db}] second signal during draining: exit ${exit.code} after ${exit.ms} ms`);
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(1_000);
  });
});

/** Slow-loris on a server with REQUEST_TIMEOUT_MS=2000 and HEADERS_TIMEOUT_MS=1000. */
async function slowLoris(server: ServerProcess) {
  const startedBody = Date.now();
  const body = await stalledBody(server);

  const trickle = await rawSocket(server);
  trickle.on('error', () => undefined);
  const trickleClosed = closedBy(trickle);
  const startedHeaders = Date.now();
  const headers = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'x'.repeat(200)}\r\n\r\n`;
  let i = 0;
  const drip = setInterval(() => {
    if (i < headers.length && !trickle.destroyed) trickle.write(headers[i++]!);
  }, 50);

  const cut = (p: Promise<{ at: number; data: string }>) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), 6_000))]);
  const [bodyCut, headersCut] = await Promise.all([cut(body.closed), cut(trickleClosed)]);
  clearInterval(drip);
  body.socket.destroy();
  trickle.destroy();
  console.log(`[${db}] slow-loris (REQUEST_TIMEOUT_MS=2000, HEADERS_TIMEOUT_MS=1000): stalled body cut after ${bodyCut ? `${bodyCut.at - startedBody} ms (${bodyCut.data.split('\r\n')[0] || 'closed'})` : 'more than 6000 ms (still open)'}; headers byte by byte cut after ${headersCut ? `${headersCut.at - startedHeaders} ms, ${i} of ${headers.length} bytes sent (${headersCut.data.split('\r\n')[0] || 'closed'})` : 'more than 6000 ms (still open)'}`);
  expect(bodyCut).not.toBeNull();
  expect(bodyCut!.at - startedBody).toBeLessThan(3_500);
  expect(bodyCut!.data).toMatch(/^(HTTP\/1\.1 408|$)/);
  expect(headersCut).not.toBeNull();
  expect(headersCut!.at - startedHeaders).toBeLessThan(2_500);
  expect(i).toBeLessThan(headers.length);
}

/** An idle keep-alive client and a stalled body open at SIGTERM, on a server with REQUEST_TIMEOUT_MS=2000. */
async function idleAndStalledAtSigterm(server: ServerProcess) {
  const idle = await idleKeepAlive(server);
  const stalled = await stalledBody(server);
  await new Promise((r) => setTimeout(r, 200));
  const signalledAt = Date.now();
  server.kill('SIGTERM');
  const exit = await exitAfterSignal(server, signalledAt, 12_000);
  const idleClosed = await Promise.race([idle.closed, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
  const stalledClosed = await Promise.race([stalled.closed, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
  idle.agent.destroy();
  stalled.socket.destroy();
  console.log(`[${db}] SIGTERM with an idle keep-alive client and a stalled body open (REQUEST_TIMEOUT_MS=2000, SHUTDOWN_TIMEOUT_MS=10000): exit ${exit.code} after ${exit.ms} ms; idle connection closed ${idleClosed ? `${idleClosed.at - signalledAt} ms` : 'never'} after the signal; stalled body cut ${stalledClosed ? `${stalledClosed.at - signalledAt} ms after the signal (${stalledClosed.data.split('\r\n')[0] || 'no answer'})` : 'never'}`);
  expect(exit.code).toBe(0);
  expect(exit.ms).toBeLessThan(5_000);
  expect(idleClosed && idleClosed.at - signalledAt).toBeLessThan(1_000);
  expect(stalledClosed).not.toBeNull();
}
