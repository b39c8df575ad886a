/**
 * Reusable pieces of every page: times and pagination. Pure functions of their
 * props: no I/O, nothing personal (every reader gets the same HTML).
 */
import { exactTime, relativeTime } from './relative-time.js';

/**
 * A relative time ("3 hours ago") whose exact value is in `datetime` and its
 * title. The client script rewrites only the text of `time[data-relative]`
 * against the reader's clock, so a prefix ("Updated ") is rendered outside the
 * <time> element and survives the refresh.
 */
export function RelTime({ iso, now, prefix }: { iso: string; now: Date; prefix?: string }) {
  const time = (
    <time dateTime={iso} title={exactTime(iso)} data-relative="">
      {relativeTime(iso, now)}
    </time>
  );
  if (!prefix) return time;
  return (
    <span class="reltime">
      {prefix}
      {time}
    </span>
  );
}

export function pageHref(basePath: string, page: number): string {
  if (page <= 1) return basePath;
  return `${basePath}${basePath.includes('?') ? '&' : '?'}page=${page}`;
}

export interface PaginationProps {
  page: number;
  totalPages: number;
  /** Lists of stories: page N is `basePath?page=N`. */
  basePath?: string;
  /** Other lists (comments, search results) say how to reach page N. */
  href?: (page: number) => string;
  /** Link words and what is paged, e.g. { prev: 'Previous', next: 'More', what: 'comments' }. */
  words?: { prev: string; next: string; what: string };
  label?: string;
}

/** Previous/next links with "Page X of Y"; nothing when everything fits on one page. */
export function Pagination({ page, totalPages, basePath = '', href = (n) => pageHref(basePath, n), words = { prev: 'Newer', next: 'Older', what: 'stories' }, label = 'Pagination' }: PaginationProps) {
  if (totalPages <= 1) return null;
  return (
    <nav class="pagination" aria-label={label}>
      {page > 1 ? (
        <a class="pagination__prev" href={href(page - 1)} rel="prev">
          <span aria-hidden="true">← </span>
          {words.prev}
          <span class="visually-hidden"> {words.what}</span>
        </a>
      ) : (
        <span class="pagination__spacer" />
      )}
      <span class="pagination__status">
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? (
        <a class="pagination__next" href={href(page + 1)} rel="next">
          {words.next}
          <span class="visually-hidden"> {words.what}</span>
          <span aria-hidden="true"> →</span>
        </a>
      ) : (
        <span class="pagination__spacer" />
      )}
    </nav>
  );
}
