/**
 * The corrections-log migration against data written before it: a story's
 * single correction note becomes the first entry of its log, with its date,
 * and stories without one get none (on SQLite and PostgreSQL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDb, type Db } from './connection.js';
import { migrateTo, migrateToLatest } from './migrator.js';
import { createPgDatabase } from '../../../test/helpers/db.js';

let db: Db;
let dataDir: string;
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-migration-'));
  if (process.env.DATABASE_URL) {
    const fresh = await createPgDatabase(process.env.DATABASE_URL, 'dispatch_mig');
    drop = fresh.drop;
    db = openDb({ databaseUrl: fresh.url, dataDir });
  } else {
    db = openDb({ dataDir, sqliteFile: path.join(dataDir, 'test.db') });
  }
});
afterAll(async () => {
  await db?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('turns each story\'s correction note into the first entry of its log, and drops the old columns', async () => {
  await migrateTo(db.kysely, db.dialect, '2026-12-04T1100-wire-story-sources');
  const at = '2026-12-01T09:30:00.000Z';
  await sql`INSERT INTO sections (slug, name, created_at) VALUES ('africa', 'Africa', ${at})`.execute(db.kysely);
  const section = await sql<{ id: number }>`SELECT id FROM sections WHERE slug = 'africa'`.execute(db.kysely);
  const sectionId = section.rows[0]!.id;
  for (const [slug, note, when] of [['corrected', 'An earlier version gave the wrong date of the vote.', '2026-12-02T10:00:00.000Z'], ['clean', null, null]] as const) {
    await sql`INSERT INTO articles (slug, headline, body, section_id, status, created_at, modified_at, correction_note, correction_at)
      VALUES (${slug}, ${`Story ${slug}`}, '{"type":"doc","content":[]}', ${sectionId}, 'published', ${at}, ${at}, ${note}, ${when})`.execute(db.kysely);
  }

  await migrateToLatest(db.kysely, db.dialect);

  const entries = await sql<{ slug: string; kind: string; note: string; created_at: string }>`
    SELECT a.slug, c.kind, c.note, c.created_at FROM article_corrections c JOIN articles a ON a.id = c.article_id ORDER BY c.id`.execute(db.kysely);
  expect(entries.rows).toEqual([{ slug: 'corrected', kind: 'correction', note: 'An earlier version gave the wrong date of the vote.', created_at: '2026-12-02T10:00:00.000Z' }]);
  await expect(sql`SELECT correction_note FROM articles`.execute(db.kysely)).rejects.toThrow();
});
