import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { auditStore, type AuditFilter } from './audit.store.js';

export type { AuditEntry, AuditFilter } from './audit.store.js';
import type { Staff } from '../accounts/staff.js';

/** Writes one audit entry for `staff`, in the caller's transaction. */
export function audit(
  db: Kysely<Database> | Transaction<Database>,
  staff: Staff,
  at: Date,
  action: string,
  subject: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  return auditStore.append(db, {
    at: at.toISOString(), actorUserId: staff.userId, actorTokenId: staff.tokenId, action, subject, details, ip: staff.ip,
  });
}

type Conn = Kysely<Database> | Transaction<Database>;

/** Entries matching `filter`, newest first (at most `limit`). */
export function listAuditEntries(db: Conn, filter: AuditFilter, limit: number) {
  return auditStore.list(db, filter, limit);
}

/** The names of the stories and people that audit subjects point at. */
export function auditSubjectNames(db: Conn, ids: Parameters<typeof auditStore.subjectNames>[1]) {
  return auditStore.subjectNames(db, ids);
}

export type AuditService = ReturnType<typeof createAuditService>;

/** The audit log as the newsroom's screens read it. */
export function createAuditService({ db }: { db: Kysely<Database> }) {
  return {
    /** The latest entry for each subject (`article:42`): who did the last thing to it, and when. */
    latestFor(subjects: string[]) {
      return auditStore.latestFor(db, subjects);
    },
  };
}
