/**
 * Banning a reader from commenting is a mark on their account (accounts owns
 * users); the comments domain decides when, through these two calls, in its
 * own transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { userStore } from './user.store.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** The account as a moderator sees it: role, display name, and whether it is banned from commenting. */
export function readerForModeration(db: Conn, userId: number) {
  return userStore.forModeration(db, userId);
}

export async function setCommentBan(db: Conn, userId: number, bannedAt: string | null, now: string): Promise<void> {
  await userStore.setCommentBan(db, userId, bannedAt, now);
}
