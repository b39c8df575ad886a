import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Kysely, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type Driver } from 'kysely';
import type { Database } from './types.js';
import type { Dialect } from './migrator.js';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Answers whether the database responds, for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string | undefined;
  /** Directory that holds `dispatch.db` when no DATABASE_URL is given. */
  dataDir: string;
  /** Explicit SQLite file (tests use a temp file). */
  sqliteFile?: string;
  /** Told when the server drops an idle PostgreSQL connection (logged by the app). */
  onIdleError?: (err: Error) => void;
}

export function openDb(opts: DbOptions): Db {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection that the server ends (a restart, a failover) is reported here; without a
    // listener it would crash the process. The pool replaces it at the next query.
    pool.on('error', (err) => opts.onIdleError?.(err));
    namePreparedStatements(pool);
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return wrap(kysely, 'postgres');
  }
  const file = opts.sqliteFile ?? path.join(opts.dataDir, 'dispatch.db');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers go on while one writer writes. FULL syncs the WAL at every commit, so an
  // acknowledged write survives a power loss or an OS crash too; NORMAL would survive a killed
  // process but could lose the last commits on power loss. The cost, an fsync per commit (1-3 ms
  // on a plain SSD), did not show in the app's write tests (test/reliability/durability.test.ts).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  reusePreparedStatements(database);
  const kysely = new Kysely<Database>({ dialect: new FairSqliteDialect({ database }) });
  return wrap(kysely, 'sqlite');
}

/** Most compiled statements kept per connection (the app's queries are a few hundred shapes). */
const STATEMENT_CACHE = 1000;

/**
 * Kysely asks better-sqlite3 to compile every query anew; the same few hundred
 * query shapes come back all the time, so each compiled statement is kept and
 * reused (statements are run synchronously, one at a time, so sharing is safe).
 */
function reusePreparedStatements(database: SQLite.Database): void {
  const prepare = database.prepare.bind(database);
  const statements = new Map<string, SQLite.Statement>();
  database.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = prepare(source);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
      statements.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}

/** Distinct statement texts given a name at most; a connection prepares each it runs once and keeps it until it closes. */
const NAMED_STATEMENTS = 500;
/** A longer parameter list is a long IN-list, whose every length is another text: not worth keeping. */
const MAX_NAMED_PARAMETERS = 64;
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * pg sends every query as an unnamed statement, which PostgreSQL parses and
 * plans on every run (the related-stories query: 1.1-1.4 ms of planning for
 * 3.6-4.9 ms of execution). A named statement is prepared once per connection;
 * after a few runs PostgreSQL keeps a generic plan and plans no more. Each
 * distinct query text gets a stable name from its hash (`d_<sha1>`), for the
 * first NAMED_STATEMENTS texts the process sees (the app has a few hundred
 * shapes); DDL, transaction control and long IN-lists stay unnamed, so the
 * server-side statements per connection stay bounded.
 */
function namePreparedStatements(pool: pg.Pool): void {
  const names = new Map<string, string | null>();
  const nameOf = (text: string, values: readonly unknown[]): string | null => {
    const known = names.get(text);
    if (known !== undefined) return known;
    if (names.size >= NAMED_STATEMENTS) return null;
    const name = values.length <= MAX_NAMED_PARAMETERS && NAMEABLE.test(text) ? `d_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` : null;
    names.set(text, name);
    return name;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // Kysely calls query(text, values) and awaits it; every other form (cursors, callbacks) passes through.
    (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
      const name = typeof text === 'string' && Array.isArray(values) && rest.length === 0 ? nameOf(text, values) : null;
      if (!name) return query(text, values, ...rest);
      return (query({ name, text, values }) as Promise<unknown>).catch((err: { code?: string }) => {
        // A table's columns changed since this connection prepared a `select *` (a migration while
        // running): PostgreSQL refuses the old statement; the text goes unnamed from now on.
        if (err.code !== '0A000') throw err;
        names.set(text as string, null);
        return query(text, values);
      });
    };
  });
}

/**
 * better-sqlite3 runs each query synchronously. Kysely awaits between queries,
 * but only as microtasks, so fifty pages rendering at once would run all their
 * queries back to back and keep every other request (cached pages, /healthz)
 * waiting. Yielding one event-loop turn before each query lets waiting requests
 * in between: a render costs a few microseconds more, and nobody waits for all
 * the others.
 */
class FairSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async (): Promise<DatabaseConnection> => {
      const connection = await acquire();
      if (!(connection as { fair?: boolean }).fair) {
        const execute = connection.executeQuery.bind(connection);
        connection.executeQuery = async (query) => {
          await nextTurn();
          return execute(query);
        };
        (connection as { fair?: boolean }).fair = true;
      }
      return connection;
    };
    return driver;
  }
}

function wrap(kysely: Kysely<Database>, dialect: Dialect): Db {
  return {
    kysely,
    dialect,
    async ping() {
      try {
        await sql`select 1`.execute(kysely);
        return true;
      } catch {
        return false;
      }
    },
    close: () => kysely.destroy(),
  };
}
