import { Pagination, RelTime } from '../../web/components.js';
import { Byline, SectionLabel, toneClass } from '../../content/views/story-parts.js';
import { Icon } from '../../web/icons.js';
import { Layout } from '../../web/layout.js';
import type { Chrome } from '../../web/view-types.js';
import type { SearchSort } from '../search-index.service.js';
import type { SearchOutcome, SearchResult } from '../search.service.js';
import { MAX_QUERY_LENGTH } from '../query.js';

export const SEARCH_PATH = '/search';

/** The form's values as the reader submitted them (empty strings for untouched fields). */
export interface SearchForm {
  q: string;
  section: string;
  tag: string;
  author: string;
  from: string;
  to: string;
  sort: SearchSort;
  page: number;
}

export interface SearchPageProps {
  chrome: Chrome;
  form: SearchForm;
  /** null: nothing searched yet (the bare /search page). */
  outcome: SearchOutcome | null;
}

/** The address of this search with some fields changed; empty fields are left out. */
export function searchHref(form: SearchForm, change: Partial<SearchForm>): string {
  const next = { ...form, ...change };
  const params = new URLSearchParams();
  for (const key of ['q', 'section', 'tag', 'author', 'from', 'to'] as const) {
    if (next[key]) params.set(key, next[key]);
  }
  if (next.sort !== 'relevance') params.set('sort', next.sort);
  if (next.page > 1) params.set('page', String(next.page));
  const qs = params.toString();
  return qs ? `${SEARCH_PATH}?${qs}` : SEARCH_PATH;
}

function Tips() {
  return (
    <div class="search-tips">
      <h2 class="search-tips__title">Search tips</h2>
      <ul>
        <li>Every word must appear: <code>ondara water</code></li>
        <li>Put a phrase in quotes: <code>"wadi sarn"</code></li>
        <li>Leave a word out with a minus: <code>rain -drought</code></li>
        <li>Accents and capitals do not matter: <code>cafe</code> finds “Café”.</li>
      </ul>
    </div>
  );
}

function Result({ result, now }: { result: SearchResult; now: Date }) {
  const { article } = result;
  return (
    <li class={`search-result ${toneClass(article.section)}`}>
      <SectionLabel section={article.section} />
      <h2 class="search-result__headline">
        {/* Safe HTML: the text is escaped and only our own <mark> tags are added (see search.store.ts). */}
        <a href={article.path} dangerouslySetInnerHTML={{ __html: result.headlineHtml }} />
      </h2>
      {result.snippetHtml ? <p class="search-result__snippet" dangerouslySetInnerHTML={{ __html: result.snippetHtml }} /> : null}
      <div class="search-result__meta">
        <Byline authors={article.authors} creditLine={article.creditLine} />
        <p class="search-result__time">
          <Icon name="clock" size={14} />
          <RelTime iso={article.publishedAt} now={now} />
        </p>
      </div>
    </li>
  );
}

function Filters({ form, outcome }: { form: SearchForm; outcome: SearchOutcome | null }) {
  const chips: Array<{ label: string; remove: string }> = [];
  const f = outcome?.filters;
  if (form.tag) chips.push({ label: `Topic: ${f?.tag?.name ?? form.tag}`, remove: searchHref(form, { tag: '', page: 1 }) });
  if (form.author) chips.push({ label: `Author: ${f?.author?.name ?? form.author}`, remove: searchHref(form, { author: '', page: 1 }) });
  if (!chips.length) return null;
  return (
    <ul class="search-chips" role="list" aria-label="Active filters">
      {chips.map((c) => (
        <li class="chip">
          <span>{c.label}</span>
          <a class="search-chips__remove" href={c.remove}>
            <span aria-hidden="true">×</span>
            <span class="visually-hidden">Remove filter {c.label}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function SearchPage({ chrome, form, outcome }: SearchPageProps) {
  const title = form.q.trim() && outcome?.ok ? `Search: ${form.q.trim().slice(0, 80)}` : 'Search';
  const results = outcome?.ok ? outcome.results : null;
  return (
    <Layout chrome={chrome} meta={{ title, canonicalPath: searchHref(form, {}), noindex: true, description: `Search the stories of ${chrome.site.name}.` }}>
      <header class="page-header">
        <h1 class="page-header__title">
          <Icon name="search" size={30} />
          <span>Search</span>
        </h1>
      </header>

      <form class="search-form" action={SEARCH_PATH} method="get" role="search" aria-label="Search stories">
        <div class="search-form__main">
          <label class="visually-hidden" for="search-q">
            Search for
          </label>
          <input id="search-q" class="search-form__input" type="search" name="q" value={form.q} maxLength={MAX_QUERY_LENGTH} placeholder="Words, “a phrase” or -leave-out" autocomplete="off" />
          <button class="search-form__submit" type="submit">
            Search
          </button>
        </div>
        <div class="search-form__filters">
          <label>
            <span>Section</span>
            <select name="section">
              <option value="">All sections</option>
              {chrome.sections.map((s) => (
                <>
                  <option value={s.slug} selected={form.section === s.slug}>
                    {s.name}
                  </option>
                  {s.children.map((c) => (
                    <option value={c.slug} selected={form.section === c.slug}>
                      {`${s.name} › ${c.name}`}
                    </option>
                  ))}
                </>
              ))}
            </select>
          </label>
          <label>
            <span>From</span>
            <input type="date" name="from" value={form.from} />
          </label>
          <label>
            <span>To</span>
            <input type="date" name="to" value={form.to} />
          </label>
          <label>
            <span>Sort by</span>
            <select name="sort">
              <option value="relevance" selected={form.sort === 'relevance'}>
                Best match
              </option>
              <option value="date" selected={form.sort === 'date'}>
                Newest first
              </option>
            </select>
          </label>
          {form.tag ? <input type="hidden" name="tag" value={form.tag} /> : null}
          {form.author ? <input type="hidden" name="author" value={form.author} /> : null}
        </div>
      </form>
      <Filters form={form} outcome={outcome} />

      {outcome === null ? (
        <Tips />
      ) : !outcome.ok ? (
        <div class="search-notice" role="status">
          <p class="search-notice__message">{outcome.problem.message}</p>
          <Tips />
        </div>
      ) : results && results.items.length === 0 ? (
        <div class="search-notice" role="status">
          <p class="search-notice__message">
            {results.page > 1 && results.total > 0
              ? `There are no more results: the last page is ${results.totalPages}.`
              : `No stories match “${outcome.query.normalized}”${form.section || form.tag || form.author || form.from || form.to ? ' with these filters' : ''}.`}
          </p>
          <Tips />
        </div>
      ) : results ? (
        <section aria-labelledby="search-results-heading">
          <p id="search-results-heading" class="search-summary" role="status">
            {results.total === 1 ? '1 story' : `${results.total.toLocaleString('en')} stories`} for “{outcome.query.normalized}”
            {results.totalPages > 1 ? ` · page ${results.page} of ${results.totalPages}` : ''}
          </p>
          <ol class="search-results" role="list">
            {results.items.map((r) => (
              <Result result={r} now={chrome.now} />
            ))}
          </ol>
          <Pagination page={results.page} totalPages={results.totalPages} href={(n) => searchHref(form, { page: n })} words={{ prev: 'Previous', next: 'Next', what: 'results' }} />
        </section>
      ) : null}
    </Layout>
  );
}
