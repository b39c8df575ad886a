import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, siteUrl: 'http://127.0.0.1:3000', siteName: 'Dispatch' });
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080', HOST: '0.0.0.0', DISPATCH_DATA: '/srv/dispatch', DATABASE_URL: 'postgres://u@db/news',
      REDIS_URL: 'redis://cache:6379', SITE_URL: 'https://news.example.com/', SITE_NAME: 'The Ledger',
    });
    expect(c).toMatchObject({
      port: 8080, host: '0.0.0.0', dataDir: path.resolve('/srv/dispatch'), databaseUrl: 'postgres://u@db/news',
      redisUrl: 'redis://cache:6379', siteUrl: 'https://news.example.com', siteName: 'The Ledger',
    });
  });

  it('reports every bad value at once, clearly', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SITE_URL: 'not a url', REDIS_URL: 'http://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(message).toContain('DATABASE_URL must start with postgres://');
    expect(message).toContain('SITE_URL must be an absolute http(s) URL');
    expect(message).toContain('REDIS_URL must start with redis://');
  });

  it.each(['-1', '65536', '3.5', ' 12a'])('refuses PORT=%s', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT/);
  });

  it('reads the fetch allowlist (hosts let through to private addresses)', () => {
    expect(loadConfig({}).fetchAllowHosts).toEqual([]);
    const c = loadConfig({ DISPATCH_FETCH_ALLOW_HOSTS: ' Gateway.Agency.internal:8443, 10.20.0.5 ,[fd00::5]:8080,fd00::6' });
    expect(c.fetchAllowHosts).toEqual(['gateway.agency.internal:8443', '10.20.0.5', '[fd00::5]:8080', 'fd00::6']);
  });

  it.each(['http://gateway.internal', 'gateway.internal/feed', 'host:99999', '[not-v6]:80', 'a b'])('refuses DISPATCH_FETCH_ALLOW_HOSTS=%s', (entry) => {
    expect(() => loadConfig({ DISPATCH_FETCH_ALLOW_HOSTS: entry })).toThrow(`DISPATCH_FETCH_ALLOW_HOSTS must be a comma-separated list of host names or addresses, each with an optional :port, like gateway.agency.internal:8443 (got "${entry}")`);
  });

  it('has timeouts that stop slow clients and bound shutdown, each settable in milliseconds', () => {
    expect(loadConfig({})).toMatchObject({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, shutdownTimeoutMs: 10_000, shutdownDelayMs: 0 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1000', KEEP_ALIVE_TIMEOUT_MS: '65000', SHUTDOWN_TIMEOUT_MS: '30000', SHUTDOWN_DELAY_MS: '5000' }))
      .toMatchObject({ requestTimeoutMs: 2000, headersTimeoutMs: 1000, keepAliveTimeoutMs: 65_000, shutdownTimeoutMs: 30_000, shutdownDelayMs: 5000 });
  });

  it('bounds the page cache per process, in MiB', () => {
    expect(loadConfig({}).pageCacheMb).toBe(32);
    expect(loadConfig({ PAGE_CACHE_MB: '16' }).pageCacheMb).toBe(16);
  });

  it.each([
    [{ PAGE_CACHE_MB: '0' }, /PAGE_CACHE_MB must be a whole number of MiB from 1/],
    [{ PAGE_CACHE_MB: '64M' }, /PAGE_CACHE_MB/],
    [{ REQUEST_TIMEOUT_MS: '30s' }, /REQUEST_TIMEOUT_MS must be a whole number of milliseconds/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '0' }, /KEEP_ALIVE_TIMEOUT_MS must be a whole number of milliseconds from 100/],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, /SHUTDOWN_TIMEOUT_MS/],
    [{ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' }, /HEADERS_TIMEOUT_MS \(6000\) must not be longer than REQUEST_TIMEOUT_MS \(5000\)/],
    [{ SHUTDOWN_TIMEOUT_MS: '5000', SHUTDOWN_DELAY_MS: '5000' }, /SHUTDOWN_DELAY_MS \(5000\) must be shorter than SHUTDOWN_TIMEOUT_MS/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
  it('reads the edge caches to purge: Varnish instances and a Fastly service, soft unless told', () => {
    expect(loadConfig({})).toMatchObject({ purgeVarnishUrls: [], purgeFastly: undefined, purgeMode: 'soft' });
    const c = loadConfig({ PURGE_VARNISH_URLS: 'http://127.0.0.1:6081, http://10.0.0.2:6081', PURGE_FASTLY_SERVICE_ID: 'SU1Z0isxPaozGVKXdv0eY', PURGE_FASTLY_TOKEN: 'tok', PURGE_MODE: 'hard' });
    expect(c).toMatchObject({
      purgeVarnishUrls: ['http://127.0.0.1:6081', 'http://10.0.0.2:6081'],
      purgeFastly: { serviceId: 'SU1Z0isxPaozGVKXdv0eY', token: 'tok', apiUrl: 'https://api.fastly.com' },
      purgeMode: 'hard',
    });
  });

  it.each([
    [{ PURGE_VARNISH_URLS: '127.0.0.1:6081' }, /PURGE_VARNISH_URLS must be a comma-separated list of http\(s\) URLs/],
    [{ PURGE_FASTLY_SERVICE_ID: 'abc' }, /PURGE_FASTLY_SERVICE_ID and PURGE_FASTLY_TOKEN go together/],
    [{ PURGE_FASTLY_SERVICE_ID: 'a/b', PURGE_FASTLY_TOKEN: 't' }, /PURGE_FASTLY_SERVICE_ID must be letters and digits/],
    [{ PURGE_MODE: 'gentle' }, /PURGE_MODE must be soft or hard/],
  ])('refuses purge settings %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
