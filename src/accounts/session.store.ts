import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export const sessionStore = {
  insert(db: Conn, row: { id_hash: string; user_id: number; created_at: string; last_seen_at: string; expires_at: string; ip: string | null; user_agent: string | null }) {
    return db.insertInto('sessions').values(row).execute();
  },

  /** The session and its user, if the session has not expired. */
  findLive(db: Conn, idHash: string, now: string) {
    return db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id_hash', 'sessions.expires_at', 'sessions.last_seen_at',
        'users.id', 'users.email', 'users.display_name', 'users.role', 'users.status', 'users.comment_banned_at',
      ])
      .where('sessions.id_hash', '=', idHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
  },

  touch(db: Conn, idHash: string, lastSeen: string, expires: string) {
    return db.updateTable('sessions').set({ last_seen_at: lastSeen, expires_at: expires }).where('id_hash', '=', idHash).execute();
  },

  delete(db: Conn, idHash: string) {
    return db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },

  /** Ends every session of a user (password change, account disabled), optionally but one. */
  deleteForUser(db: Conn, userId: number, exceptIdHash?: string) {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash);
    return q.execute();
  },
};
