/**
 * HTTP(S) polling: one conditional GET of the provider's feed through
 * safeFetch (the one outbound fetcher: reserved addresses refused at connect
 * time, redirects re-checked, deadline, size cap), then ingest. A 304 keeps
 * what we have; a failure is recorded on the provider (code and message, for
 * the desk's status) and backs the next poll off.
 */
import { FetchRefused, dispatchUserAgent, safeFetch } from '../../platform/safe-fetch.js';
import type { IngestCounts, WireProviderRow, WireService } from '../wire.service.js';

export interface PollResult {
  provider: string;
  ok: boolean;
  /** The feed answered 304 Not Modified. */
  notModified: boolean;
  counts: IngestCounts;
  /** Files taken from a watched folder. */
  files?: { done: number; failed: number };
  error?: { code: string; message: string };
}

export interface HttpPollOptions {
  fetchAllowHosts: readonly string[];
  siteUrl?: string;
  timeoutMs?: number;
}

const none = (): IngestCounts => ({ stored: 0, updated: 0, duplicates: 0, quarantined: 0 });

export async function pollHttp(wires: WireService, provider: WireProviderRow, opts: HttpPollOptions): Promise<PollResult> {
  const base = { provider: provider.name, notModified: false, counts: none() };
  if (!provider.url) {
    await wires.recordPollFailure(provider, 'config', 'The provider has no feed URL.');
    return { ...base, ok: false, error: { code: 'config', message: 'The provider has no feed URL.' } };
  }
  try {
    const res = await safeFetch(provider.url, {
      etag: provider.etag ?? undefined,
      lastModified: provider.last_modified ?? undefined,
      allowHosts: opts.fetchAllowHosts,
      userAgent: dispatchUserAgent(opts.siteUrl),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    if (res.notModified) {
      await wires.recordPollSuccess(provider);
      return { ...base, ok: true, notModified: true };
    }
    const contentType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : null;
    const counts = await wires.ingest(provider, res.body, contentType);
    await wires.recordPollSuccess(provider, { etag: res.etag, lastModified: res.lastModified });
    return { ...base, ok: true, counts };
  } catch (err) {
    const code = err instanceof FetchRefused ? err.code : 'error';
    const message = err instanceof Error ? err.message : String(err);
    await wires.recordPollFailure(provider, code, message);
    return { ...base, ok: false, error: { code, message } };
  }
}
