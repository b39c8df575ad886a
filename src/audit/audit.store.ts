import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  at: string;
  actorUserId: number | null;
  actorTokenId: number | null;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface AuditFilter {
  action?: string;
  subject?: string;
  actorUserId?: number;
  /** Entries older than this id (the next page). */
  beforeId?: number;
}

/** The audit log: append-only; written in the same transaction as the change it records. */
export const auditStore = {
  async append(db: Conn, e: AuditEntry): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({
        at: e.at, actor_user_id: e.actorUserId, actor_token_id: e.actorTokenId, action: e.action, subject: e.subject,
        details: JSON.stringify(e.details), ip: e.ip,
      })
      .execute();
  },

  list(db: Conn, f: AuditFilter, limit: number) {
    let q = db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
      .leftJoin('api_tokens', 'api_tokens.id', 'audit_log.actor_token_id')
      .select([
        'audit_log.id', 'audit_log.at', 'audit_log.actor_user_id', 'users.display_name as actor_name', 'audit_log.actor_token_id',
        'api_tokens.name as token_name', 'audit_log.action', 'audit_log.subject', 'audit_log.details', 'audit_log.ip',
      ]);
    if (f.action) q = q.where('audit_log.action', '=', f.action);
    if (f.subject) q = q.where('audit_log.subject', '=', f.subject);
    if (f.actorUserId !== undefined) q = q.where('audit_log.actor_user_id', '=', f.actorUserId);
    if (f.beforeId !== undefined) q = q.where('audit_log.id', '<', f.beforeId);
    return q.orderBy('audit_log.id', 'desc').limit(limit).execute();
  },

  /**
   * The newest entry about each of `subjects` (e.g. `article:42` for a page of
   * the newsroom's story list), in one query whatever their number: the
   * (subject, id) index answers each subject's max(id).
   */
  async latestFor(db: Conn, subjects: string[]) {
    const wanted = [...new Set(subjects)];
    if (!wanted.length) return [];
    const latestIds = db
      .selectFrom('audit_log as latest')
      .select((eb) => eb.fn.max('latest.id').as('id'))
      .where('latest.subject', 'in', wanted)
      .groupBy('latest.subject');
    return db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
      .leftJoin('api_tokens', 'api_tokens.id', 'audit_log.actor_token_id')
      .select([
        'audit_log.id', 'audit_log.at', 'audit_log.actor_user_id', 'users.display_name as actor_name', 'audit_log.actor_token_id',
        'api_tokens.name as token_name', 'audit_log.action', 'audit_log.subject', 'audit_log.details',
      ])
      .where('audit_log.id', 'in', latestIds)
      .execute();
  },

  /** Names of the users and stories that entries are about, for showing the log to people. */
  async subjectNames(db: Conn, ids: { users: number[]; articles: number[] }) {
    const users = ids.users.length
      ? await db.selectFrom('users').select(['id', 'display_name', 'email']).where('id', 'in', [...new Set(ids.users)]).execute()
      : [];
    const articles = ids.articles.length
      ? await db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', [...new Set(ids.articles)]).execute()
      : [];
    return {
      users: new Map(users.map((u) => [u.id, { name: u.display_name, email: u.email }])),
      articles: new Map(articles.map((a) => [a.id, a.headline])),
    };
  },
};
