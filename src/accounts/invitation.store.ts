/**
 * SQL for staff invitations. A link is claimed with one conditional UPDATE
 * (pending, not expired, not revoked), so it works once even when two
 * requests race; the caller does it in the transaction that creates or
 * upgrades the account, so a failure there leaves the link usable.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Role } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

const COLUMNS = [
  'staff_invitations.id', 'staff_invitations.email', 'staff_invitations.role', 'staff_invitations.invited_by', 'staff_invitations.created_at',
  'staff_invitations.expires_at', 'staff_invitations.accepted_at', 'staff_invitations.accepted_user_id', 'staff_invitations.revoked_at',
] as const;

export interface InvitationRow {
  id: number;
  email: string;
  role: Role;
  invited_by: number | null;
  invited_by_name: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_user_id: number | null;
  revoked_at: string | null;
}

function withInviter(db: Conn) {
  return db
    .selectFrom('staff_invitations')
    .leftJoin('users', 'users.id', 'staff_invitations.invited_by')
    .select([...COLUMNS, 'users.display_name as invited_by_name']);
}

export const invitationStore = {
  async insert(db: Conn, row: { email: string; role: Role; token_hash: string; invited_by: number | null; created_at: string; expires_at: string }): Promise<number> {
    const { id } = await db.insertInto('staff_invitations').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  /** Withdraws every pending invitation to `email` (a new one replaces them); returns their ids. */
  async revokePendingFor(db: Conn, email: string, now: string): Promise<number[]> {
    const rows = await db
      .updateTable('staff_invitations')
      .set({ revoked_at: now })
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  },

  /** Invitations that can still be accepted, newest first. */
  pending(db: Conn, now: string): Promise<InvitationRow[]> {
    return withInviter(db)
      .where('staff_invitations.accepted_at', 'is', null)
      .where('staff_invitations.revoked_at', 'is', null)
      .where('staff_invitations.expires_at', '>', now)
      .orderBy('staff_invitations.id', 'desc')
      .limit(500)
      .execute();
  },

  byId(db: Conn, id: number): Promise<InvitationRow | undefined> {
    return withInviter(db).where('staff_invitations.id', '=', id).executeTakeFirst();
  },

  /** The invitation a link names, whatever its state (the caller says why it cannot be used). */
  byTokenHash(db: Conn, tokenHash: string): Promise<InvitationRow | undefined> {
    return withInviter(db).where('staff_invitations.token_hash', '=', tokenHash).executeTakeFirst();
  },

  /** Claims a live invitation for `userId`-to-be; returns it, or nothing when it is not (or no longer) usable. */
  claim(db: Conn, tokenHash: string, now: string) {
    return db
      .updateTable('staff_invitations')
      .set({ accepted_at: now })
      .where('token_hash', '=', tokenHash)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'email', 'role'])
      .executeTakeFirst();
  },

  async setAcceptedUser(db: Conn, id: number, userId: number): Promise<void> {
    await db.updateTable('staff_invitations').set({ accepted_user_id: userId }).where('id', '=', id).execute();
  },

  async revoke(db: Conn, id: number, now: string): Promise<boolean> {
    const r = await db
      .updateTable('staff_invitations')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};
