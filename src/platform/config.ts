import net from 'node:net';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `undefined` means the embedded SQLite database under `dataDir`. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Namespace of this site's keys and channels in Redis, so several sites (or test runs) can share one server. */
  redisPrefix: string;
  siteUrl: string;
  siteName: string;
  logLevel: string;
  /** SMTP server for outgoing email; unset: messages go to `<dataDir>/outbox`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); empty: none. */
  trustProxy: string[];
  /** Staff sessions end after this many idle minutes (STAFF_IDLE_MINUTES, default 120). */
  staffIdleMinutes: number;
  /**
   * Hosts that outbound fetches (agency feeds) may reach although they resolve
   * to a private address, like an agency gateway on the office network:
   * `host` or `host:port` (DISPATCH_FETCH_ALLOW_HOSTS, comma-separated; default none).
   */
  fetchAllowHosts: string[];
  /** How long a process's claim on a wire provider lasts; after a crash the provider is polled again this much later (WIRE_LEASE_SECONDS, default 60). */
  wireLeaseSeconds: number;
  /** Longest a whole request (headers and body) may take to arrive (REQUEST_TIMEOUT_MS, default 30000): a stalled body is cut with 408. */
  requestTimeoutMs: number;
  /** Longest the request headers may take to arrive (HEADERS_TIMEOUT_MS, default 10000; at most REQUEST_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (KEEP_ALIVE_TIMEOUT_MS, default 5000). */
  keepAliveTimeoutMs: number;
  /** From SIGTERM/SIGINT to a forced exit with status 1 (SHUTDOWN_TIMEOUT_MS, default 10000). */
  shutdownTimeoutMs: number;
  /** After the signal, keep accepting connections this long with /readyz answering 503 (SHUTDOWN_DELAY_MS, default 0). */
  shutdownDelayMs: number;
  /** Varnish instances (vmod_xkey, deploy/varnish/dispatch.vcl) whose pages are purged by surrogate key on every content change (PURGE_VARNISH_URLS, comma-separated). */
  purgeVarnishUrls: string[];
  /** Fastly service purged by surrogate key on every content change (PURGE_FASTLY_SERVICE_ID and PURGE_FASTLY_TOKEN; PURGE_FASTLY_API_URL for a stand-in). */
  purgeFastly: { serviceId: string; token: string; apiUrl: string } | undefined;
  /** `soft` (default): purged pages go stale and are refetched while readers get the old copy for a moment; `hard`: removed at once (PURGE_MODE). */
  purgeMode: 'soft' | 'hard';
  /** Memory the page cache may take per process, in MiB (PAGE_CACHE_MB, default 32; see PageCacheOptions.maxBytes). */
  pageCacheMb: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the environment into a typed config, reporting every bad value at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];

  const port = parsePort(env.PORT, problems);
  const host = (env.HOST ?? '127.0.0.1').trim();
  if (!host) problems.push('HOST must not be empty');

  const dataDir = path.resolve(env.DISPATCH_DATA?.trim() || './data');

  let databaseUrl: string | undefined = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl}"); leave it unset for the embedded SQLite database`);
    databaseUrl = undefined;
  }

  let redisUrl: string | undefined = env.REDIS_URL?.trim() || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push(`REDIS_URL must start with redis:// or rediss:// (got "${redisUrl}")`);
    redisUrl = undefined;
  }

  const redisPrefix = env.REDIS_PREFIX?.trim() || 'dispatch';
  if (!/^[A-Za-z0-9:_-]{1,50}$/.test(redisPrefix)) problems.push(`REDIS_PREFIX may hold only letters, digits, ":", "_" and "-", up to 50 (got "${redisPrefix}")`);

  let siteUrl = env.SITE_URL?.trim() || `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    const u = new URL(siteUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    if (u.search || u.hash) throw new Error('query');
    siteUrl = u.toString().replace(/\/+$/, '');
  } catch {
    problems.push(`SITE_URL must be an absolute http(s) URL without query, like https://news.example.com (got "${siteUrl}")`);
  }

  const siteName = env.SITE_NAME?.trim() || 'Dispatch';
  if (siteName.length > 80) problems.push('SITE_NAME must be at most 80 characters');

  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  let smtpUrl: string | undefined = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push(`SMTP_URL must start with smtp:// or smtps:// (got "${smtpUrl}")`);
    smtpUrl = undefined;
  }
  const mailFrom = env.MAIL_FROM?.trim() || `${siteName} <no-reply@${safeHostname(siteUrl)}>`;

  const trustProxy = (env.TRUST_PROXY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of trustProxy) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p)) problems.push(`TRUST_PROXY must be a comma-separated list of IP addresses or CIDR ranges (got "${p}")`);
  }

  const idleRaw = env.STAFF_IDLE_MINUTES?.trim();
  const staffIdleMinutes = idleRaw ? Number(idleRaw) : 120;
  if (idleRaw && (!/^\d+$/.test(idleRaw) || staffIdleMinutes < 1 || staffIdleMinutes > 43200)) problems.push(`STAFF_IDLE_MINUTES must be a whole number of minutes from 1 to 43200 (got "${idleRaw}")`);

  const requestTimeoutMs = parseMs(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000, problems);
  const headersTimeoutMs = parseMs(env, 'HEADERS_TIMEOUT_MS', 10_000, 100, 3_600_000, problems);
  if (headersTimeoutMs > requestTimeoutMs) problems.push(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  const keepAliveTimeoutMs = parseMs(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 3_600_000, problems);
  const shutdownTimeoutMs = parseMs(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 3_600_000, problems);
  const shutdownDelayMs = parseMs(env, 'SHUTDOWN_DELAY_MS', 0, 0, 3_600_000, problems);
  if (shutdownDelayMs >= shutdownTimeoutMs) problems.push(`SHUTDOWN_DELAY_MS (${shutdownDelayMs}) must be shorter than SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs})`);

  const fetchAllowHosts = (env.DISPATCH_FETCH_ALLOW_HOSTS ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const h of fetchAllowHosts) {
    if (!isHostEntry(h)) problems.push(`DISPATCH_FETCH_ALLOW_HOSTS must be a comma-separated list of host names or addresses, each with an optional :port, like gateway.agency.internal:8443 (got "${h}")`);
  }

  const wireLeaseSeconds = parseMs(env, 'WIRE_LEASE_SECONDS', 60, 1, 3600, problems, 'seconds');
  const pageCacheMb = parseMs(env, 'PAGE_CACHE_MB', 32, 1, 65_536, problems, 'MiB');

  const purgeVarnishUrls = (env.PURGE_VARNISH_URLS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const u of purgeVarnishUrls) {
    if (!isHttpUrl(u)) problems.push(`PURGE_VARNISH_URLS must be a comma-separated list of http(s) URLs, like http://127.0.0.1:6081 (got "${u}")`);
  }
  const fastlyServiceId = env.PURGE_FASTLY_SERVICE_ID?.trim() || undefined;
  const fastlyToken = env.PURGE_FASTLY_TOKEN?.trim() || undefined;
  const fastlyApiUrl = env.PURGE_FASTLY_API_URL?.trim() || 'https://api.fastly.com';
  if (!fastlyServiceId !== !fastlyToken) problems.push('PURGE_FASTLY_SERVICE_ID and PURGE_FASTLY_TOKEN go together: set both, or neither');
  if (fastlyServiceId && !/^[A-Za-z0-9]{1,64}$/.test(fastlyServiceId)) problems.push(`PURGE_FASTLY_SERVICE_ID must be letters and digits (got "${fastlyServiceId}")`);
  if (!isHttpUrl(fastlyApiUrl)) problems.push(`PURGE_FASTLY_API_URL must be an http(s) URL (got "${fastlyApiUrl}")`);
  const purgeFastly = fastlyServiceId && fastlyToken ? { serviceId: fastlyServiceId, token: fastlyToken, apiUrl: fastlyApiUrl } : undefined;
  const purgeMode = (env.PURGE_MODE?.trim() || 'soft') as Config['purgeMode'];
  if (purgeMode !== 'soft' && purgeMode !== 'hard') problems.push(`PURGE_MODE must be soft or hard (got "${purgeMode}")`);

  if (problems.length) throw new ConfigError(problems);
  return {
    port, host, dataDir, databaseUrl, redisUrl, redisPrefix, siteUrl, siteName, logLevel, smtpUrl, mailFrom, trustProxy, staffIdleMinutes, fetchAllowHosts, wireLeaseSeconds,
    requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, shutdownTimeoutMs, shutdownDelayMs, purgeVarnishUrls, purgeFastly, purgeMode, pageCacheMb, ...overrides,
  };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address (the forms safeFetch's allowHosts takes). */
function isHostEntry(h: string): boolean {
  if (net.isIPv6(h)) return true;
  const m = /^(?:\[([^\]]+)\]|([a-z0-9.-]+))(?::(\d{1,5}))?$/.exec(h);
  if (!m) return false;
  if (m[1] !== undefined && !net.isIPv6(m[1])) return false;
  return m[3] === undefined || Number(m[3]) <= 65535;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** A duration in whole milliseconds (or `unit`) from `min` to `max`, or `fallback` when unset. */
function parseMs(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[], unit = 'milliseconds'): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name} must be a whole number of ${unit} from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

function parsePort(raw: string | undefined, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return 3000;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 0 || n > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${raw}")`);
    return 3000;
  }
  return n;
}
