/**
 * The search index's own table, `search_documents`: the plain text of each
 * published story. The database indexes it (FTS5 triggers in SQLite, a
 * generated tsvector column in PostgreSQL); this module only decides what goes
 * in. It reads stories from the articles table and never writes it.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { bodyText, escapeHtml, readStoredBody } from '../content/body.js';
import type { SearchFilters, SyncOptions } from './search.model.js';

/** Marks the start and end of a match in highlighted text; never present in indexed text. */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

const BATCH = 250;

interface SourceRow {
  id: number;
  published_at: string | null;
  section_id: number;
  headline: string;
  standfirst: string;
  body: string;
}

/** Text as indexed: our highlight markers removed, so a story cannot forge a <mark>. */
function clean(text: string): string {
  return text.replace(/[\uE000\uE001]/g, '');
}

function documentOf(row: SourceRow) {
  // A story whose body cannot be read is still found by its headline and standfirst.
  const body = bodyText(readStoredBody(row.body));
  return {
    article_id: row.id, published_at: row.published_at!, section_id: row.section_id,
    headline: clean(row.headline), standfirst: clean(row.standfirst), body: clean(body),
  };
}

export type SearchDocuments = ReturnType<typeof createSearchDocuments>;

export function createSearchDocuments(db: Kysely<Database>) {
  // A published story always has its publication time; one without is not indexed.
  const source = () =>
    db.selectFrom('articles').select(['id', 'published_at', 'section_id', 'headline', 'standfirst', 'body', 'status']).where('published_at', 'is not', null);

  async function write(rows: SourceRow[]): Promise<void> {
    if (!rows.length) return;
    await db
      .insertInto('search_documents')
      .values(rows.map(documentOf))
      .onConflict((oc) =>
        oc.column('article_id').doUpdateSet((eb) => ({
          published_at: eb.ref('excluded.published_at'),
          section_id: eb.ref('excluded.section_id'),
          headline: eb.ref('excluded.headline'),
          standfirst: eb.ref('excluded.standfirst'),
          body: eb.ref('excluded.body'),
        })),
      )
      .execute();
  }

  async function removeUnpublished(): Promise<number> {
    const result = await db
      .deleteFrom('search_documents')
      .where('article_id', 'not in', (eb) => eb.selectFrom('articles').select('id').where('status', '=', 'published'))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async function remove(articleId: number): Promise<void> {
    await db.deleteFrom('search_documents').where('article_id', '=', articleId).execute();
  }

  return {
    remove,

    async index(articleId: number): Promise<void> {
      const row = await source().where('id', '=', articleId).executeTakeFirst();
      if (!row || row.status !== 'published') return remove(articleId);
      await write([row]);
    },

    /** In batches (one statement each), so readers and other writers are never held up for long. */
    async rebuild(): Promise<number> {
      let last = 0;
      let total = 0;
      for (;;) {
        const rows = await source().where('status', '=', 'published').where('id', '>', last).orderBy('id').limit(BATCH).execute();
        if (!rows.length) break;
        await write(rows);
        total += rows.length;
        last = rows[rows.length - 1]!.id;
      }
      await removeUnpublished();
      return total;
    },

    async sync({ signal, onProgress }: SyncOptions = {}): Promise<{ indexed: number; removed: number }> {
      const missing = await db
        .selectFrom('articles')
        .leftJoin('search_documents', 'search_documents.article_id', 'articles.id')
        .select('articles.id')
        .where('articles.status', '=', 'published')
        .where('articles.published_at', 'is not', null)
        .where('search_documents.article_id', 'is', null)
        .orderBy('articles.id')
        .execute();
      const ids = missing.map((r) => r.id);
      let indexed = 0;
      for (let i = 0; i < ids.length; i += BATCH) {
        if (signal?.aborted) return { indexed, removed: 0 };
        const rows = await source().where('id', 'in', ids.slice(i, i + BATCH)).where('status', '=', 'published').execute();
        await write(rows);
        indexed += Math.min(BATCH, ids.length - i);
        onProgress?.({ indexed, missing: ids.length });
      }
      return { indexed, removed: signal?.aborted ? 0 : await removeUnpublished() };
    },
  };
}

/**
 * The conditions every search shares, on `search_documents d`: not embargoed,
 * then the reader's filters. Only published stories have a document (events keep
 * it so); the stories of a page are loaded through the content service, which
 * shows only public ones, so even a document the index has not yet dropped is
 * never shown.
 */
export function filterConditions(f: SearchFilters, now: string): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`d.published_at <= ${now}`];
  if (f.sectionIds) {
    const ids = f.sectionIds.length ? f.sectionIds : [-1];
    conditions.push(sql`d.section_id IN (${sql.join(ids)})`);
  }
  if (f.tagId !== undefined) {
    conditions.push(sql`EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = d.article_id AND t.tag_id = ${f.tagId})`);
  }
  if (f.authorId !== undefined) {
    conditions.push(sql`EXISTS (SELECT 1 FROM article_authors au WHERE au.article_id = d.article_id AND au.author_id = ${f.authorId})`);
  }
  if (f.from) conditions.push(sql`d.published_at >= ${f.from}`);
  if (f.before) conditions.push(sql`d.published_at < ${f.before}`);
  return sql.join(conditions, sql` AND `);
}

/** Escapes everything, then turns only our own markers into <mark> tags. */
export function markedHtml(text: string): string {
  return escapeHtml(text).replaceAll(MARK_OPEN, '<mark>').replaceAll(MARK_CLOSE, '</mark>');
}

/** The passage to show: the body's best fragment when it matches, else a matching standfirst, else whatever there is. */
export function chooseSnippet(standfirst: string, bodySnippet: string): string {
  if (bodySnippet.includes(MARK_OPEN)) return markedHtml(bodySnippet);
  if (standfirst.includes(MARK_OPEN) || !bodySnippet.trim()) return markedHtml(standfirst);
  return markedHtml(bodySnippet);
}
