import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchRefused, dispatchUserAgent, isReservedAddress, safeFetch } from './safe-fetch.js';

interface TestServer {
  port: number;
  /** `127.0.0.1:<port>`, for allowHosts. */
  host: string;
  url: string;
  /** TCP connections the server accepted. */
  connections: number;
  requests: http.IncomingMessage[];
  /** Resolves when the first connection closes. */
  firstClose: Promise<void>;
}

const servers: http.Server[] = [];

async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    state.requests.push(req);
    handler(req, res);
  });
  let closed!: () => void;
  const state: TestServer = { port: 0, host: '', url: '', connections: 0, requests: [], firstClose: new Promise<void>((r) => { closed = r; }) };
  server.on('connection', (socket) => {
    state.connections++;
    socket.on('close', closed);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.host = `127.0.0.1:${state.port}`;
  state.url = `http://${state.host}`;
  return state;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => {
    s.closeAllConnections();
    s.close(resolve);
  })));
});

/** A resolver in the shape of dns.lookup that answers from a table; a list of answers is handed out one per lookup. */
function fakeLookup(table: Record<string, string | string[]>): net.LookupFunction & { calls: string[] } {
  const served = new Map<string, number>();
  const calls: string[] = [];
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => void) => {
    const answers = table[hostname];
    if (answers === undefined) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      process.nextTick(() => callback(err, undefined));
      return;
    }
    const n = served.get(hostname) ?? 0;
    served.set(hostname, n + 1);
    const address = Array.isArray(answers) ? answers[Math.min(n, answers.length - 1)]! : answers;
    calls.push(`${hostname}=${address}`);
    const family = address.includes(':') ? 6 : 4;
    process.nextTick(() => (options.all ? callback(null, [{ address, family }]) : callback(null, address, family)));
  }) as net.LookupFunction & { calls: string[] };
  lookup.calls = calls;
  return lookup;
}

async function refusal(promise: Promise<unknown>): Promise<FetchRefused> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchRefused);
    return err as FetchRefused;
  }
  throw new Error('expected the fetch to be refused');
}

function redirectTo(location: string) {
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(302, { location });
    res.end();
  };
}

