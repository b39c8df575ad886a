/**
 * The architecture, checked: every table has exactly one owning domain, and
 * only that domain's stores write it. The map below is the domain map of the
 * README; a new table fails this test until it is given an owner. And no
 * import cycle: what routes receive is typed outside app.ts, and nothing leads
 * back to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

const OWNERS: Record<string, string> = {
  articles: 'content',
  article_tags: 'content',
  published_counts: 'content',
  article_authors: 'content',
  article_revisions: 'content',
  sections: 'content',
  tags: 'content',
  authors: 'content',
  slug_redirects: 'content',
  site_settings: 'content',
  article_corrections: 'content',
  live_coverages: 'content',
  live_posts: 'content',
  special_coverage_hubs: 'content',
  article_pages: 'content',
  article_page_related: 'content',
  site_pages: 'content',
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
  wire_providers: 'wires',
  wire_items: 'wires',
  wire_item_versions: 'wires',
  wire_quarantine: 'wires',
  wire_push_signatures: 'wires',
  wire_groups: 'wires',
  wire_item_fingerprints: 'wires',
  wire_item_bands: 'wires',
  wire_story_sources: 'wires',
  read_salts: 'analytics',
  story_read_seen: 'analytics',
  story_reads_hourly: 'analytics',
  front_layouts: 'content',
  front_slots: 'content',
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

/** Tables only the database's triggers write (see their migration): no store may. */
const WRITTEN_BY_TRIGGERS = new Set(['published_counts']);

const files = sourceFiles(SRC);
const writes = files.flatMap(writesIn);

describe('one owner per table', () => {
  it('finds the writes it checks (the scan is not blind)', () => {
    expect(writes.length).toBeGreaterThan(40);
    expect(new Set(writes.map((w) => w.table))).toEqual(new Set(Object.keys(OWNERS).filter((t) => !WRITTEN_BY_TRIGGERS.has(t))));
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

/** Relative imports of a source file (static, type-only and re-exports alike), resolved to files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const base = path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, ''));
    const found = [`${base}.ts`, `${base}.tsx`].find((c) => fs.existsSync(c));
    if (found) out.push(found);
  }
  return out;
}

/** Every cycle found by a depth-first walk, each as the files around it. */
function importCycles(all: string[]): string[][] {
  const graph = new Map(all.map((f) => [f, importsOf(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)).map((x) => path.relative(SRC, x)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of all) if (!state.has(f)) visit(f);
  return cycles;
}

describe('imports', () => {
  it('sees the import graph (app.ts imports the composition root and the routes)', () => {
    const app = importsOf(path.join(SRC, 'app.ts')).map((f) => path.relative(SRC, f));
    expect(app).toContain('services.ts');
    expect(app.filter((f) => f.endsWith('.routes.ts') || f.endsWith('.routes.tsx')).length).toBeGreaterThan(8);
  });

  it('has no import cycle anywhere in src/', () => {
    expect(importCycles(files)).toEqual([]);
  });
});
