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
  byEmail(db: Conn, email: string) {
    return db.selectFrom('users').select([...COLUMNS]).where('email', '=', email).executeTakeFirst();
  },
  /** A new, active account (an accepted invitation). */
  async insertActive(db: Conn, u: { email: string; display_name: string; password_hash: string; role: Role; now: string }): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({ email: u.email, display_name: u.display_name, password_hash: u.password_hash, role: u.role, status: 'active', created_at: u.now, updated_at: u.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },
  /** Finishes an account that never confirmed its sign-up (an accepted invitation proves the address). */
  async activateWith(db: Conn, id: number, set: { display_name: string; password_hash: string; role: Role; updated_at: string }): Promise<void> {
    await db.updateTable('users').set({ ...set, status: 'active' }).where('id', '=', id).execute();
  },
  /** Staff accounts (not readers), by name: the audit log's "who" filter. */
  staff(db: Conn, limit = 500) {
    return db.selectFrom('users').select(['id', 'display_name', 'email', 'role']).where('role', '!=', 'reader').orderBy('display_name').orderBy('id').limit(limit).execute();
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
