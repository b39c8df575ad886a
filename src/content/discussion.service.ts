/**
 * What the comments domain may read and change of a story: whether and how
 * its discussion is open, and the approved-comment count shown with it. The
 * caller passes its connection or transaction, so a moderation decision and
 * the count it changes commit together.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CommentsMode, Database } from '../platform/db/types.js';
import { articleStore, type ArticleForComments } from './article.store.js';

export type { ArticleForComments } from './article.store.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The story a discussion belongs to (any status), or undefined. */
export function articleForComments(db: Conn, articleId: number): Promise<ArticleForComments | undefined> {
  return articleStore.articleForComments(db, articleId);
}

/** A story's own comments mode (null: the site default). */
export async function setCommentsMode(db: Conn, articleId: number, mode: CommentsMode | null): Promise<void> {
  await articleStore.setCommentsMode(db, articleId, mode);
}

/** The approved-comment count shown with a story. */
export async function setCommentCount(db: Conn, articleId: number, n: number): Promise<void> {
  await articleStore.setCommentCount(db, articleId, n);
}
