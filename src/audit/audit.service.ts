import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { auditStore } from './audit.store.js';
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
