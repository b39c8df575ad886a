/**
 * Graceful, bounded shutdown of `dispatch serve` (SIGTERM from a container
 * runtime or systemd, SIGINT from a terminal).
 *
 * 1. Draining starts: /readyz answers 503 (a load balancer stops sending) and
 *    every answer carries `Connection: close`, so a client's next request goes
 *    to a new connection, i.e. elsewhere.
 * 2. After an optional delay (SHUTDOWN_DELAY_MS, for load balancers that only
 *    learn from /readyz), the listening socket closes: new connections are
 *    refused, which a client may always retry safely.
 * 3. Requests already received finish. Idle keep-alive connections are closed
 *    within 100 ms, and again as others fall idle. Request and header timeouts stay
 *    enforced meanwhile, so a stalled body is cut as it would be any time.
 * 4. When the last connection has closed: the app closes (scheduler, purge
 *    bus, rate limiters), then the database, logs are flushed, exit 0.
 * 5. At the deadline (SHUTDOWN_TIMEOUT_MS, counted from the signal) whatever is
 *    left is cut and the process exits 1. A second signal exits 1 at once.
 */
import type http from 'node:http';
import net from 'node:net';

/** Whether the process is on its way out; read by /readyz and the `Connection: close` hook. */
export interface DrainState {
  readonly draining: boolean;
  start(): void;
}

export function createDrainState(): DrainState {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    start() {
      draining = true;
    },
  };
}

export interface ShutdownLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ShutdownOptions {
  /** The HTTP server (Fastify's `app.server`). */
  server: http.Server;
  drain: DrainState;
  /** From the signal to a forced exit. */
  timeoutMs: number;
  /** How long to keep accepting connections (answering with `Connection: close`) after the signal. */
  delayMs: number;
  /** Closes everything behind the server, in order (the app's onClose hooks, the database). */
  close: () => Promise<void>;
  /** Flushes buffered log lines; called just before exit. */
  flushLogs: () => void;
  log: ShutdownLog;
  exit: (code: number) => void;
  /** How often idle connections are looked for while draining. */
  sweepIntervalMs?: number;
}

export interface Shutdown {
  /** Starts draining on the first call; a later call (a second signal) exits 1 at once. */
  (signal: string): void;
  /** Settles when the process has been told to exit (tests). */
  readonly done: Promise<number>;
}

/**
 * Stops accepting connections without Node's `http.Server.close()`, which
 * also stops the timer that enforces requestTimeout and headersTimeout: a
 * stalled request would then hold the shutdown until the deadline. Resolves
 * when the last open connection has closed.
 */
export function stopAccepting(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    net.Server.prototype.close.call(server, () => resolve());
  });
}

export function createShutdown(opts: ShutdownOptions): Shutdown {
  const { server, drain, log } = opts;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let started = false;
  let exited = false;
  const timers: NodeJS.Timeout[] = [];
  let sweep: NodeJS.Timeout | undefined;

  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    for (const t of timers) clearTimeout(t);
    clearInterval(sweep);
    try {
      opts.flushLogs();
    } finally {
      opts.exit(code);
      resolveDone(code);
    }
  };

  const shutdown = ((signal: string) => {
    if (started) {
      log.warn({ signal }, 'second signal while draining: closing every connection and exiting now');
      server.closeAllConnections();
      exit(1);
      return;
    }
    started = true;
    drain.start();
    log.info({ signal, timeoutMs: opts.timeoutMs, delayMs: opts.delayMs }, 'draining: finishing the requests in progress');

    timers.push(setTimeout(() => {
      log.error({ timeoutMs: opts.timeoutMs }, 'shutdown deadline passed: cutting the connections still open');
      server.closeAllConnections();
      exit(1);
    }, opts.timeoutMs));

    void (async () => {
      if (opts.delayMs > 0) await new Promise((r) => timers.push(setTimeout(r, opts.delayMs)));
      const closed = stopAccepting(server);
      // Idle connections are closed a moment later, not in this instant: one accepted just now whose
      // request is still on its way looks idle too, and cutting it would reset a request the client sent.
      // The sweep goes on because connections whose last answer went out before draining fall idle open.
      const sweepMs = opts.sweepIntervalMs ?? 100;
      sweep = setInterval(() => server.closeIdleConnections(), sweepMs);
      await closed;
      clearInterval(sweep);
      if (exited) return;
      try {
        await opts.close();
      } catch (err) {
        log.error({ err }, 'shutdown: closing failed');
        exit(1);
        return;
      }
      log.info({}, 'shut down cleanly');
      exit(0);
    })();
  }) as Shutdown;
  Object.defineProperty(shutdown, 'done', { value: done });
  return shutdown;
}
