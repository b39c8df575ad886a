/**
 * The site pages' migration against pages saved before it (from the
 * newsroom's Markdown form, through the API, and one whose body is not a
 * document): each keeps its body as the stories' document, and the Markdown
 * column goes (on SQLite and PostgreSQL).
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

const text = (t: string, marks?: unknown[]) => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });

it('keeps every page\'s body as the stories\' document, makes one that is not a document from its Markdown, and drops the Markdown', async () => {
  await migrateTo(db.kysely, db.dialect, '2026-12-04T1400-wire-groups');
  const at = '2026-12-05T09:30:00.000Z';
  // Saved from the Markdown form: the document made from it, and the Markdown beside it.
  const about = { type: 'doc', content: [{ type: 'paragraph', content: [text('Founded by '), text('printers', [{ type: 'bold' }]), text('.')] }, { type: 'heading', attrs: { level: 2 }, content: [text('Today')] }] };
  // Saved through the API as a document: no Markdown.
  const terms = { type: 'doc', content: [{ type: 'paragraph', content: [text('Be kind.')] }] };
  const rows: Array<[string, string, string | null]> = [
    ['about', JSON.stringify(about), 'Founded by **printers**.\n\n## Today'],
    ['terms', JSON.stringify(terms), null],
    ['privacy', 'not a document', 'We keep little.\n\nAsk us.\n'],
  ];
  for (const [slug, body, markdown] of rows) {
    await sql`INSERT INTO site_pages (slug, title, summary, body, markdown, updated_at, updated_by)
      VALUES (${slug}, ${`Page ${slug}`}, '', ${body}, ${markdown}, ${at}, NULL)`.execute(db.kysely);
  }

  const { applied } = await migrateToLatest(db.kysely, db.dialect);
  expect(applied).toContain('2026-12-07T1300-site-page-bodies');

  const after = await sql<{ slug: string; title: string; body: string; updated_at: string }>`SELECT slug, title, body, updated_at FROM site_pages ORDER BY slug`.execute(db.kysely);
  expect(after.rows.map((r) => ({ ...r, body: JSON.parse(r.body) as unknown }))).toEqual([
    { slug: 'about', title: 'Page about', body: about, updated_at: at },
    { slug: 'privacy', title: 'Page privacy', body: { type: 'doc', content: [{ type: 'paragraph', content: [text('We keep little.')] }, { type: 'paragraph', content: [text('Ask us.')] }] }, updated_at: at },
    { slug: 'terms', title: 'Page terms', body: terms, updated_at: at },
  ]);
  await expect(sql`SELECT markdown FROM site_pages`.execute(db.kysely)).rejects.toThrow();
});
