/**
 * The architecture, checked: every table has exactly one owning domain, and
 * only that domain's stores write it. The map below is the domain map of the
 * README; a new table fails this test until it is given an owner.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

const OWNERS: Record<string, string> = {
  articles: 'content',
  article_tags: 'content',
  article_authors: 'content',
  article_revisions: 'content',
  sections: 'content',
  tags: 'content',
  authors: 'content',
  slug_redirects: 'content',
  site_settings: 'content',
  users: 'accounts',
  sessions: 'accounts',
  email_tokens: 'accounts',
  api_tokens: 'accounts',
  staff_invitations: 'accounts',
  staff_totp: 'accounts',
  totp_recovery_codes: 'accounts',
  totp_pending: 'accounts',
  comments: 'comments',
  comment_reports: 'comments',
  favorites: 'favorites',
  media: 'media',
  search_documents: 'search',
  search_fts: 'search',
  audit_log: 'audit',
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p.endsWith(path.join('db', 'migrations')) ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

interface Write {
  file: string;
  table: string;
}

/** Kysely writes (`insertInto('t')`, `updateTable('t as x')`, `deleteFrom('t')`) and raw SQL writes. */
function writesIn(file: string): Write[] {
  const text = fs.readFileSync(file, 'utf8');
  const rel = path.relative(SRC, file);
  const found: Write[] = [];
  for (const m of text.matchAll(/\b(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"`]([a-z_]+)/g)) found.push({ file: rel, table: m[1]! });
  for (const m of text.matchAll(/sql`[^`]*?\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_]+)/gi)) found.push({ file: rel, table: m[1]!.toLowerCase() });
  return found;
}

const files = sourceFiles(SRC);
const writes = files.flatMap(writesIn);

describe('one owner per table', () => {
  it('finds the writes it checks (the scan is not blind)', () => {
    expect(writes.length).toBeGreaterThan(40);
    expect(new Set(writes.map((w) => w.table))).toEqual(new Set(Object.keys(OWNERS)));
  });

  it('every table in the database types has an owner', () => {
    const types = fs.readFileSync(path.join(SRC, 'platform/db/types.ts'), 'utf8');
    const tables = [...types.matchAll(/export interface Database \{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/^\s*([a-z_]+):/gm)].map((t) => t[1]!));
    expect(tables.length).toBeGreaterThan(20);
    for (const table of tables) expect(OWNERS[table], `table ${table} has no owning domain`).toBeDefined();
  });

  it('each table is written only by a store of its owning domain', () => {
    const breaches = writes
      .filter((w) => {
        const [domain, ...rest] = w.file.split(path.sep);
        return domain !== OWNERS[w.table] || !rest.join('/').endsWith('.store.ts');
      })
      .map((w) => `${w.file} writes ${w.table} (owned by ${OWNERS[w.table] ?? 'nobody'})`);
    expect(breaches).toEqual([]);
  });

  it('the newsroom has no store of its own', () => {
    expect(files.filter((f) => f.includes(`${path.sep}newsroom${path.sep}`) && f.endsWith('.store.ts'))).toEqual([]);
  });
});
