/**
 * Who is acting on the admin API: a staff member signed in with a session
 * cookie, or an integration sending `Authorization: Bearer <token>`. A token
 * acts with its own role, capped by the role of the user who made it, and ends
 * with that user's account. A request that names a token that is unknown or
 * revoked is refused outright; it does not fall back to the cookie.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../platform/db/types.js';
import { hashToken, newToken, UnauthorizedError, type SessionService } from './session.js';
import type { Actor } from './staff.policy.js';
import { apiTokenStore } from './api-token.store.js';

export interface Staff extends Actor {
  /** Set when the request came with an API token. */
  tokenId: number | null;
  /** Where the request came from, for the audit log. */
  ip: string | null;
}

/** The actor of work done outside any request (the scheduler, the command line). */
export const SYSTEM: Staff = { role: 'admin', userId: null, tokenId: null, ip: null };

const RANK: Record<Role, number> = { reader: 0, contributor: 1, editor: 2, admin: 3 };
/** A token's last use is written at most this often. */
const TOUCH_EVERY_MS = 60_000;
/** Tokens look like `dsp_…`, so secret scanners and people can tell what leaked. */
export const TOKEN_PREFIX = 'dsp_';

export function newApiToken(): string {
  return TOKEN_PREFIX + newToken();
}

export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

export interface StaffResolver {
  /** The staff member or token behind this request, or null when nobody is signed in. */
  resolve(req: FastifyRequest): Promise<Staff | null>;
}

export function createStaffResolver(deps: { db: Kysely<Database>; sessions: SessionService; now: () => Date }): StaffResolver {
  return { resolve: (req) => resolveStaff(req, deps) };
}

async function resolveStaff(req: FastifyRequest, deps: { db: Kysely<Database>; sessions: SessionService; now: () => Date }): Promise<Staff | null> {
  const ip = req.ip ?? null;
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.trim()) {
    const m = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
    if (!m) throw new UnauthorizedError('Send the API token as "Authorization: Bearer <token>".');
    const token = await apiTokenStore.findLive(deps.db, hashToken(m[1]!));
    if (!token) throw new UnauthorizedError('That API token is not valid, or it has been revoked.');
    let role = token.role;
    if (token.created_by !== null) {
      if (token.user_status !== 'active' || !token.user_role) throw new UnauthorizedError('That API token is not valid, or it has been revoked.');
      role = lowerRole(role, token.user_role);
    }
    const now = deps.now();
    if (!token.last_used_at || now.getTime() - Date.parse(token.last_used_at) > TOUCH_EVERY_MS) {
      await apiTokenStore.touch(deps.db, token.id, now.toISOString(), new Date(now.getTime() - TOUCH_EVERY_MS).toISOString());
    }
    return { role, userId: token.created_by, tokenId: token.id, ip };
  }
  const user = await deps.sessions.current(req);
  return user ? { role: user.role, userId: user.id, tokenId: null, ip } : null;
}
