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

/**
 * Sets the approved-comment count shown with a story from `countApproved` (the comments
 * domain's count), run under the story row's lock: under READ COMMITTED two transactions
 * that each counted before the other committed would both write a count missing the
 * other's comment. With the lock taken first, the second waits, and its count (a new
 * statement, so a new snapshot) sees the first one's comment.
 */
export async function recountComments(trx: Transaction<Database>, articleId: number, countApproved: () => Promise<number>): Promise<void> {
  await articleStore.lockForCommentCount(trx, articleId);
  await articleStore.setCommentCount(trx, articleId, await countApproved());
}
