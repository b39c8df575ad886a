/**
 * `dispatch serve --workers N`: a primary process that forks N workers with
 * Node's cluster module. The workers share the listening port (the primary
 * accepts and hands connections round-robin), the database and Redis; the
 * primary serves nothing itself.
 *
 * - A worker that dies is replaced. One that dies soon after it started (a
 *   crash at start-up, a bad deploy) is replaced after a doubling delay, up to
 *   MAX_RESTART_DELAY_MS, so a crash loop costs little; one that served a
 *   while is replaced at once.
 * - If a worker dies before any worker has ever listened (the port is taken,
 *   the database is unreachable), the primary stops them all and exits 1:
 *   retrying cannot help, and the operator should see the error.
 * - SIGTERM or SIGINT: every worker is told to drain (a DRAIN message) and
 *   drains as a single process does (platform/shutdown.ts); the primary exits 0
 *   when all have exited 0, else 1. It gives them SHUTDOWN_TIMEOUT_MS and a
 *   margin, then kills what is left. A second signal is passed on (STOP_NOW:
 *   a worker then exits at once).
 *
 * The primary tells its workers by message, not by signal, because the signal
 * often reaches them too: Ctrl-C signals the terminal's whole process group and
 * systemd signals every process of the unit. A worker takes the signal and the
 * message as one request to drain (see `workerShutdownRequests`).
 */
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';

export const MAX_WORKERS = 64;
/** A worker that dies sooner than this after its start counts as a crash loop. */
export const QUICK_DEATH_MS = 10_000;
export const FIRST_RESTART_DELAY_MS = 250;
export const MAX_RESTART_DELAY_MS = 30_000;
/** The primary's messages to its workers. */
export const DRAIN = 'dispatch:drain';
export const STOP_NOW = 'dispatch:stop-now';

/** `--workers`: a whole number from 1 to 64, or `auto` (one per CPU the process may use). */
export function parseWorkerCount(raw: string, cpus = os.availableParallelism()): number {
  if (raw === 'auto') return Math.min(MAX_WORKERS, Math.max(1, cpus));
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_WORKERS) throw new RangeError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, or "auto" (got "${raw}")`);
  return n;
}

/** How long to wait before replacing a worker, given how many in a row died soon after starting. */
export function restartDelayMs(quickDeathsInARow: number): number {
  if (quickDeathsInARow <= 0) return 0;
  return Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (quickDeathsInARow - 1));
}

export interface PrimaryOptions {
  workers: number;
  /** The workers' own drain deadline (SHUTDOWN_TIMEOUT_MS); the primary waits a little longer. */
  shutdownTimeoutMs: number;
  /** The operator's lines (stdout). */
  say: (line: string) => void;
  /** Told once, when every worker listens for the first time. */
  onServing: () => void;
  exit: (code: number) => void;
}

export function runPrimary({ workers, shutdownTimeoutMs, say, onServing, exit }: PrimaryOptions): void {
  const startedAt = new Map<Worker, number>();
  const listening = new Set<Worker>();
  let everListened = false;
  let quickDeathsInARow = 0;
  let stopping = false;
  let failed = false;
  const pendingRestarts = new Set<NodeJS.Timeout>();

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('listening', () => {
      listening.add(worker);
      say(`Worker ${worker.process.pid} is serving (${listening.size} of ${workers}).`);
      if (!everListened && listening.size === workers) {
        everListened = true;
        onServing();
      }
    });
  };

  const finishIfDone = () => {
    if (!stopping || Object.keys(cluster.workers ?? {}).length) return;
    exit(failed ? 1 : 0);
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
    const wasListening = listening.delete(worker);
    startedAt.delete(worker);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      if (code !== 0) failed = true;
      say(`Worker ${worker.process.pid} stopped (${how}).`);
      finishIfDone();
      return;
    }
    if (!everListened && !wasListening) {
      say(`Worker ${worker.process.pid} exited (${how}) before the site was up; stopping.`);
      failed = true;
      stopAll();
      return;
    }
    quickDeathsInARow = lived < QUICK_DEATH_MS ? quickDeathsInARow + 1 : 0;
    const delay = restartDelayMs(quickDeathsInARow);
    say(`Worker ${worker.process.pid} exited (${how}) after ${(lived / 1000).toFixed(1)} s; starting another${delay ? ` in ${delay} ms` : ''}.`);
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      if (!stopping) fork();
    }, delay);
    pendingRestarts.add(timer);
  });

  const stopAll = () => {
    const first = !stopping;
    stopping = true;
    for (const t of pendingRestarts) clearTimeout(t);
    pendingRestarts.clear();
    for (const worker of Object.values(cluster.workers ?? {})) {
      try {
        worker?.send(first ? DRAIN : STOP_NOW);
      } catch {
        // its channel is closing: it is on its way out already
      }
    }
    if (first) {
      const deadline = setTimeout(() => {
        say('Workers still running at the shutdown deadline: killing them.');
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        exit(1);
      }, shutdownTimeoutMs + 5000);
      deadline.unref();
    }
    finishIfDone();
  };

  const onSignal = (signal: NodeJS.Signals) => {
    say(stopping ? `${signal} again: the workers stop now.` : `${signal}: draining ${Object.keys(cluster.workers ?? {}).length} workers.`);
    stopAll();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  for (let i = 0; i < workers; i++) fork();
}

/**
 * In a worker: calls `shutdown` once for the first of the signals (SIGTERM,
 * SIGINT) and the primary's DRAIN message, which usually come together, and
 * again only when the primary passes on a second signal (STOP_NOW).
 */
export function workerShutdownRequests(shutdown: (reason: string) => void): void {
  let draining = false;
  const drain = (reason: string) => {
    if (draining) return;
    draining = true;
    shutdown(reason);
  };
  process.on('SIGTERM', () => drain('SIGTERM'));
  process.on('SIGINT', () => drain('SIGINT'));
  // A primary killed outright (SIGKILL, OOM) takes the listening socket with it: this worker gets no more
  // connections and could not drain (closing a shared server waits for the primary's answer), so it ends.
  const primary = process.ppid;
  setInterval(() => {
    if (process.ppid === primary) return;
    console.error(`Worker ${process.pid}: the primary (${primary}) is gone; exiting.`);
    process.exit(1);
  }, 1000).unref();
  process.on('message', (message) => {
    if (message === DRAIN) drain('primary: drain');
    else if (message === STOP_NOW) {
      drain('primary: drain');
      shutdown('primary: stop now');
    }
  });
}
