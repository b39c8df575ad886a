/**
 * SQLite side: FTS5 over `search_documents`. bm25() weighs a match in the
 * headline ten times one in the body, the standfirst four times; highlight()
 * and snippet() mark the matches with our private markers, made safe later.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { toFts5 } from './query.js';
import { chooseSnippet, filterConditions, MARK_CLOSE, MARK_OPEN, markedHtml } from './search.store.js';
import type { IndexQuery, SearchEngine, SearchHits } from './search.model.js';

/** Column weights for bm25(): headline, standfirst, body. */
const WEIGHTS = sql.raw('10.0, 4.0, 1.0');

export function sqliteSearch(db: Kysely<Database>): SearchEngine {
  return {
    async search(q: IndexQuery): Promise<SearchHits> {
      const match = toFts5(q.query);
      const where = filterConditions(q.filters, q.now);
      const order = q.sort === 'date'
        ? sql`m.published_at DESC, m.id DESC`
        : sql`m.score ASC, m.published_at DESC, m.id DESC`;
      // - CROSS JOIN keeps the full-text match as the outer loop: otherwise SQLite may walk every
      //   document and run the MATCH once per row.
      // - Rank and page first; highlight (and, sorted by date, score) only the page's rows.
      // - The total comes with the page (a window over every match), saving a second pass; bm25()
      //   cannot share a query level with a window function, hence the materialized CTE.
      const score = q.sort === 'date' ? sql`0` : sql`bm25(search_fts, ${WEIGHTS})`;
      const ranked = await sql<{ id: number; score: number; total: number }>`
        WITH matches AS MATERIALIZED (
          SELECT d.article_id AS id, d.published_at AS published_at, ${score} AS score
          FROM search_fts CROSS JOIN search_documents d ON d.article_id = search_fts.rowid
          WHERE search_fts MATCH ${match} AND ${where}
        )
        SELECT m.id, m.score, count(*) OVER () AS total FROM matches m
        ORDER BY ${order}
        LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
      let total = Number(ranked.rows[0]?.total ?? 0);
      if (!ranked.rows.length && q.offset > 0) {
        // Past the last page: still say how many there are.
        const counted = await sql<{ n: number }>`
          SELECT count(*) AS n
          FROM search_fts CROSS JOIN search_documents d ON d.article_id = search_fts.rowid
          WHERE search_fts MATCH ${match} AND ${where}`.execute(db);
        total = Number(counted.rows[0]?.n ?? 0);
      }
      const ids = ranked.rows.map((r) => r.id);
      if (!ids.length) return { total, hits: [] };

      const marked = await sql<{ id: number; headline: string; standfirst: string; body: string; score: number }>`
        SELECT rowid AS id, bm25(search_fts, ${WEIGHTS}) AS score,
          highlight(search_fts, 0, ${MARK_OPEN}, ${MARK_CLOSE}) AS headline,
          highlight(search_fts, 1, ${MARK_OPEN}, ${MARK_CLOSE}) AS standfirst,
          snippet(search_fts, 2, ${MARK_OPEN}, ${MARK_CLOSE}, '…', 32) AS body
        FROM search_fts
        WHERE search_fts MATCH ${match} AND rowid IN (${sql.join(ids)})`.execute(db);
      const byId = new Map(marked.rows.map((r) => [Number(r.id), r]));
      return {
        total,
        hits: ranked.rows.map((r) => {
          const m = byId.get(r.id);
          return {
            articleId: r.id,
            score: -Number(m?.score ?? r.score),
            headlineHtml: markedHtml(m?.headline ?? ''),
            snippetHtml: chooseSnippet(m?.standfirst ?? '', m?.body ?? ''),
          };
        }),
      };
    },

    async optimize() {
      // Merges the index's segments after a bulk load: fewer b-trees to read per query.
      await sql`INSERT INTO search_fts(search_fts) VALUES ('optimize')`.execute(db);
    },
  };
}
