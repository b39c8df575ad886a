import type { Kysely } from 'kysely';
import type { Database, Role } from '../../src/platform/db/types.js';
import { userStore } from '../../src/accounts/user.store.js';
import { hashToken, newToken, SESSION_COOKIE, SESSION_IDLE_MS } from '../../src/accounts/session.js';
import { sessionStore } from '../../src/accounts/session.store.js';

let n = 0;

/** An active user; with a password hash only when `passwordHash` is given (hashing is slow on purpose). */
export async function buildUser(db: Kysely<Database>, over: Partial<{ email: string; displayName: string; role: Role; passwordHash: string | null; commentBanned: boolean }> = {}) {
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
