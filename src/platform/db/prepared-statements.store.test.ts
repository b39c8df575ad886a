/**
 * Named statements on PostgreSQL (see connection.ts): a query text is
 * prepared once per connection under a stable name and answers as before;
 * DDL, long IN-lists and texts past the bound stay unnamed; a table changed
 * under a prepared `select *` still answers. PostgreSQL only (SQLite keeps its
 * own statement cache in the same module).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDb, type Db } from './connection.js';
import { createPgDatabase } from '../../../test/helpers/db.js';

const serverUrl = process.env.DATABASE_URL;

describe.runIf(serverUrl)('named statements on PostgreSQL', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-prepared-'));

  beforeAll(async () => {
    const fresh = await createPgDatabase(serverUrl!, 'dispatch_prepared');
    drop = fresh.drop;
    db = openDb({ databaseUrl: fresh.url, dataDir });
    await sql`create table wombats (id serial primary key, name text not null)`.execute(db.kysely);
    await sql`insert into wombats (name) values ('Nell'), ('Moss'), ('Fern')`.execute(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The statements this connection has prepared, by text. */
  async function prepared(run: (c: typeof db.kysely) => Promise<void>): Promise<Map<string, string>> {
    return db.kysely.connection().execute(async (c) => {
      await run(c);
      const rows = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(c);
      return new Map(rows.rows.map((r) => [r.statement, r.name]));
    });
  }

  it('prepares a query once per connection under a stable name, and answers with each run\'s parameters', async () => {
    const byName = (c: typeof db.kysely, name: string) => c.selectFrom('wombats' as never).select('id' as never).where('name' as never, '=', name as never);
    const text = byName(db.kysely, 'x').compile().sql;
    const statements = await prepared(async (c) => {
      for (const [name, id] of [['Nell', 1], ['Moss', 2], ['Fern', 3], ['Nell', 1], ['Nobody', undefined]] as const) {
        expect(((await byName(c, name).executeTakeFirst()) as { id: number } | undefined)?.id).toBe(id);
      }
    });
    expect(statements.get(text)).toMatch(/^d_[0-9a-f]{20}$/);
    // The same name in every connection: the text's hash.
    const again = await prepared(async (c) => void (await byName(c, 'Fern').execute()));
    expect(again.get(text)).toBe(statements.get(text));
  });

  it('leaves DDL, transaction control and long IN-lists unnamed', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const statements = await prepared(async (c) => {
      await sql`create index wombats_name on wombats (name)`.execute(c);
      expect((await c.selectFrom('wombats' as never).select('id' as never).where('id' as never, 'in', ids as never).execute()).length).toBe(3);
    });
    expect([...statements.keys()].filter((s) => s.includes('$100'))).toEqual([]);
    expect([...statements.keys()].filter((s) => /create index/i.test(s))).toEqual([]);
    const inTransaction = await db.kysely.transaction().execute(async (trx) => {
      await trx.selectFrom('wombats' as never).select('id' as never).execute();
      return (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx)).rows.map((r) => r.statement);
    });
    expect(inTransaction.filter((s) => /^\s*(begin|commit)/i.test(s))).toEqual([]);
  });

  it('names at most 500 texts in a process', async () => {
    const statements = await prepared(async (c) => {
      for (let i = 0; i < 520; i++) await sql`select ${sql.lit(i)}::int + ${1} as n`.execute(c);
    });
    expect(statements.size).toBeLessThanOrEqual(500);
    expect(statements.size).toBeGreaterThan(400);
  });

  it('still answers a prepared select * after its table changed', async () => {
    // One connection throughout: the prepared statement is this connection's.
    await db.kysely.connection().execute(async (c) => {
      const all = () => sql<Record<string, unknown>>`select * from wombats where id = ${1}`.execute(c);
      expect((await all()).rows[0]).toEqual({ id: 1, name: 'Nell' });
      await sql`alter table wombats add column burrow text`.execute(c);
      expect((await all()).rows[0]).toEqual({ id: 1, name: 'Nell', burrow: null });
      expect((await all()).rows[0]).toEqual({ id: 1, name: 'Nell', burrow: null });
    });
  });
});
