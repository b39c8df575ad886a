/**
 * Full-text search over published stories: one interface, a SQLite side (FTS5)
 * and a PostgreSQL side (tsvector + GIN). Everything but the query itself is
 * shared: which stories are indexed, the text of each, and how highlights are
 * made safe.
 */
import type { Db } from '../platform/db/connection.js';
import type { SearchEngine, SearchIndex } from './search.model.js';
import { createSearchDocuments, type SearchDocuments } from './search.store.js';
import { sqliteSearch } from './search-sqlite.store.js';
import { postgresSearch } from './search-postgres.store.js';

export type { IndexQuery, SearchEngine, SyncOptions, SearchFilters, SearchHit, SearchHits, SearchIndex, SearchSort } from './search.model.js';

export function createSearchIndex({ db }: { db: Db }): SearchIndex {
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
    sync: (opts) => docs.sync(opts),
    search: (q) => engine.search(q),
  };
}
