/** What full-text search is made of: the query the index answers, its hits, and the two sides' one interface. */
import type { ParsedQuery } from './query.js';

export interface SearchFilters {
  /** Stories in any of these sections (a section and its subsections). */
  sectionIds?: number[];
  tagId?: number;
  authorId?: number;
  /** Published at or after this ISO time. */
  from?: string;
  /** Published before this ISO time. */
  before?: string;
}

export type SearchSort = 'relevance' | 'date';

export interface IndexQuery {
  query: ParsedQuery;
  filters: SearchFilters;
  sort: SearchSort;
  limit: number;
  offset: number;
  /** ISO time: stories published after it (embargoed) are not found. */
  now: string;
}

export interface SearchHit {
  articleId: number;
  /** Higher is more relevant; comparable only within one search. */
  score: number;
  /** The headline as safe HTML, matches in <mark>. */
  headlineHtml: string;
  /** A passage of the story as safe HTML, matches in <mark>. */
  snippetHtml: string;
}

export interface SearchHits {
  total: number;
  hits: SearchHit[];
}

export interface SyncOptions {
  signal?: AbortSignal;
  /** Told after each batch: stories indexed so far of those found missing. */
  onProgress?: (progress: { indexed: number; missing: number }) => void;
}

export interface SearchIndex {
  /** Indexes the story as it is now; a story that is not published is removed instead. */
  index(articleId: number): Promise<void>;
  remove(articleId: number): Promise<void>;
  /** Re-indexes every published story and drops everything else; returns how many are indexed. */
  rebuild(): Promise<number>;
  /**
   * Cheap catch-up: indexes published stories missing from the index and drops unpublished ones.
   * With `signal`, stops after the batch in hand once aborted (what is indexed stays indexed).
   */
  sync(opts?: SyncOptions): Promise<{ indexed: number; removed: number }>;
  search(q: IndexQuery): Promise<SearchHits>;
}

/** What differs between the databases: running a query, and tidying up after a rebuild. */
export interface SearchEngine {
  search(q: IndexQuery): Promise<SearchHits>;
  optimize(): Promise<void>;
}
