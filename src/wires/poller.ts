/**
 * The wire poller: polls the http providers and scans the watched folders
 * whose time has come. Started like the publishing scheduler (BuildOptions
 * `wirePoller`; `dispatch serve` turns it on, tests call runDueNow()).
 *
 * Every app process runs the loop. A due provider is claimed with a
 * compare-and-set on its next_poll_at (see providerStore.claim), so two
 * processes never poll the same provider at once; the claim is a lease, and
 * the poll's outcome sets the real next time (its interval, or the backoff).
 */
import type { WireProviderRow, WireService } from './wire.service.js';
import { pollHttp, type PollResult } from './transports/http.js';
import { scanFolder } from './transports/folder.js';

export interface WirePollerDeps {
  wires: WireService;
  now: () => Date;
  dataDir: string;
  fetchAllowHosts: readonly string[];
  siteUrl?: string;
  /** How long a claim holds a provider (WIRE_LEASE_SECONDS, default 60). */
  leaseSeconds?: number;
  onError: (err: unknown) => void;
}

export interface WirePoller {
  start(intervalMs?: number): void;
  stop(): Promise<void>;
  /** Polls every due provider this process claims, now. */
  runDueNow(): Promise<PollResult[]>;
  /** Polls one provider now, due or not (`dispatch wires poll`). */
  pollNow(provider: WireProviderRow): Promise<PollResult>;
}

export const DEFAULT_INTERVAL_MS = 2000;
/** How long a claim holds a provider by default: longer than a poll (safeFetch gives up after 15 s); after a crash the provider is due again this much later. */
export const DEFAULT_LEASE_SECONDS = 60;
const BATCH = 20;

export function createWirePoller({ wires, dataDir, fetchAllowHosts, siteUrl, leaseSeconds = DEFAULT_LEASE_SECONDS, onError }: WirePollerDeps): WirePoller {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  function pollNow(provider: WireProviderRow): Promise<PollResult> {
    if (provider.transport === 'folder') return scanFolder(wires, provider, dataDir);
    if (provider.transport === 'http') return pollHttp(wires, provider, { fetchAllowHosts, ...(siteUrl ? { siteUrl } : {}) });
    return Promise.resolve({ provider: provider.name, ok: true, notModified: false, counts: { stored: 0, updated: 0, duplicates: 0, quarantined: 0 } });
  }

  async function runDueNow(): Promise<PollResult[]> {
    const results: PollResult[] = [];
    for (const provider of await wires.due(BATCH)) {
      if (!(await wires.claim(provider, leaseSeconds))) continue; // another process has it
      results.push(await pollNow(provider));
    }
    return results;
  }

  function tick(intervalMs: number): void {
    running = runDueNow()
      .catch(onError)
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(() => tick(intervalMs), intervalMs);
      });
  }

  return {
    start(intervalMs = DEFAULT_INTERVAL_MS) {
      if (!stopped) return;
      stopped = false;
      tick(intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    runDueNow,
    pollNow,
  };
}
