import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { Database, Role } from '../../src/platform/db/types.js';
import { userStore } from '../../src/accounts/user.store.js';
import { hashToken, newToken, SESSION_COOKIE, SESSION_IDLE_MS } from '../../src/accounts/session.js';
import { sessionStore } from '../../src/accounts/session.store.js';
import type { MeJson } from '../../src/accounts/account.schemas.js';
import type { TestApp } from './app.js';
import { cookieOf } from './http.js';

let n = 0;

export interface UserOverrides {
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  commentBanned: boolean;
}

/** An active user; with a password hash only when `passwordHash` is given (hashing is slow on purpose). */
export async function buildUser(db: Kysely<Database>, over: Partial<UserOverrides> = {}) {
  n++;
  const email = over.email ?? `reader${n}-${Date.now()}@example.test`;
  const now = new Date().toISOString();
  const id = await userStore.insert(db, {
    email, display_name: over.displayName ?? `Reader ${n}`, password_hash: over.passwordHash ?? null,
    role: over.role ?? 'reader', status: 'active', now,
  });
  if (over.commentBanned) await userStore.update(db, id, { comment_banned_at: now, updated_at: now });
  return { id, email };
}

/** A live session for the user: the `Cookie` header value a browser would send. */
export async function sessionCookieFor(db: Kysely<Database>, userId: number): Promise<string> {
  const token = newToken();
  const now = new Date();
  await sessionStore.insert(db, {
    id_hash: hashToken(token), user_id: userId, created_at: now.toISOString(), last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(), ip: '127.0.0.1', user_agent: 'test',
  });
  return `${SESSION_COOKIE}=${token}`;
}

/** A user and the cookie of a session of theirs. */
export interface SignedIn {
  id: number;
  email: string;
  cookie: string;
}

/** A new user (see buildUser), signed in. */
export async function signedInUser(db: Kysely<Database>, over: Partial<UserOverrides> = {}): Promise<SignedIn> {
  const user = await buildUser(db, over);
  return { ...user, cookie: await sessionCookieFor(db, user.id) };
}

/**
 * One signed-in user for each key, with its role, made in the order of the keys;
 * `displayName` names them (else buildUser's default).
 */
export async function buildStaff<K extends string>(
  db: Kysely<Database>,
  roles: Record<K, Role>,
  { displayName }: { displayName?: (key: K) => string } = {},
): Promise<Record<K, SignedIn>> {
  const staff = {} as Record<K, SignedIn>;
  for (const key of Object.keys(roles) as K[]) {
    staff[key] = await signedInUser(db, { role: roles[key], ...(displayName ? { displayName: displayName(key) } : {}) });
  }
  return staff;
}

/** The session a sign-in answered with (expecting `status`). */
function sessionFrom(res: Response, status: number): string {
  expect(res.status).toBe(status);
  const cookie = cookieOf(res);
  expect(cookie).toMatch(/^dispatch_session=/);
  return cookie;
}

/** Signs in through the API with email and password (no second step): the session cookie. */
export async function signInByApi(t: TestApp, email: string, password: string): Promise<string> {
  return sessionFrom(await t.request('POST', '/api/v1/auth/signin', { json: { email, password } }), 200);
}

/** Signs in with the HTML sign-in form, as a browser without JavaScript does (audited with its address): the session cookie. */
export async function signInByFormPost(t: TestApp, email: string, password: string, next: string): Promise<string> {
  return sessionFrom(await t.request('POST', '/signin', { form: { email, password, next } }), 303);
}

/** Who the cookie signs in (GET /api/v1/me), or null. */
export async function currentUser(t: TestApp, cookie: string): Promise<Static<typeof MeJson>['user']> {
  return ((await (await fetch(`${t.url}/api/v1/me`, { headers: { cookie } })).json()) as Static<typeof MeJson>).user;
}
