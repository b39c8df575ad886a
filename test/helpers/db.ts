import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { openDb, type Db } from '../../src/platform/db/connection.js';
import { migrateToLatest } from '../../src/platform/db/migrator.js';
import type { Database } from '../../src/platform/db/types.js';

export interface TestDb {
  db: Db;
  /** A temp data directory (media, outbox) that goes away with the database. */
  dataDir: string;
  /** postgres URL of the fresh database, when running against PostgreSQL. */
  databaseUrl: string | undefined;
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a temp SQLite file by default,
 * or, when DATABASE_URL points at PostgreSQL, a new database created on that
 * server and dropped afterwards.
 */
export async function createTestDb(): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-test-'));
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return migrated(openDb({ dataDir, sqliteFile: path.join(dataDir, 'test.db') }), dataDir, undefined);
  const fresh = await createPgDatabase(serverUrl, 'dispatch_test');
  return migrated(openDb({ databaseUrl: fresh.url, dataDir }), dataDir, fresh.url, fresh.drop);
}

/** A new, empty database on the PostgreSQL server at `serverUrl`: its URL, and how to drop it. */
export async function createPgDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Migrates the fresh database; `destroy` closes it, drops it (`drop`) and removes the data directory. */
async function migrated(db: Db, dataDir: string, databaseUrl: string | undefined, drop?: () => Promise<void>): Promise<TestDb> {
  await migrateToLatest(db.kysely, db.dialect);
  return {
    db,
    dataDir,
    databaseUrl,
    async destroy() {
      await db.close();
      await drop?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How many rows a table holds. */
export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db.selectFrom(table).select(sql<number | string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The number of rows in every table of the database (migration bookkeeping included): compare two to see whether anything was written. */
export async function snapshotTables(db: Db): Promise<Record<string, number>> {
  const names = db.dialect === 'postgres'
    ? (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db.kysely)).rows
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db.kysely)).rows;
  if (!names.length) return {};
  const counts = sql.join(names.map(({ name }) => sql`select ${name} as name, count(*) as n from ${sql.table(name)}`), sql` union all `);
  const rows = (await sql<{ name: string; n: number | string }>`${counts}`.execute(db.kysely)).rows;
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}
