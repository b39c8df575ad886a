import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createPgDatabase } from '../helpers/db.js';
import { openDb, type Db } from '../../src/platform/db/connection.js';

/**
 * The real `dispatch serve` in its own process (run from the sources with
 * tsx), on a free 127.0.0.1 port, against a temp SQLite data directory or, when
 * DATABASE_URL is set, a fresh PostgreSQL database made for it and dropped
 * afterwards. Node runs the server itself (tsx as a loader, not the tsx command,
 * whose child process a SIGKILL would leave running). Reliability tests kill it, signal it and restart it.
 */
export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  dataDir: string;
  /** The PostgreSQL URL of its database, when on PostgreSQL. */
  databaseUrl: string | undefined;
  proc: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) and how long after `since` it came. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  kill(signal: NodeJS.Signals): void;
}

export interface ServerSite {
  dataDir: string;
  databaseUrl: string | undefined;
  /** Starts (or restarts) the server on this site's data, with `args` after `serve --no-demo`; waits until /readyz answers 200. */
  start(env?: NodeJS.ProcessEnv, args?: string[]): Promise<ServerProcess>;
  destroy(): Promise<void>;
}

/**
 * The site's database, opened as `dispatch serve` opens it (its SQLite file in the
 * data directory, or its PostgreSQL database): for seeding before a run and checking
 * after one. Close it when done.
 */
export function openSiteDb(site: { dataDir: string; databaseUrl: string | undefined }): Db {
  return openDb({ databaseUrl: site.databaseUrl, dataDir: site.dataDir });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A data directory (and PostgreSQL database when DATABASE_URL is set) that outlives server restarts. */
export async function createServerSite(): Promise<ServerSite> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-reliability-'));
  const fresh = process.env.DATABASE_URL ? await createPgDatabase(process.env.DATABASE_URL, 'dispatch_rel') : undefined;
  const databaseUrl = fresh?.url;
  const running = new Set<ServerProcess>();
  return {
    dataDir,
    databaseUrl,
    async start(env = {}, args = []) {
      const server = await startServer({ dataDir, databaseUrl, env, args });
      running.add(server);
      void server.exited.then(() => running.delete(server));
      return server;
    },
    async destroy() {
      for (const s of running) {
        s.kill('SIGKILL');
        await s.exited;
      }
      await fresh?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startServer({ dataDir, databaseUrl, env, args }: { dataDir: string; databaseUrl: string | undefined; env: NodeJS.ProcessEnv; args: string[] }): Promise<ServerProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DISPATCH_DATA: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env };
  delete childEnv.DATABASE_URL;
  delete childEnv.REDIS_URL;
  if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;
  if (env.REDIS_URL) childEnv.REDIS_URL = env.REDIS_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bin/dev.ts', 'serve', '--no-demo', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = { url, port, dataDir, databaseUrl, proc, output: () => out, exited, kill: (signal) => void proc.kill(signal) };
  const deadline = Date.now() + 60_000;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`dispatch serve exited before it was ready:\n${out}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`dispatch serve was not ready within 60 s:\n${out}`);
}
