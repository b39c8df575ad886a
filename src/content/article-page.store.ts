/**
 * SQL of the article page's read model (`article_pages`, `article_page_related`):
 * a published story's page as one document, its card, and its related stories.
 * The page reads it all in one query; the content service writes it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CommentsMode, Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/**
 * One row of the page's read: the story itself (position -1, with its document), then
 * its related stories in order (their cards; null when a related story has no row yet).
 * Comment counts and whether each story is public now come from `articles`, live.
 */
export interface PageReadRow {
  article_id: number;
  position: number;
  doc: string | null;
  card: string | null;
  source_modified_at: string | null;
  modified_at: string;
  comment_count: number | string;
  /** The story's own comments mode (the story's row only). */
  comments_mode: CommentsMode | null;
  /** Whether the story has live coverage (the story's row only): its stream is read only then. */
  has_live: number | string | null;
}

export interface PageWrite {
  articleId: number;
  doc: string;
  card: string;
  sourceModifiedAt: string;
  relatedIds: number[];
}

export const articlePageStore = {
  /** The story's page and its related cards, if the story is public at `now`: one query. */
  async read(db: Conn, articleId: number, now: string): Promise<PageReadRow[]> {
    const { rows } = await sql<PageReadRow>`
      select "a"."id" as "article_id", -1 as "position", "p"."doc", "p"."card", "p"."source_modified_at", "a"."modified_at", "a"."comment_count", "a"."comments_mode",
        (select count(*) from "live_coverages" as "lc" where "lc"."article_id" = "a"."id") as "has_live"
      from "articles" as "a" left join "article_pages" as "p" on "p"."article_id" = "a"."id"
      where "a"."id" = ${articleId} and "a"."status" = 'published' and "a"."published_at" <= ${now}
      union all
      select "a"."id", "l"."position", null, "r"."card", "r"."source_modified_at", "a"."modified_at", "a"."comment_count", null, null
      from "article_page_related" as "l"
        inner join "articles" as "a" on "a"."id" = "l"."related_id"
        left join "article_pages" as "r" on "r"."article_id" = "l"."related_id"
      where "l"."article_id" = ${articleId} and "a"."status" = 'published' and "a"."published_at" <= ${now}
      order by "position"`.execute(db);
    return rows;
  },

  /**
   * The public stories among `ids` with their cards (null: no row yet) and live comment
   * counts, newest first, as listPublished orders them: one query.
   */
  publishedCards(db: Conn, ids: number[], now: string) {
    return db
      .selectFrom('articles as a')
      .leftJoin('article_pages as p', 'p.article_id', 'a.id')
      .select(['a.id', 'a.modified_at', 'a.comment_count', 'p.card', 'p.source_modified_at'])
      .where('a.id', 'in', ids)
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now)
      .orderBy('a.published_at', 'desc')
      .orderBy('a.id', 'desc')
      .execute();
  },

  /** Writes pages (replacing what was there) with their related lists. */
  async save(db: Conn, pages: PageWrite[], builtAt: string): Promise<void> {
    if (!pages.length) return;
    const ids = pages.map((p) => p.articleId);
    await db.deleteFrom('article_page_related').where('article_id', 'in', ids).execute();
    await db.deleteFrom('article_pages').where('article_id', 'in', ids).execute();
    await db
      .insertInto('article_pages')
      .values(pages.map((p) => ({ article_id: p.articleId, doc: p.doc, card: p.card, source_modified_at: p.sourceModifiedAt, built_at: builtAt })))
      .execute();
    const links = pages.flatMap((p) => p.relatedIds.map((related_id, position) => ({ article_id: p.articleId, position, related_id })));
    if (links.length) await db.insertInto('article_page_related').values(links).execute();
  },

  /** Replaces only the related lists of these pages. */
  async saveRelated(db: Conn, lists: Array<{ articleId: number; relatedIds: number[] }>): Promise<void> {
    if (!lists.length) return;
    await db.deleteFrom('article_page_related').where('article_id', 'in', lists.map((l) => l.articleId)).execute();
    const links = lists.flatMap((l) => l.relatedIds.map((related_id, position) => ({ article_id: l.articleId, position, related_id })));
    if (links.length) await db.insertInto('article_page_related').values(links).execute();
  },

  /** Drops the pages of these stories (they are rebuilt when next read, or by the filler). */
  async remove(db: Conn, ids: number[]): Promise<void> {
    if (!ids.length) return;
    await db.deleteFrom('article_page_related').where('article_id', 'in', ids).execute();
    await db.deleteFrom('article_pages').where('article_id', 'in', ids).execute();
  },

  /** The pages that list `relatedId` among their related stories. */
  async listing(db: Conn, relatedId: number): Promise<number[]> {
    const rows = await db.selectFrom('article_page_related').select('article_id').where('related_id', '=', relatedId).execute();
    return [...new Set(rows.map((r) => r.article_id))];
  },

  /** Public stories without a page yet, newest id first. */
  async missing(db: Conn, now: string, limit: number): Promise<number[]> {
    const rows = await db
      .selectFrom('articles')
      .leftJoin('article_pages', 'article_pages.article_id', 'articles.id')
      .select('articles.id')
      .where('article_pages.article_id', 'is', null)
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  },
};
