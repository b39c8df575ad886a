/**
 * PostgreSQL side: the stored tsvector (headline A, standfirst B, body C) under
 * a GIN index, queried with websearch_to_tsquery and ranked by ts_rank with
 * weights 1.0 / 0.4 / 0.2; ts_headline marks matches with our private markers,
 * made safe later. The `dispatch_search` configuration folds accents when the
 * unaccent extension was available at migration time.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { toWebsearch } from './query.js';
import { chooseSnippet, filterConditions, MARK_CLOSE, MARK_OPEN, markedHtml } from './search.store.js';
import type { IndexQuery, SearchEngine, SearchHits } from './search.model.js';

const CONFIG = sql.raw(`'dispatch_search'::regconfig`);
/** ts_rank weights, in the order D, C, B, A. */
const WEIGHTS = sql.raw(`'{0.05, 0.2, 0.4, 1.0}'::float4[]`);
const WHOLE = `HighlightAll=true, StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}`;
const PASSAGE = `MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … ", StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}`;

export function postgresSearch(db: Kysely<Database>): SearchEngine {
  return {
    async search(q: IndexQuery): Promise<SearchHits> {
      const tsquery = sql`websearch_to_tsquery(${CONFIG}, ${toWebsearch(q.query)})`;
      // ts_rank scores a query with a NOT (!) near zero: rank by what is looked for, match on the whole query.
      const rankQuery = sql`websearch_to_tsquery(${CONFIG}, ${toWebsearch({ ...q.query, exclude: [] })})`;
      const where = filterConditions(q.filters, q.now);
      // - The matches come from the GIN index first (a materialized CTE): otherwise, to serve ORDER BY …
      //   LIMIT, the planner may walk every article in date order and test each one's tsvector.
      // - Ranking reads (and decompresses) every match's tsvector, the costly part of a broad search;
      //   sorted by date, only the page's rows are scored (below).
      // - The total comes with the page (a window over every match), saving a second pass.
      const score = q.sort === 'date' ? sql`0::real` : sql`ts_rank(${WEIGHTS}, d.document, r.query)`;
      const order = q.sort === 'date' ? sql`m.published_at DESC, m.id DESC` : sql`m.score DESC, m.published_at DESC, m.id DESC`;
      const matches = sql`
        SELECT d.article_id AS id, d.published_at AS published_at, ${score} AS score
        FROM search_documents d
        CROSS JOIN ${tsquery} AS q(query)
        CROSS JOIN ${rankQuery} AS r(query)
        WHERE d.document @@ q.query AND ${where}`;
      const ranked = await sql<{ id: number; score: number; total: string | number }>`
        WITH matches AS MATERIALIZED (${matches})
        SELECT m.id, m.score, count(*) OVER () AS total FROM matches m
        ORDER BY ${order}
        LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
      let total = Number(ranked.rows[0]?.total ?? 0);
      if (!ranked.rows.length && q.offset > 0) {
        // Past the last page: still say how many there are.
        const counted = await sql<{ n: string | number }>`WITH matches AS MATERIALIZED (${matches}) SELECT count(*) AS n FROM matches`.execute(db);
        total = Number(counted.rows[0]?.n ?? 0);
      }
      const ids = ranked.rows.map((r) => r.id);
      if (!ids.length) return { total, hits: [] };

      // ts_headline re-parses the text, so it runs only for the page's rows.
      const marked = await sql<{ id: number; headline: string; standfirst: string; body: string; score: number }>`
        SELECT d.article_id AS id,
          ts_headline(${CONFIG}, d.headline, q.query, ${WHOLE}) AS headline,
          ts_headline(${CONFIG}, d.standfirst, q.query, ${WHOLE}) AS standfirst,
          ts_headline(${CONFIG}, d.body, q.query, ${PASSAGE}) AS body,
          ts_rank(${WEIGHTS}, d.document, r.query) AS score
        FROM search_documents d
        CROSS JOIN ${tsquery} AS q(query)
        CROSS JOIN ${rankQuery} AS r(query)
        WHERE d.article_id IN (${sql.join(ids)})`.execute(db);
      const byId = new Map(marked.rows.map((r) => [Number(r.id), r]));
      return {
        total,
        hits: ranked.rows.map((r) => {
          const m = byId.get(r.id);
          return {
            articleId: r.id,
            score: Number(m?.score ?? r.score),
            headlineHtml: markedHtml(m?.headline ?? ''),
            snippetHtml: chooseSnippet(m?.standfirst ?? '', m?.body ?? ''),
          };
        }),
      };
    },

    async optimize() {
      // After a bulk load: merge the index's pending entries, and fresh statistics so the planner
      // estimates matches (and chooses the GIN index) well.
      await sql`SELECT gin_clean_pending_list('search_documents_document'::regclass)`.execute(db);
      await sql`ANALYZE search_documents`.execute(db);
    },
  };
}
