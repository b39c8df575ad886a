import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { projectRoot } from './paths.js';

/**
 * The one way Dispatch fetches anything from outside (agency feeds, first of
 * all). A feed URL is typed in by an admin and redirects are chosen by a
 * remote server, so every hop is treated as hostile: only http and https, no
 * loopback, private, link-local or otherwise reserved address (checked on
 * the address the socket actually connects to, so a DNS answer that changes
 * between a check and the connect is caught), at most 5 redirects, one
 * deadline for the whole exchange and a cap on the body.
 *
 * The connect-time check is request-filtering-agent's: its http(s).Agent
 * wraps the lookup of every new socket and refuses a non-unicast answer.
 * Inside that lookup sits our own check (`isReservedAddress`), an explicit
 * list of reserved ranges that also covers what ipaddr.js calls "unicast"
 * but is not a public address (IPv4-compatible ::a.b.c.d).
 */

export type FetchRefusedCode = 'scheme' | 'address' | 'redirects' | 'timeout' | 'too_large' | 'dns' | 'http';

/** A fetch refused or failed; `message` is written to be shown to an editor as the provider's error. */
export class FetchRefused extends Error {
  readonly code: FetchRefusedCode;
  /** The URL of the hop that was refused (after redirects). */
  readonly url: string;
  /** The HTTP status, for code 'http' when the server answered. */
  readonly status: number | undefined;

  constructor(code: FetchRefusedCode, message: string, url: string, status?: number) {
    super(message);
    this.name = 'FetchRefused';
    this.code = code;
    this.url = url;
    this.status = status;
  }
}

export interface SafeFetchOptions {
  /** Deadline for the whole exchange: lookups, every redirect hop and the body. Default 15 000. */
  timeoutMs?: number;
  /** Largest body accepted (after decompression). Default 5 MB. */
  maxBytes?: number;
  /** Redirects followed before refusing. Default (and most) 5. */
  maxRedirects?: number;
  /** Validators from the last fetch, sent as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /** Extra request headers. Authorization and Cookie are dropped when a redirect leaves the origin. */
  headers?: Record<string, string>;
  /** Default `Dispatch/<version>`; use `dispatchUserAgent(siteUrl)` to add the site. */
  userAgent?: string;
  /**
   * Hosts let through although they resolve to a private address (an
   * agency gateway on the office network): `host` (any port) or `host:port`,
   * on any hop. Everything else about the request is still checked.
   */
  allowHosts?: readonly string[];
  /** DNS resolver, in the shape of dns.lookup; for tests and custom resolvers. */
  lookup?: net.LookupFunction;
}

export interface SafeFetchResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Empty when `notModified`. */
  body: Buffer;
  /** The URL of the last hop, after redirects. */
  finalUrl: string;
  /** The server answered 304 to a conditional request: keep what you have. */
  notModified: boolean;
  /** The response's validators, to pass back on the next fetch. */
  etag: string | undefined;
  lastModified: string | undefined;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * Reserved ranges never fetched from, whatever ipaddr.js says. IPv4-mapped
 * and NAT64 forms of IPv4 addresses are refused whole by the agent (ipaddr.js
 * names them ranges of their own); they are unwrapped here as well, so this
 * list stands on its own.
 */
const RESERVED_CIDRS = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.0.0.0/24', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24',
  '224.0.0.0/4', '240.0.0.0/4', '255.255.255.255/32',
  '::/128', '::1/128', '::/96', 'fc00::/7', 'fe80::/10', 'ff00::/8', '2001:db8::/32',
].map((cidr) => ipaddr.parseCIDR(cidr));

/** True for an address no outbound fetch may reach (loopback, private, link-local, reserved, and their IPv6 wrappings). */
export function isReservedAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (v6.match(ipaddr.parseCIDR('64:ff9b::/96'))) parsed = ipaddr.fromByteArray(v6.toByteArray().slice(12));
  }
  const kind = parsed.kind();
  return RESERVED_CIDRS.some(([range, bits]) => range.kind() === kind && parsed.match(range, bits));
}

let cachedVersion: string | undefined;
function dispatchVersion(): string {
  if (cachedVersion === undefined) {
    try {
      cachedVersion = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0';
    } catch {
      cachedVersion = '0';
    }
  }
  return cachedVersion;
}

/** `Dispatch/<version> (+<site url>)`: tells an agency who is polling and where to reach them. */
export function dispatchUserAgent(siteUrl?: string): string {
  return siteUrl ? `Dispatch/${dispatchVersion()} (+${siteUrl})` : `Dispatch/${dispatchVersion()}`;
}

