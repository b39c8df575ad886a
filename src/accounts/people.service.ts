/**
 * The people desk, for admins: accounts and their roles, disabling an account
 * (its sessions and API tokens end at once), API tokens, and the audit log.
 */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../platform/db/types.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { hashToken } from './session.js';
import { authorize, can, isTokenRole, PolicyError } from './staff.policy.js';
import { userStore } from './user.store.js';
import { peopleStore, type PeopleFilter } from './people.store.js';
import { apiTokenStore } from './api-token.store.js';
import { audit, auditSubjectNames, listAuditEntries, type AuditFilter } from '../audit/audit.service.js';
import { newApiToken, type Staff } from './staff.js';

/** The id of the active account at `email` (the command line names token owners by address), or null. */
export async function activeUserIdByEmail(db: Kysely<Database>, email: string): Promise<number | null> {
  const user = await userStore.byEmail(db, email.trim().toLowerCase());
  return user && user.status === 'active' ? user.id : null;
}

export type PeopleService = ReturnType<typeof createPeopleService>;

/**
 * Makes an API token and returns it: the only time it is seen, since only its
 * hash is kept. Used by the admin API and by `dispatch tokens create`.
 */
export async function issueApiToken(
  db: Kysely<Database>,
  input: { name: string; role: Role; createdBy: number | null },
  by: Staff,
  now: Date,
): Promise<{ id: number; secret: string }> {
  if (!isTokenRole(input.role)) throw new ValidationError('A token acts for staff: its role is contributor, editor or admin.');
  const name = input.name.trim();
  if (!name) throw new ValidationError('Give the token a name that says what uses it.');
  const secret = newApiToken();
  const id = await db.transaction().execute(async (trx) => {
    const id = await apiTokenStore.insert(trx, { name, token_hash: hashToken(secret), role: input.role, created_by: input.createdBy, created_at: now.toISOString() });
    await audit(trx, by, now, 'token.create', `token:${id}`, { name, role: input.role });
    return id;
  });
  return { id, secret };
}

export function createPeopleService({ db, now }: { db: Kysely<Database>; now: () => Date }) {
  return {
    async users(staff: Staff, filter: PeopleFilter, page: number, limit: number) {
      authorize(can(staff, 'user.list'));
      const [items, total] = await Promise.all([peopleStore.list(db, filter, limit, (page - 1) * limit), peopleStore.count(db, filter)]);
      return { items, total };
    },

    /**
     * Changes a role, or disables or re-enables an account. Disabling ends the
     * account's sessions and revokes its tokens in the same transaction. No one
     * changes their own account here, so the last admin cannot lock everyone out.
     */
    async updateUser(staff: Staff, id: number, input: { role?: Role | undefined; disabled?: boolean | undefined }) {
      authorize(can(staff, 'user.manage'));
      if (staff.userId === id) throw new PolicyError(403, 'forbidden', 'You cannot change your own role or disable your own account; ask another admin.');
      return db.transaction().execute(async (trx) => {
        const user = await peopleStore.byId(trx, id);
        if (!user) throw new NotFoundError(`There is no user ${id}.`);
        const at = now();
        const set: { role?: Role; status?: 'active' | 'disabled'; updated_at: string } = { updated_at: at.toISOString() };
        const details: Record<string, unknown> = {};
        if (input.role !== undefined && input.role !== user.role) {
          set.role = input.role;
          details.role = { from: user.role, to: input.role };
        }
        if (input.disabled === true && user.status !== 'disabled') set.status = 'disabled';
        if (input.disabled === false && user.status === 'disabled') set.status = 'active';
        if (set.status) details.status = { from: user.status, to: set.status };
        if (!set.role && !set.status) return user;
        if (user.role === 'admin' && user.status === 'active' && (set.role || set.status === 'disabled') && (await peopleStore.activeAdmins(trx)) <= 1) {
          throw new ConflictError('This is the last active admin; make someone else an admin first.');
        }
        await peopleStore.update(trx, id, set);
        if (set.status === 'disabled') {
          details.sessionsEnded = await peopleStore.endSessions(trx, id);
          details.tokensRevoked = await apiTokenStore.revokeForUser(trx, id, at.toISOString());
        }
        await audit(trx, staff, at, set.status === 'disabled' ? 'user.disable' : set.status === 'active' && !set.role ? 'user.enable' : 'user.update', `user:${id}`, details);
        return (await peopleStore.byId(trx, id))!;
      });
    },

    async tokens(staff: Staff) {
      authorize(can(staff, 'token.manage'));
      return apiTokenStore.list(db);
    },

    /** A token acting for the admin who makes it (and ending with that admin's account). */
    async createToken(staff: Staff, input: { name: string; role: Role }) {
      authorize(can(staff, 'token.manage'));
      const { id, secret } = await issueApiToken(db, { name: input.name, role: input.role, createdBy: staff.userId }, staff, now());
      const token = (await apiTokenStore.list(db)).find((t) => t.id === id)!;
      return { token, secret };
    },

    async revokeToken(staff: Staff, id: number): Promise<void> {
      authorize(can(staff, 'token.manage'));
      await db.transaction().execute(async (trx) => {
        const t = await apiTokenStore.byId(trx, id);
        if (!t) throw new NotFoundError(`There is no token ${id}.`);
        if (!(await apiTokenStore.revoke(trx, id, now().toISOString()))) throw new ConflictError('That token was already revoked.');
        await audit(trx, staff, now(), 'token.revoke', `token:${id}`, { name: t.name });
      });
    },

    async auditLog(staff: Staff, filter: AuditFilter, limit: number) {
      authorize(can(staff, 'audit.read'));
      const rows = await listAuditEntries(db, filter, limit + 1);
      return { entries: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1]!.id : null };
    },

    /**
     * The audit log as the newsroom page shows it: a page of entries, the
     * names of the users and stories they are about, and the staff to filter by.
     */
    async auditPage(staff: Staff, filter: AuditFilter, limit: number) {
      const { entries, next } = await this.auditLog(staff, filter, limit);
      const ids = { users: [] as number[], articles: [] as number[] };
      for (const e of entries) {
        const m = /^(user|article):(\d+)$/.exec(e.subject);
        if (m) ids[m[1] === 'user' ? 'users' : 'articles'].push(Number(m[2]));
        const article = /"article":(\d+)/.exec(e.details)?.[1];
        if (article) ids.articles.push(Number(article));
      }
      const [names, staffList] = await Promise.all([auditSubjectNames(db, ids), peopleStore.staff(db)]);
      return { entries, next, names, staff: staffList };
    },
  };
}

