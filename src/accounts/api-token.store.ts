import type { Kysely, Transaction } from 'kysely';
import type { Database, Role } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** API tokens for the admin API: only the SHA-256 of a token is stored. */
export const apiTokenStore = {
  async insert(db: Conn, row: { name: string; token_hash: string; role: Role; created_by: number | null; created_at: string }): Promise<number> {
    const { id } = await db.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /**
   * A token that is not revoked, with the state of the user it acts for: a
   * token ends with its user's account, and never carries more rights than
   * that user has now.
   */
  findLive(db: Conn, tokenHash: string) {
    return db
      .selectFrom('api_tokens')
      .leftJoin('users', 'users.id', 'api_tokens.created_by')
      .select([
        'api_tokens.id', 'api_tokens.name', 'api_tokens.role', 'api_tokens.created_by', 'api_tokens.last_used_at',
        'users.role as user_role', 'users.status as user_status',
      ])
      .where('api_tokens.token_hash', '=', tokenHash)
      .where('api_tokens.revoked_at', 'is', null)
      .executeTakeFirst();
  },

  /** Records use at most once a minute, so a busy integration does not write on every request. */
  async touch(db: Conn, id: number, now: string, notSince: string): Promise<void> {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notSince)]))
      .execute();
  },

  list(db: Conn) {
    return db
      .selectFrom('api_tokens')
      .leftJoin('users', 'users.id', 'api_tokens.created_by')
      .select([
        'api_tokens.id', 'api_tokens.name', 'api_tokens.role', 'api_tokens.created_by', 'users.display_name as created_by_name',
        'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at',
      ])
      .orderBy('api_tokens.id', 'desc')
      .execute();
  },

  byId(db: Conn, id: number) {
    return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async revoke(db: Conn, id: number, now: string): Promise<boolean> {
    const r = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Ends every token a user made (their account was disabled). Returns how many. */
  async revokeForUser(db: Conn, userId: number, now: string): Promise<number> {
    const r = await db.updateTable('api_tokens').set({ revoked_at: now }).where('created_by', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};