// One connection per request (no keep-alive), so every request's socket goes through the address check.
const filteringAgents = { 'http:': new RequestFilteringHttpAgent({ keepAlive: false }), 'https:': new RequestFilteringHttpsAgent({ keepAlive: false }) };

/** Fetches `url` with GET under the rules above; resolves with the response or throws FetchRefused. */
export async function safeFetch(url: string, opts: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = Math.min(opts.maxRedirects ?? MAX_REDIRECTS, MAX_REDIRECTS);
  const allowHosts = opts.allowHosts ?? [];
  const lookup = opts.lookup ?? (dns.lookup as net.LookupFunction);

  const controller = new AbortController();
  let current = parseUrl(url);
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const deadline = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(timeoutError(current, timeoutMs)), { once: true });
  });
  deadline.catch(() => undefined);

  const headers: Record<string, string> = {
    'user-agent': opts.userAgent ?? dispatchUserAgent(),
    accept: '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name.toLowerCase()] = value;
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

  try {
    for (let redirects = 0; ; redirects++) {
      const allowed = isAllowedHost(current, allowHosts);
      if (!allowed) await Promise.race([checkBeforeConnect(current, lookup), deadline]);

      const res = await Promise.race([send(current, headers, allowed, lookup, controller.signal, timeoutMs), deadline]);
      const status = res.statusCode ?? 0;

      if (REDIRECT_STATUSES.has(status) && res.headers.location) {
        res.destroy();
        if (redirects >= maxRedirects) {
          throw new FetchRefused('redirects', `Too many redirects: gave up after ${maxRedirects} at ${current.href}`, current.href);
        }
        const next = parseUrl(res.headers.location, current);
        if (next.origin !== current.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
        current = next;
        continue;
      }

      const result = { status, headers: res.headers, finalUrl: current.href, etag: header(res, 'etag'), lastModified: header(res, 'last-modified') };
      if (status === 304) {
        res.destroy();
        return { ...result, body: Buffer.alloc(0), notModified: true };
      }
      if (status < 200 || status >= 300) {
        res.destroy();
        throw new FetchRefused('http', `The server answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''} for ${current.href}`, current.href, status);
      }
      const body = await Promise.race([readBody(res, current, maxBytes, controller.signal, timeoutMs), deadline]);
      return { ...result, body, notModified: false };
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function parseUrl(raw: string, base?: URL): URL {
  let u: URL;
  try {
    u = new URL(raw, base);
  } catch {
    throw new FetchRefused('scheme', `Not a valid URL: "${raw.slice(0, 200)}"`, raw.slice(0, 200));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    const where = base ? ` (redirected from ${base.href})` : '';
    throw new FetchRefused('scheme', `Refused ${u.protocol.replace(/:$/, '')}: URL ${u.href}${where}: only http and https are fetched`, u.href);
  }
  return u;
}

function bareHostname(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address, as { host, port }. */
function parseAllowEntry(entry: string): { host: string; port: string | undefined } | undefined {
  const e = entry.trim().toLowerCase();
  if (!e) return undefined;
  if (net.isIPv6(e)) return { host: e, port: undefined };
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(e);
  return m ? { host: (m[1] ?? m[2])!, port: m[3] } : undefined;
}

function isAllowedHost(u: URL, allowHosts: readonly string[]): boolean {
  const hostname = bareHostname(u);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return allowHosts.some((entry) => {
    const allowed = parseAllowEntry(entry);
    return allowed !== undefined && allowed.host === hostname && (allowed.port === undefined || allowed.port === port);
  });
}

function addressRefused(u: URL, address: string): FetchRefused {
  const host = bareHostname(u);
  const what = host === address ? address : `${host} (${address})`;
  return new FetchRefused('address', `Refused to connect to ${what}: loopback, private and reserved addresses are not fetched (${u.href})`, u.href);
}

function timeoutError(u: URL, timeoutMs: number): FetchRefused {
  return new FetchRefused('timeout', `No complete answer from ${u.host} within ${timeoutMs / 1000} s (${u.href})`, u.href);
}

/**
 * Refuses an address literal, or a name whose every answer is reserved,
 * before any socket is opened; this is for a fast, clear refusal only. The
 * check that counts is the one on the socket's own lookup (see `send`).
 */
async function checkBeforeConnect(u: URL, lookup: net.LookupFunction): Promise<void> {
  const host = bareHostname(u);
  if (net.isIP(host)) {
    if (isReservedAddress(host)) throw addressRefused(u, host);
    return;
  }
  const addresses = await new Promise<dns.LookupAddress[]>((resolve, reject) => {
    lookup(host, { all: true }, (err, result) => {
      if (err) reject(dnsError(u, err));
      else resolve(Array.isArray(result) ? result : [{ address: result, family: net.isIP(result) }]);
    });
  });
  const reserved = addresses.find((a) => isReservedAddress(a.address));
  if (reserved) throw addressRefused(u, reserved.address);
}

function dnsError(u: URL, err: NodeJS.ErrnoException): FetchRefused {
  return new FetchRefused('dns', `Could not resolve ${bareHostname(u)}: ${err.code ?? err.message} (${u.href})`, u.href);
}

/** The socket's lookup: our own check inside request-filtering-agent's, on the address the socket will connect to. */
function checkedLookup(u: URL, lookup: net.LookupFunction): net.LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    lookup(hostname, options, (err, address, family) => {
      if (err) return callback(dnsError(u, err), address, family);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const reserved = list.find((a) => isReservedAddress(a));
      if (reserved) return callback(addressRefused(u, reserved), address, family);
      callback(null, address, family);
    });
  }) as net.LookupFunction;
}

function send(u: URL, headers: Record<string, string>, allowed: boolean, lookup: net.LookupFunction, signal: AbortSignal, timeoutMs: number): Promise<http.IncomingMessage> {
  const client = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      method: 'GET',
      protocol: u.protocol,
      hostname: bareHostname(u),
      port: u.port || undefined,
      path: `${u.pathname}${u.search}`,
      auth: u.username ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined,
      headers,
      // An allowlisted host gets a plain agent of its own; everyone else the filtering one.
      agent: allowed ? false : filteringAgents[u.protocol as 'http:' | 'https:'],
      lookup: allowed ? lookup : checkedLookup(u, lookup),
      signal,
    });
    req.on('response', resolve);
    req.on('error', (err: NodeJS.ErrnoException) => reject(transportError(u, err, signal, timeoutMs)));
    req.end();
  });
}

