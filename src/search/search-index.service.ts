/**
 * Full-text search over published stories: one interface, a SQLite side (FTS5)
 * and a PostgreSQL side (tsvector + GIN). Everything but the query itself is
 * shared: which stories are indexed, the text of each, and how highlights are
 * made safe.
 */
import type { Db } from '../platform/db/connection.js';
import type { ParsedQuery } from './query.js';
import { createSearchDocuments, type SearchDocuments } from './search.store.js';
import { sqliteSearch } from './search-sqlite.store.js';
import { postgresSearch } from './search-postgres.store.js';

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

export interface SearchIndex {
  /** Indexes the story as it is now; a story that is not published is removed instead. */
  index(articleId: number): Promise<void>;
  remove(articleId: number): Promise<void>;
  /** Re-indexes every published story and drops everything else; returns how many are indexed. */
  rebuild(): Promise<number>;
  /** Cheap catch-up: indexes published stories missing from the index and drops unpublished ones. */
  sync(): Promise<{ indexed: number; removed: number }>;
  search(q: IndexQuery): Promise<SearchHits>;
}

/** What differs between the databases: running a query, and tidying up after a rebuild. */
export interface SearchEngine {
  search(q: IndexQuery): Promise<SearchHits>;
  optimize(): Promise<void>;
}

export function createSearchIndex(db: Db): SearchIndex {
  const docs: SearchDocuments = createSearchDocuments(db.kysely);
  const engine: SearchEngine = db.dialect === 'sqlite' ? sqliteSearch(db.kysely) : postgresSearch(db.kysely);
  return {
    index: (articleId) => docs.index(articleId),
    remove: (articleId) => docs.remove(articleId),
    async rebuild() {
      const n = await docs.rebuild();
      await engine.optimize();
      return n;
    },
    sync: () => docs.sync(),
    search: (q) => engine.search(q),
  };
}
