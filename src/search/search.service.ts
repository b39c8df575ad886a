/**
 * Searching as the site and the API offer it: a reader's query and filters in,
 * a page of published stories with highlighted passages out, or a plain
 * sentence about what was wrong with the query. Filters name sections, tags and
 * authors by slug; the content service resolves them and supplies the stories.
 */
import type { ContentService } from '../content/content.service.js';
import type { ArticleSummary, AuthorProfile, Page, SectionNode, TagProfile } from '../content/content.model.js';
import { parseQuery, type ParsedQuery, type QueryProblem } from './query.js';
import type { SearchFilters, SearchIndex, SearchSort } from './search-index.service.js';

export interface SearchRequest {
  q: string;
  section?: string | undefined;
  tag?: string | undefined;
  author?: string | undefined;
  /** YYYY-MM-DD, inclusive (UTC days). */
  from?: string | undefined;
  /** YYYY-MM-DD, inclusive (UTC days). */
  to?: string | undefined;
  sort: SearchSort;
  page: number;
  pageSize: number;
}

export interface SearchResult {
  article: ArticleSummary;
  score: number;
  /** Safe HTML: the headline with matches in <mark>. */
  headlineHtml: string;
  /** Safe HTML: a passage with matches in <mark>. */
  snippetHtml: string;
}

export interface ActiveFilters {
  section: SectionNode | null;
  tag: TagProfile | null;
  author: AuthorProfile | null;
  from: string | null;
  to: string | null;
}

export type FilterProblemCode = 'unknown_section' | 'unknown_tag' | 'unknown_author' | 'bad_date' | 'bad_date_range';

export type SearchOutcome =
  | { ok: true; query: ParsedQuery; filters: ActiveFilters; results: Page<SearchResult> }
  | { ok: false; problem: QueryProblem | { code: FilterProblemCode; message: string }; filters: ActiveFilters };

export interface SearchServiceDeps {
  index: SearchIndex;
  content: ContentService;
  now: () => Date;
}

const DAY_MS = 86_400_000;

/** The start of a UTC day as ISO time, or null when the date does not exist (2026-02-30). */
function dayStart(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const t = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) return null;
  return new Date(t).toISOString();
}

export type SearchService = ReturnType<typeof createSearchService>;

export function createSearchService({ index, content, now }: SearchServiceDeps) {
  async function resolveFilters(r: SearchRequest): Promise<{ filters: ActiveFilters; problem?: { code: FilterProblemCode; message: string } }> {
    const [section, tag, author] = await Promise.all([
      r.section ? content.section(r.section) : null,
      r.tag ? content.tag(r.tag) : null,
      r.author ? content.author(r.author) : null,
    ]);
    const filters: ActiveFilters = { section, tag, author, from: r.from || null, to: r.to || null };
    if (r.section && !section) return { filters, problem: { code: 'unknown_section', message: `There is no section "${r.section}".` } };
    if (r.tag && !tag) return { filters, problem: { code: 'unknown_tag', message: `There is no topic "${r.tag}".` } };
    if (r.author && !author) return { filters, problem: { code: 'unknown_author', message: `There is no author "${r.author}".` } };
    for (const [name, value] of [['from', r.from], ['to', r.to]] as const) {
      if (value && !dayStart(value)) return { filters, problem: { code: 'bad_date', message: `The "${name}" date ${value} does not exist; use a date like 2026-11-29.` } };
    }
    if (r.from && r.to && r.from > r.to) {
      return { filters, problem: { code: 'bad_date_range', message: `The "from" date (${r.from}) is after the "to" date (${r.to}); swap them to search that period.` } };
    }
    return { filters };
  }

  return {
    async search(r: SearchRequest): Promise<SearchOutcome> {
      const parsed = parseQuery(r.q);
      const { filters, problem } = await resolveFilters(r);
      if (!parsed.ok) return { ok: false, problem: parsed.problem, filters };
      if (problem) return { ok: false, problem, filters };

      const indexFilters: SearchFilters = {};
      if (filters.section) indexFilters.sectionIds = [filters.section.id, ...filters.section.children.map((c) => c.id)];
      if (filters.tag) indexFilters.tagId = filters.tag.id;
      if (filters.author) indexFilters.authorId = filters.author.id;
      if (filters.from) indexFilters.from = dayStart(filters.from)!;
      if (filters.to) indexFilters.before = new Date(Date.parse(dayStart(filters.to)!) + DAY_MS).toISOString();

      const { total, hits } = await index.search({
        query: parsed.query,
        filters: indexFilters,
        sort: r.sort,
        limit: r.pageSize,
        offset: (r.page - 1) * r.pageSize,
        now: now().toISOString(),
      });
      const summaries = await content.publishedSummaries(hits.map((h) => h.articleId));
      const items: SearchResult[] = [];
      for (const hit of hits) {
        const article = summaries.get(hit.articleId);
        if (article) items.push({ article, score: hit.score, headlineHtml: hit.headlineHtml, snippetHtml: hit.snippetHtml });
      }
      return {
        ok: true,
        query: parsed.query,
        filters,
        results: { items, page: r.page, pageSize: r.pageSize, total, totalPages: Math.max(1, Math.ceil(total / r.pageSize)) },
      };
    },
  };
}