function transportError(u: URL, err: NodeJS.ErrnoException, signal: AbortSignal, timeoutMs: number): FetchRefused {
  if (err instanceof FetchRefused) return err;
  if (signal.aborted) return timeoutError(u, timeoutMs);
  // request-filtering-agent's own refusal (a reserved address our list let through, or an address literal).
  if (/^DNS lookup .* is not allowed/.test(err.message)) {
    const address = /^DNS lookup (\S+?)\(/.exec(err.message)?.[1] ?? bareHostname(u);
    return addressRefused(u, address);
  }
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' || err.code === 'ENODATA') return dnsError(u, err);
  return new FetchRefused('http', `Could not fetch ${u.href}: ${err.code ?? err.message}`, u.href);
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(res: http.IncomingMessage, u: URL, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<Buffer> {
  const tooLarge = (what: string) => new FetchRefused('too_large', `The answer from ${u.host} is larger than the limit of ${formatBytes(maxBytes)}${what} (${u.href})`, u.href);
  const declared = Number(header(res, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge(` (it says ${formatBytes(declared)})`);
  }

  const encoding = (header(res, 'content-encoding') ?? 'identity').trim().toLowerCase();
  let stream: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = res.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = res.pipe(zlib.createInflate());
  else if (encoding === 'br') stream = res.pipe(zlib.createBrotliDecompress());
  else if (encoding !== 'identity') {
    res.destroy();
    throw new FetchRefused('http', `The answer from ${u.host} uses an unknown content encoding "${encoding}" (${u.href})`, u.href);
  }
  // A reset connection reaches the decompressor as an early end; pass the reason on.
  if (stream !== res) res.on('error', (err) => stream.destroy(err));

  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw tooLarge('');
      chunks.push(chunk);
    }
  } catch (err) {
    res.destroy();
    if (err instanceof FetchRefused) throw err;
    if (signal.aborted) throw timeoutError(u, timeoutMs);
    const e = err as NodeJS.ErrnoException;
    if (e.code?.startsWith('Z_') || e.code?.startsWith('ERR_BROTLI')) {
      throw new FetchRefused('http', `The answer from ${u.host} is not valid ${encoding} (${u.href})`, u.href);
    }
    throw new FetchRefused('http', `The connection to ${u.host} broke off while reading the answer: ${e.code ?? e.message} (${u.href})`, u.href);
  }
  if (!res.complete) {
    throw new FetchRefused('http', `The connection to ${u.host} broke off while reading the answer (${u.href})`, u.href);
  }
  return Buffer.concat(chunks);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${n} bytes`;
}
