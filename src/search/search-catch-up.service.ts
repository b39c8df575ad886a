/**
 * The search index's catch-up at start: stories written while no server was
 * listening (a seed, an import, a restore, an older version without search)
 * are indexed in the background, after the server is up. At 100,000 stories
 * this takes tens of seconds; in a start-up hook it held the server back past
 * Fastify's hook timeout and the start failed. Meanwhile search answers from
 * what is indexed so far, and the rest of the site is unaffected.
 */
import type { SearchIndex } from './search.model.js';

export interface CatchUpLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type CatchUpState = 'idle' | 'running' | 'done' | 'failed' | 'stopped';

export interface CatchUpStatus {
  state: CatchUpState;
  /** Stories indexed so far in this run, of `missing` found missing at its start. */
  indexed: number;
  missing: number;
  removed: number;
}

export interface SearchCatchUp {
  /** Starts the run in the background (once; later calls do nothing). */
  start(): void;
  status(): CatchUpStatus;
  /** Resolves when the run has ended, however it ended (at once when none was started). */
  settled(): Promise<void>;
  /** Asks the run to stop after its current batch and waits for it (on close: the database is about to go). */
  stop(): Promise<void>;
}

/** At most one progress line this often: enough to see it move, not one per batch. */
const PROGRESS_EVERY_MS = 5000;

export function createSearchCatchUp({ search, log, now = () => Date.now() }: { search: SearchIndex; log: CatchUpLog; now?: () => number }): SearchCatchUp {
  const status: CatchUpStatus = { state: 'idle', indexed: 0, missing: 0, removed: 0 };
  const controller = new AbortController();
  let run: Promise<void> | null = null;

  async function catchUp(): Promise<void> {
    const started = now();
    let lastReport = started;
    try {
      const result = await search.sync({
        signal: controller.signal,
        onProgress: ({ indexed, missing }) => {
          status.indexed = indexed;
          status.missing = missing;
          if (now() - lastReport < PROGRESS_EVERY_MS) return;
          lastReport = now();
          log.info({ indexed, missing }, 'search index catching up');
        },
      });
      status.indexed = result.indexed;
      status.removed = result.removed;
      if (controller.signal.aborted) {
        status.state = 'stopped';
        log.info({ indexed: status.indexed, missing: status.missing }, 'search index catch-up stopped; the next start goes on from there');
        return;
      }
      status.state = 'done';
      if (result.indexed || result.removed) log.info({ indexed: result.indexed, removed: result.removed, ms: now() - started }, 'search index caught up');
    } catch (err) {
      status.state = 'failed';
      log.error({ err }, 'search index catch-up failed; run `dispatch search reindex`');
    }
  }

  return {
    start() {
      if (run) return;
      status.state = 'running';
      run = catchUp();
    },
    status: () => ({ ...status }),
    settled: async () => {
      await run;
    },
    async stop() {
      controller.abort();
      await run;
    },
  };
}
