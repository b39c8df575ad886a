import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Full-text search keeps one plain-text document per published story in
// `search_documents` (the body as text, not the editor's JSON), with the
// story's publication time and section so that a search never has to read the
// (wide) articles table for its matches. Each database indexes it its own way:
// - SQLite: an FTS5 table over `search_documents` (external content, kept in
//   step by triggers), tokenized with the Porter stemmer over unicode61 with
//   diacritics removed, so "Cafe", "café" and "cafés" all match "café".
// - PostgreSQL: a stored tsvector column computed from the same text with
//   weights A (headline), B (standfirst), C (body), under a GIN index. The
//   text search configuration `dispatch_search` is English stemming behind
//   `unaccent` when the extension can be created, plain English otherwise.
//
// Also: `articles.translation_group`, a free key shared by the versions of one
// story in different languages (for hreflang links).
export function searchMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('articles').addColumn('translation_group', 'text').execute();
      await db.schema.createIndex('articles_translation_group').on('articles').column('translation_group').execute();

      await db.schema
        .createTable('search_documents')
        .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
        // Small columns first: SQLite reads a row's leading columns without following its overflow pages.
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('section_id', 'integer', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('standfirst', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();

      if (ctx.dialect === 'sqlite') {
        await sql`CREATE VIRTUAL TABLE search_fts USING fts5(
          headline, standfirst, body,
          content='search_documents', content_rowid='article_id',
          tokenize='porter unicode61 remove_diacritics 2'
        )`.execute(db);
        await sql`CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
          INSERT INTO search_fts(rowid, headline, standfirst, body) VALUES (new.article_id, new.headline, new.standfirst, new.body);
        END`.execute(db);
        await sql`CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
          INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body) VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body);
        END`.execute(db);
        await sql`CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
          INSERT INTO search_fts(search_fts, rowid, headline, standfirst, body) VALUES ('delete', old.article_id, old.headline, old.standfirst, old.body);
          INSERT INTO search_fts(rowid, headline, standfirst, body) VALUES (new.article_id, new.headline, new.standfirst, new.body);
        END`.execute(db);
        return;
      }

      // CREATE EXTENSION needs a privileged role on many servers. The DO block's
      // exception handler is a subtransaction, so a refusal does not abort the
      // migration's transaction: search then works, only without accent folding.
      await sql`DO $$
      BEGIN
        BEGIN
          CREATE EXTENSION IF NOT EXISTS unaccent;
          CREATE TEXT SEARCH CONFIGURATION dispatch_search (COPY = pg_catalog.english);
          ALTER TEXT SEARCH CONFIGURATION dispatch_search
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        EXCEPTION WHEN OTHERS THEN
          RAISE NOTICE 'unaccent is not available (%); search will not fold accents', SQLERRM;
          CREATE TEXT SEARCH CONFIGURATION dispatch_search (COPY = pg_catalog.english);
        END;
      END
      $$`.execute(db);
      await sql`ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dispatch_search'::regconfig, headline), 'A') ||
        setweight(to_tsvector('dispatch_search'::regconfig, standfirst), 'B') ||
        setweight(to_tsvector('dispatch_search'::regconfig, body), 'C')
      ) STORED`.execute(db);
      // New entries queue in a pending list that every search scans until it is merged; a small limit
      // (in kB, default 4 MB) keeps searches fast between merges while bulk loads still merge in batches.
      await sql`CREATE INDEX search_documents_document ON search_documents USING GIN (document) WITH (gin_pending_list_limit = 512)`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (ctx.dialect === 'sqlite') await sql`DROP TABLE IF EXISTS search_fts`.execute(db);
      await db.schema.dropTable('search_documents').execute();
      if (ctx.dialect === 'postgres') await sql`DROP TEXT SEARCH CONFIGURATION IF EXISTS dispatch_search`.execute(db);
      await db.schema.dropIndex('articles_translation_group').execute();
      await db.schema.alterTable('articles').dropColumn('translation_group').execute();
    },
  };
}
