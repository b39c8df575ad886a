import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** One saved story as the list needs it; the headline stays readable after the story is unpublished. */
export interface FavoriteRow {
  article_id: number;
  created_at: string;
  headline: string;
}

export const favoriteStore = {
  /** Saves the story; true when it was not saved before. */
  async add(db: Conn, userId: number, articleId: number, at: string): Promise<boolean> {
    const result = await db
      .insertInto('favorites')
      .values({ user_id: userId, article_id: articleId, created_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'article_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /** Saves several stories at once; already saved ones keep their time. Returns how many were new. */
  async addMany(db: Conn, userId: number, rows: Array<{ articleId: number; at: string }>): Promise<number> {
    if (!rows.length) return 0;
    const result = await db
      .insertInto('favorites')
      .values(rows.map((r) => ({ user_id: userId, article_id: r.articleId, created_at: r.at })))
      .onConflict((oc) => oc.columns(['user_id', 'article_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  },

  /** Removes the story; true when it was saved. */
  async remove(db: Conn, userId: number, articleId: number): Promise<boolean> {
    const result = await db.deleteFrom('favorites').where('user_id', '=', userId).where('article_id', '=', articleId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  async has(db: Conn, userId: number, articleId: number): Promise<boolean> {
    const row = await db
      .selectFrom('favorites')
      .select('article_id')
      .where('user_id', '=', userId)
      .where('article_id', '=', articleId)
      .executeTakeFirst();
    return row !== undefined;
  },

  async count(db: Conn, userId: number): Promise<number> {
    const row = await db
      .selectFrom('favorites')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Which of `articleIds` the reader has saved already. */
  async savedAmong(db: Conn, userId: number, articleIds: number[]): Promise<number[]> {
    if (!articleIds.length) return [];
    const rows = await db
      .selectFrom('favorites')
      .select('article_id')
      .where('user_id', '=', userId)
      .where('article_id', 'in', articleIds)
      .execute();
    return rows.map((r) => r.article_id);
  },

  /** Every saved article id, newest saved first. */
  async ids(db: Conn, userId: number): Promise<number[]> {
    const rows = await db
      .selectFrom('favorites')
      .select('article_id')
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('article_id', 'desc')
      .execute();
    return rows.map((r) => r.article_id);
  },

  /** A page of saved stories, newest saved first, whatever their status now. */
  list(db: Conn, userId: number, limit: number, offset: number): Promise<FavoriteRow[]> {
    return db
      .selectFrom('favorites')
      .innerJoin('articles', 'articles.id', 'favorites.article_id')
      .select(['favorites.article_id', 'favorites.created_at', 'articles.headline'])
      .where('favorites.user_id', '=', userId)
      .orderBy('favorites.created_at', 'desc')
      .orderBy('favorites.article_id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  },
};

/**
 * The ids of a reader's saved stories, newest saved first: what `/api/v1/me`
 * reports as `favorites` so the page's script can mark the buttons.
 */
export function favoriteIdsFor(db: Conn, userId: number): Promise<number[]> {
  return favoriteStore.ids(db, userId);
}
