/**
 * SQL for the people desk: staff and readers as admins see and change them.
 * Disabling writes the user's status and ends their sessions in the caller's
 * transaction, with the audit entry, so it is all-or-nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Role, UserStatus } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface PeopleFilter {
  role?: Role;
  status?: UserStatus;
  /** Email or display name contains, case-insensitively. */
  q?: string;
}

const COLUMNS = ['id', 'email', 'display_name', 'role', 'status', 'created_at', 'updated_at'] as const;

function filtered(db: Conn, f: PeopleFilter) {
  let q = db.selectFrom('users');
  if (f.role) q = q.where('role', '=', f.role);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['email']), 'like', like), eb(eb.fn('lower', ['display_name']), 'like', like)]));
  }
  return q;
}

export const peopleStore = {
  list(db: Conn, f: PeopleFilter, limit: number, offset: number) {
    return filtered(db, f).select([...COLUMNS]).orderBy('id').limit(limit).offset(offset).execute();
  },
  async count(db: Conn, f: PeopleFilter): Promise<number> {
    const row = await filtered(db, f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
  byId(db: Conn, id: number) {
    return db.selectFrom('users').select([...COLUMNS]).where('id', '=', id).executeTakeFirst();
  },
  async update(db: Conn, id: number, set: { role?: Role; status?: UserStatus; updated_at: string }): Promise<void> {
    await db.updateTable('users').set(set).where('id', '=', id).execute();
  },
  /** Ends every session of the user at once: the next request is signed out. */
  async endSessions(db: Conn, userId: number): Promise<number> {
    const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
  async activeAdmins(db: Conn): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