describe('isReservedAddress', () => {
  it.each([
    '0.0.0.0', '0.1.2.3', '10.0.0.1', '100.64.0.1', '100.127.255.254', '127.0.0.1', '127.8.8.8', '169.254.169.254', '172.16.0.1', '172.31.255.255',
    '192.0.0.8', '192.0.2.1', '192.168.1.20', '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250',
    '240.0.0.1', '255.255.255.255',
    '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:169.254.169.254',
    '64:ff9b::7f00:1', '64:ff9b::a00:1', '2001:db8::1', '::7f00:1', 'not-an-address',
  ])('refuses %s', (address) => {
    expect(isReservedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:93.184.216.34', '64:ff9b::808:808'])('lets %s through', (address) => {
    expect(isReservedAddress(address)).toBe(false);
  });
});

describe('safeFetch', () => {
  it('fetches a page from an allowlisted host and returns its body, validators and final URL', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Tue, 02 Jun 2026 08:00:00 GMT' });
      res.end('<rss/>');
    });
    const result = await safeFetch(`${server.url}/feed.xml`, { allowHosts: [server.host], userAgent: dispatchUserAgent('https://news.example.com'), headers: { 'X-Agency-Key': 'k1' } });
    expect(result).toMatchObject({ status: 200, finalUrl: `${server.url}/feed.xml`, notModified: false, etag: '"v1"', lastModified: 'Tue, 02 Jun 2026 08:00:00 GMT' });
    expect(result.headers['content-type']).toBe('application/rss+xml');
    expect(result.body.toString()).toBe('<rss/>');
    expect(server.requests[0]!.headers['user-agent']).toMatch(/^Dispatch\/\d+\.\d+\.\d+ \(\+https:\/\/news\.example\.com\)$/);
    expect(server.requests[0]!.headers['x-agency-key']).toBe('k1');
  });

  it('lets an allowlisted host through on any port when the entry names no port', async () => {
    const server = await startServer((_req, res) => res.end('gateway'));
    const lookup = fakeLookup({ 'gateway.agency.internal': '127.0.0.1' });
    const byName = await safeFetch(`http://gateway.agency.internal:${server.port}/`, { allowHosts: ['Gateway.Agency.Internal'], lookup });
    expect(byName.body.toString()).toBe('gateway');
    const byAddress = await safeFetch(`${server.url}/`, { allowHosts: ['127.0.0.1'] });
    expect(byAddress.body.toString()).toBe('gateway');
    const otherPort = await refusal(safeFetch(`${server.url}/`, { allowHosts: [`127.0.0.1:${server.port + 1}`] }));
    expect(otherPort.code).toBe('address');
  });

  it('refuses 127.0.0.1 when it is not allowlisted, without connecting', async () => {
    const server = await startServer((_req, res) => res.end('secret'));
    const err = await refusal(safeFetch(`${server.url}/`));
    expect(err.code).toBe('address');
    expect(err.message).toBe(`Refused to connect to 127.0.0.1: loopback, private and reserved addresses are not fetched (${server.url}/)`);
    expect(server.connections).toBe(0);
  });

  it('refuses a redirect to 127.0.0.1 on another port (the allowlist names host and port)', async () => {
    const inside = await startServer((_req, res) => res.end('admin panel'));
    const server = await startServer(redirectTo(`http://127.0.0.1:${inside.port}/admin`));
    const err = await refusal(safeFetch(`${server.url}/feed`, { allowHosts: [server.host] }));
    expect(err.code).toBe('address');
    expect(err.message).toContain(`Refused to connect to 127.0.0.1: loopback, private and reserved addresses are not fetched (http://127.0.0.1:${inside.port}/admin)`);
    expect(err.url).toBe(`http://127.0.0.1:${inside.port}/admin`);
    expect(inside.connections).toBe(0);
  });

  it.each(['http://10.0.0.1/', 'http://192.168.1.20:8080/router', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://[::ffff:7f00:1]/', 'http://0x7f000001/'])(
    'refuses a redirect to %s before connecting',
    async (location) => {
      const server = await startServer(redirectTo(location));
      const lookup = fakeLookup({});
      const started = Date.now();
      const err = await refusal(safeFetch(`${server.url}/feed`, { allowHosts: [server.host], lookup, timeoutMs: 5000 }));
      expect(err.code).toBe('address');
      expect(err.message).toMatch(/^Refused to connect to \S+: loopback, private and reserved addresses are not fetched/);
      expect(lookup.calls).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2000);
    },
  );

  it.each(['file:///etc/passwd', 'ftp://ftp.example.com/feed.xml', 'gopher://example.com/', 'data:text/plain,hello'])('refuses a redirect to %s (scheme)', async (location) => {
    const server = await startServer(redirectTo(location));
    const err = await refusal(safeFetch(`${server.url}/feed`, { allowHosts: [server.host] }));
    expect(err.code).toBe('scheme');
    expect(err.message).toMatch(/^Refused (file|ftp|gopher|data): URL .* \(redirected from http:\/\/127\.0\.0\.1:\d+\/feed\): only http and https are fetched$/);
  });

  it('refuses a non-http URL outright', async () => {
    const err = await refusal(safeFetch('file:///etc/passwd'));
    expect(err.code).toBe('scheme');
    expect(err.message).toBe('Refused file: URL file:///etc/passwd: only http and https are fetched');
  });

  it('refuses a hostname that resolves to loopback, first hop or redirect', async () => {
    const inside = await startServer((_req, res) => res.end('secret'));
    const lookup = fakeLookup({ 'evil.test': '127.0.0.1' });
    const direct = await refusal(safeFetch(`http://evil.test:${inside.port}/`, { lookup }));
    expect(direct.code).toBe('address');
    expect(direct.message).toBe(`Refused to connect to evil.test (127.0.0.1): loopback, private and reserved addresses are not fetched (http://evil.test:${inside.port}/)`);

    const server = await startServer(redirectTo(`http://evil.test:${inside.port}/`));
    const redirected = await refusal(safeFetch(`${server.url}/feed`, { allowHosts: [server.host], lookup }));
    expect(redirected.code).toBe('address');
    expect(redirected.message).toContain('evil.test (127.0.0.1)');
    expect(inside.connections).toBe(0);
  });

  // ::7f00:1 (IPv4-compatible 127.0.0.1) is "unicast" to ipaddr.js, so only our own list catches it.
  it.each(['127.0.0.1', '::ffff:127.0.0.1', '::7f00:1'])('refuses a rebinding name whose second answer is %s: the address checked is the one the socket connects to', async (second) => {
    const inside = await startServer((_req, res) => res.end('secret'));
    // First answer public (what a check-then-fetch validator would see), every later answer loopback.
    const lookup = fakeLookup({ 'rebind.test': ['93.184.216.34', second] });
    const err = await refusal(safeFetch(`http://rebind.test:${inside.port}/`, { lookup }));
    expect(lookup.calls).toEqual(['rebind.test=93.184.216.34', `rebind.test=${second}`]);
    expect(err.code).toBe('address');
    expect(err.message).toBe(`Refused to connect to rebind.test (${second}): loopback, private and reserved addresses are not fetched (http://rebind.test:${inside.port}/)`);
    expect(inside.connections).toBe(0);
  });

  it('checks https the same way (its own filtering agent)', async () => {
    const lookup = fakeLookup({ 'rebind.test': ['93.184.216.34', '127.0.0.1'] });
    const err = await refusal(safeFetch('https://rebind.test/feed', { lookup }));
    expect(lookup.calls).toEqual(['rebind.test=93.184.216.34', 'rebind.test=127.0.0.1']);
    expect(err.code).toBe('address');
    expect(err.message).toBe('Refused to connect to rebind.test (127.0.0.1): loopback, private and reserved addresses are not fetched (https://rebind.test/feed)');
  });

  it('refuses a name with a private address among its answers', async () => {
    const lookup = ((_host: string, _opts: unknown, cb: (err: null, a: { address: string; family: number }[]) => void) => {
      process.nextTick(() => cb(null, [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }]));
    }) as unknown as net.LookupFunction;
    const err = await refusal(safeFetch('http://mixed.test/', { lookup }));
    expect(err.code).toBe('address');
    expect(err.message).toContain('mixed.test (10.1.2.3)');
  });

  it('says so when a name does not resolve (dns)', async () => {
    const err = await refusal(safeFetch('http://no-such-agency.test/feed', { lookup: fakeLookup({}) }));
    expect(err.code).toBe('dns');
    expect(err.message).toBe('Could not resolve no-such-agency.test: ENOTFOUND (http://no-such-agency.test/feed)');
  });

  it('refuses at once a body whose Content-Length is over the cap', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(6 * 1024 * 1024) });
      res.write(Buffer.alloc(1024, 'a')); // and never the rest
    });
    const started = Date.now();
    const err = await refusal(safeFetch(`${server.url}/big`, { allowHosts: [server.host], timeoutMs: 10_000 }));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe(`The answer from ${server.host} is larger than the limit of 5 MB (it says 6 MB) (${server.url}/big)`);
    expect(Date.now() - started).toBeLessThan(2000);
    await server.firstClose;
  });

  it('stops reading a body without Content-Length as soon as it passes the cap', async () => {
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' }); // chunked, no length
      timer = setInterval(() => {
        res.write(Buffer.alloc(16 * 1024, 'x'));
        written += 16 * 1024;
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const err = await refusal(safeFetch(`${server.url}/endless`, { allowHosts: [server.host], maxBytes: 256 * 1024, timeoutMs: 10_000 }));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe(`The answer from ${server.host} is larger than the limit of 256 KB (${server.url}/endless)`);
    await server.firstClose; // the connection is dropped, not drained
    clearInterval(timer);
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('applies the cap to the decompressed body (a gzip bomb is refused)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const err = await refusal(safeFetch(`${server.url}/bomb`, { allowHosts: [server.host], maxBytes: 1024 * 1024 }));
    expect(err.code).toBe('too_large');
    expect(err.message).toContain('larger than the limit of 1 MB');
  });

  it('decompresses a gzip body', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync('<feed/>'));
    });
    const result = await safeFetch(server.url, { allowHosts: [server.host] });
    expect(result.body.toString()).toBe('<feed/>');
  });

  it('gives up on a slow server (timeout covers the whole request)', async () => {
    let timer: NodeJS.Timeout | undefined;
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      timer = setInterval(() => res.write('.'), 50); // trickles forever
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const err = await refusal(safeFetch(`${server.url}/slow`, { allowHosts: [server.host], timeoutMs: 400 }));
    clearInterval(timer);
    expect(err.code).toBe('timeout');
    expect(err.message).toBe(`No complete answer from ${server.host} within 0.4 s (${server.url}/slow)`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up on a server that never answers', async () => {
    const server = await startServer(() => undefined);
    const err = await refusal(safeFetch(`${server.url}/silent`, { allowHosts: [server.host], timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
  });

  it('follows 5 redirects and refuses the 6th', async () => {
    const server = await startServer((req, res) => {
      const n = Number(/^\/hop(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
      if (req.url === '/five' && n === 0) return redirectTo('/hop1')(req, res);
      if (n > 0 && n < 5) return redirectTo(`/hop${n + 1}`)(req, res);
      if (req.url === '/hop5' && req.headers['x-chain'] === 'six') return redirectTo('/hop6')(req, res);
      res.end(`landed on ${req.url}`);
    });
    const ok = await safeFetch(`${server.url}/five`, { allowHosts: [server.host] });
    expect(ok.finalUrl).toBe(`${server.url}/hop5`);
    expect(ok.body.toString()).toBe('landed on /hop5');

    const err = await refusal(safeFetch(`${server.url}/five`, { allowHosts: [server.host], headers: { 'x-chain': 'six' } }));
    expect(err.code).toBe('redirects');
    expect(err.message).toBe(`Too many redirects: gave up after 5 at ${server.url}/hop5`);
  });

  it('sends the validators and reports 304 as not modified', async () => {
    const server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"v7"' || req.headers['if-modified-since'] === 'Tue, 02 Jun 2026 08:00:00 GMT') {
        res.writeHead(304, { etag: '"v7"' });
        return res.end();
      }
      res.writeHead(200, { etag: '"v7"', 'last-modified': 'Tue, 02 Jun 2026 08:00:00 GMT' });
      res.end('<rss>fresh</rss>');
    });
    const first = await safeFetch(server.url, { allowHosts: [server.host] });
    expect(first).toMatchObject({ status: 200, notModified: false, etag: '"v7"', lastModified: 'Tue, 02 Jun 2026 08:00:00 GMT' });

    const byEtag = await safeFetch(server.url, { allowHosts: [server.host], etag: first.etag });
    expect(byEtag).toMatchObject({ status: 304, notModified: true, etag: '"v7"' });
    expect(byEtag.body.length).toBe(0);
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v7"');

    const byDate = await safeFetch(server.url, { allowHosts: [server.host], lastModified: first.lastModified });
    expect(byDate.notModified).toBe(true);
    expect(server.requests[2]!.headers['if-modified-since']).toBe('Tue, 02 Jun 2026 08:00:00 GMT');
  });

  it('drops credentials when a redirect leaves the origin, keeps them within it', async () => {
    const other = await startServer((_req, res) => res.end('elsewhere'));
    const server = await startServer((req, res) => {
      if (req.url === '/start') return redirectTo('/same')(req, res);
      if (req.url === '/same') return redirectTo(`${other.url}/away`)(req, res);
      res.end();
    });
    await safeFetch(`${server.url}/start`, { allowHosts: [server.host, other.host], headers: { authorization: 'Bearer agency-token', cookie: 's=1' } });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer agency-token', 'Bearer agency-token']);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers.cookie).toBeUndefined();
  });

  it('reports an HTTP error status as a provider error', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(503);
      res.end('down');
    });
    const err = await refusal(safeFetch(`${server.url}/feed`, { allowHosts: [server.host] }));
    expect(err.code).toBe('http');
    expect(err.status).toBe(503);
    expect(err.message).toBe(`The server answered HTTP 503 Service Unavailable for ${server.url}/feed`);
  });

  it('reports a refused connection', async () => {
    const server = await startServer(() => undefined);
    const url = server.url;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const err = await refusal(safeFetch(`${url}/feed`, { allowHosts: [server.host] }));
    expect(err.code).toBe('http');
    expect(err.message).toBe(`Could not fetch ${url}/feed: ECONNREFUSED`);
  });
});
