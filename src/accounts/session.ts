/**
 * Server-side sessions. The cookie holds an opaque random id; the database holds
 * only its SHA-256, with the user, the expiry and where it came from. Public
 * pages never read the session (they are the same for everyone and cached);
 * only the personal endpoints call `currentUser(req)`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Role, UserStatus } from '../platform/db/types.js';
import { AppError } from '../platform/errors.js';
import { sessionStore } from './session.store.js';
import type {} from '@fastify/cookie';

export const SESSION_COOKIE = 'dispatch_session';
/** A session lives this long after its last use. */
export const SESSION_IDLE_MS = 30 * 24 * 3600_000;
/** Sliding expiry is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 3600_000;
/** Staff sessions are touched more often, so their idle limit is measured closely. */
const STAFF_TOUCH_EVERY_MS = 60_000;
/** Default idle limit of a staff session (config STAFF_IDLE_MINUTES). */
export const STAFF_IDLE_MS = 120 * 60_000;

export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  commentBanned: boolean;
  /** SHA-256 of the session id, to end or keep this session. */
  sessionHash: string;
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Please sign in first.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do that.') {
    super(403, 'forbidden', message);
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface SessionDeps {
  db: Kysely<Database>;
  now: () => Date;
  /** Cookies get `Secure` when the site is served over https. */
  secureCookies: boolean;
  /** A staff (non-reader) session ends after this long without use; default STAFF_IDLE_MS. */
  staffIdleMs?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Memoised per request by currentUser(). */
    dispatchUser?: Promise<CurrentUser | null>;
  }
}

/** Who is signed in on this request, or null. */
export function currentUser(req: FastifyRequest, deps: SessionDeps): Promise<CurrentUser | null> {
  req.dispatchUser ??= loadUser(req, deps);
  return req.dispatchUser;
}

/** The signed-in user, or a 401. Disabled accounts count as signed out. */
export async function requireUser(req: FastifyRequest, deps: SessionDeps): Promise<CurrentUser> {
  const user = await currentUser(req, deps);
  if (!user) throw new UnauthorizedError();
  return user;
}

async function loadUser(req: FastifyRequest, { db, now, staffIdleMs = STAFF_IDLE_MS }: SessionDeps): Promise<CurrentUser | null> {
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token || token.length > 100) return null;
  const idHash = hashToken(token);
  const at = now();
  const row = await sessionStore.findLive(db, idHash, at.toISOString());
  if (!row || row.status !== 'active') return null;
  const idle = at.getTime() - Date.parse(row.last_seen_at);
  const staff = row.role !== 'reader';
  if (staff && idle > staffIdleMs) {
    await sessionStore.delete(db, idHash);
    return null;
  }
  if (idle > (staff ? STAFF_TOUCH_EVERY_MS : TOUCH_EVERY_MS)) {
    await sessionStore.touch(db, idHash, at.toISOString(), new Date(at.getTime() + SESSION_IDLE_MS).toISOString());
  }
  return {
    id: row.id, email: row.email, displayName: row.display_name, role: row.role, status: row.status,
    commentBanned: row.comment_banned_at !== null, sessionHash: idHash,
  };
}

/**
 * Starts a new session for `userId` and sets its cookie. Any session the
 * request came with is ended first, so a planted session id never survives
 * a sign-in (session fixation).
 */
export async function startSession(req: FastifyRequest, reply: FastifyReply, userId: number, { db, now, secureCookies }: SessionDeps): Promise<string> {
  const old = req.cookies?.[SESSION_COOKIE];
  if (old) await sessionStore.delete(db, hashToken(old));
  const token = newToken();
  const at = now();
  await sessionStore.insert(db, {
    id_hash: hashToken(token),
    user_id: userId,
    created_at: at.toISOString(),
    last_seen_at: at.toISOString(),
    expires_at: new Date(at.getTime() + SESSION_IDLE_MS).toISOString(),
    ip: req.ip ?? null,
    user_agent: (req.headers['user-agent'] ?? '').slice(0, 300) || null,
  });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: Math.floor(SESSION_IDLE_MS / 1000),
  });
  req.dispatchUser = undefined;
  return token;
}

/** Ends this request's session and clears its cookie. */
export async function endSession(req: FastifyRequest, reply: FastifyReply, { db, secureCookies }: SessionDeps): Promise<void> {
  const token = req.cookies?.[SESSION_COOKIE];
  if (token) await sessionStore.delete(db, hashToken(token));
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies });
  req.dispatchUser = Promise.resolve(null);
}

/** Sessions as routes use them: built once with the database, so routes never hold it. */
export interface SessionService {
  /** Who is signed in on this request, or null. */
  current(req: FastifyRequest): Promise<CurrentUser | null>;
  /** The signed-in user, or a 401. */
  require(req: FastifyRequest): Promise<CurrentUser>;
  /** Starts a session for `userId` (ending the request's old one) and sets its cookie. */
  start(req: FastifyRequest, reply: FastifyReply, userId: number): Promise<string>;
  /** Ends this request's session and clears its cookie. */
  end(req: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function createSessionService(deps: SessionDeps): SessionService {
  return {
    current: (req) => currentUser(req, deps),
    require: (req) => requireUser(req, deps),
    start: (req, reply, userId) => startSession(req, reply, userId, deps),
    end: (req, reply) => endSession(req, reply, deps),
  };
}
