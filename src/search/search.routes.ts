import { h, type VNode } from 'preact';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import { serveCached } from '../platform/cache/http.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { presentSummary } from '../content/content.presenters.js';
import { createSearchService, type SearchOutcome } from './search.service.js';
import { keepSearchIndexCurrent } from './search.subscriber.js';
import { ErrorJson, SearchApiQuery, SearchPageQuery, SearchResponseJson } from './search.schemas.js';
import { SEARCH_PATH, SearchPage, type SearchForm } from './views/search-page.js';

/** Surrogate key of every search response: purged whenever a story is published, edited or withdrawn. */
export const SEARCH_KEY = 'search';
/** Results per page on the site. */
export const SEARCH_PAGE_SIZE = 10;
/** Searches change with every publication; keep them in shared caches only briefly. */
const SEARCH_S_MAXAGE = 60;

/**
 * `/search` (the site's page) and `GET /api/v1/search`. Results are the same for
 * every reader, so both go through the page cache under the `search` key.
 */
export const searchRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const service = createSearchService({ index: deps.search, content: deps.content, now: deps.now });
  const { cache, config } = deps;

  keepSearchIndexCurrent({ events: deps.events, search: deps.search, purge: deps.purge, purgeKeys: [SEARCH_KEY] });
  // Catch up on stories written while no server was listening (seed, import, an older version without
  // search), in the background: awaited here, a large catch-up held the start past Fastify's hook
  // timeout. Search answers meanwhile from what is already indexed.
  app.addHook('onReady', async () => deps.searchCatchUp.start());
  app.addHook('onClose', async () => deps.searchCatchUp.stop());

  app.get(SEARCH_PATH, { schema: { querystring: SearchPageQuery } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const query = req.query;
      const form: SearchForm = {
        q: query.q ?? '',
        section: query.section ?? '',
        tag: query.tag ?? '',
        author: query.author ?? '',
        from: query.from ?? '',
        to: query.to ?? '',
        sort: query.sort ?? 'relevance',
        page: query.page ?? 1,
      };
      // The bare page (no q at all) shows the form and tips; an empty or absurd q explains itself.
      const outcome = query.q === undefined && !form.tag && !form.author && !form.section
        ? null
        : await service.search({ ...form, pageSize: SEARCH_PAGE_SIZE });
      const chrome = await buildChrome(deps);
      const body = renderDocument(h(SearchPage, { chrome, form, outcome }) as VNode);
      return { contentType: 'text/html; charset=utf-8', body, keys: ['chrome', SEARCH_KEY], sMaxAge: SEARCH_S_MAXAGE };
    }),
  );

  app.get('/api/v1/search', {
    schema: {
      tags: ['search'],
      summary: 'Full-text search over published stories',
      description:
        'Ranked by relevance (a match in the headline counts most, then the standfirst, then the body) or by date. ' +
        'Each result carries the headline and a passage as HTML with the matches in <mark>; everything else in them is escaped. ' +
        'An empty or unusable query is a 400 whose message says what to change.',
      querystring: SearchApiQuery,
      response: { 200: SearchResponseJson, 400: ErrorJson, 404: ErrorJson },
    },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const { q, section, tag, author, from, to, sort = 'relevance', page = 1, limit = 10 } = req.query;
      const outcome = await service.search({ q, section, tag, author, from, to, sort, page, pageSize: limit });
      if (!outcome.ok) throw problemError(outcome);
      const body = {
        query: {
          q,
          understood: outcome.query.normalized,
          include: outcome.query.include,
          exclude: outcome.query.exclude,
          section: section ?? null,
          tag: tag ?? null,
          author: author ?? null,
          from: from ?? null,
          to: to ?? null,
          sort,
        },
        results: outcome.results.items.map((r) => ({
          article: presentSummary(r.article, config.siteUrl),
          score: r.score,
          headlineHtml: r.headlineHtml,
          snippetHtml: r.snippetHtml,
        })),
        pagination: {
          page: outcome.results.page, limit: outcome.results.pageSize, total: outcome.results.total, totalPages: outcome.results.totalPages,
        },
      };
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(body), keys: [SEARCH_KEY], sMaxAge: SEARCH_S_MAXAGE };
    }),
  );
};

/** An unknown section, tag or author is a 404 (as in /api/v1/articles); anything else about the query, a 400. */
function problemError(outcome: Extract<SearchOutcome, { ok: false }>): Error {
  const { code, message } = outcome.problem;
  if (code === 'unknown_section' || code === 'unknown_tag' || code === 'unknown_author') return new NotFoundError(message);
  // A stable code per problem for API clients: query_empty, query_too_long, query_no_words, query_bad_date, …
  return new AppError(400, `query_${code}`, message);
}
