import type { Kysely, Transaction } from 'kysely';
import type { Database, Role, User, UserStatus } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export const userStore = {
  forModeration(db: Conn, userId: number) {
    return db.selectFrom('users').select(['id', 'role', 'display_name', 'comment_banned_at']).where('id', '=', userId).executeTakeFirst();
  },

  setCommentBan(db: Conn, userId: number, bannedAt: string | null, now: string) {
    return db.updateTable('users').set({ comment_banned_at: bannedAt, updated_at: now }).where('id', '=', userId).execute();
  },

  byEmail(db: Conn, email: string): Promise<User | undefined> {
    return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  },

  byId(db: Conn, id: number): Promise<User | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insert(db: Conn, u: { email: string; display_name: string; password_hash: string | null; role: Role; status: UserStatus; now: string }): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({ email: u.email, display_name: u.display_name, password_hash: u.password_hash, role: u.role, status: u.status, created_at: u.now, updated_at: u.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  update(db: Conn, id: number, set: Partial<Pick<User, 'display_name' | 'password_hash' | 'role' | 'status' | 'comment_banned_at' | 'email'>> & { updated_at: string }) {
    return db.updateTable('users').set(set).where('id', '=', id).execute();
  },

  delete(db: Conn, id: number) {
    return db.deleteFrom('users').where('id', '=', id).execute();
  },
};
