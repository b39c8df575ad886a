import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import type { ApiError } from '../../test/helpers/api-types.js';
import { buildArticle, buildSection } from '../../test/helpers/factories.js';
import { currentUser } from '../../test/helpers/accounts.js';
import { cookieOf } from '../../test/helpers/http.js';
import { mailedToken, outbox } from '../../test/helpers/mail.js';
import { hashPassword } from './password.js';
import { userStore } from './user.store.js';

let t: TestApp;
let articleId: number;
const PASSWORD = 'lantern harbour 1987 velvet';

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const s = await buildSection(db, { slug: 'world', name: 'World' });
      articleId = (await buildArticle(db, { sectionId: s.id, headline: 'A story to keep' })).id;
    },
  });
});
afterAll(async () => t?.close());

const post = (p: string, body: unknown, headers: Record<string, string> = {}) => t.request('POST', p, { json: body, headers });
const form = (p: string, fields: Record<string, string>, headers: Record<string, string> = {}) => t.request('POST', p, { form: fields, headers });

async function signUpAndConfirm(email: string, password = PASSWORD, displayName = 'Night Reader') {
  expect((await post('/api/v1/auth/signup', { email, displayName, password })).status).toBe(202);
  const res = await post('/api/v1/auth/signup/confirm', { token: mailedToken(t, email, 'signup/confirm') });
  expect(res.status).toBe(200);
  return cookieOf(res);
}

describe('sign up', () => {
  it('creates an account confirmed by an emailed link, then signs in', async () => {
    const cookie = await signUpAndConfirm('Ada@Example.org', PASSWORD, 'Ada L.');
    expect(cookie).toMatch(/^dispatch_session=/);
    expect(await currentUser(t, cookie)).toMatchObject({ email: 'ada@example.org', displayName: 'Ada L.' });
  });

  it('answers a known and an unknown email alike, and tells the owner instead', async () => {
    const known = await post('/api/v1/auth/signup', { email: 'ada@example.org', displayName: 'Impostor', password: 'another long passphrase' });
    const unknown = await post('/api/v1/auth/signup', { email: 'new.reader@example.org', displayName: 'New', password: 'another long passphrase' });
    expect(known.status).toBe(unknown.status);
    expect(await known.text()).toBe(await unknown.text());
    expect(outbox(t).some((m) => m.includes('To: ada@example.org') && m.includes('already has one'))).toBe(true);
    // The impostor's password did not replace Ada's.
    expect((await post('/api/v1/auth/signin', { email: 'ada@example.org', password: 'another long passphrase' })).status).toBe(401);
  });

  it('does not sign in an account that was never confirmed', async () => {
    await post('/api/v1/auth/signup', { email: 'pending@example.org', displayName: 'P', password: PASSWORD });
    expect((await post('/api/v1/auth/signin', { email: 'pending@example.org', password: PASSWORD })).status).toBe(401);
  });

  it.each([
    ['a short password', { email: 'x1@example.org', displayName: 'X', password: 'short' }, /at least 10/],
    ['a common password', { email: 'x2@example.org', displayName: 'X', password: 'password123' }, /common/],
    ['a bad email', { email: 'not-an-email', displayName: 'X', password: PASSWORD }, /email/],
    ['an oversized name', { email: 'x3@example.org', displayName: 'n'.repeat(61), password: PASSWORD }, /displayName/],
    ['an oversized password', { email: 'x4@example.org', displayName: 'X', password: 'p'.repeat(1025) }, /password/],
  ])('refuses %s and writes nothing', async (_name, body, why) => {
    const res = await post('/api/v1/auth/signup', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(why);
    expect(await userStore.byEmail(t.db.kysely, body.email.toLowerCase())).toBeUndefined();
  });

  it('refuses a used or expired confirmation link', async () => {
    await post('/api/v1/auth/signup', { email: 'twice@example.org', displayName: 'T', password: PASSWORD });
    const token = mailedToken(t, 'twice@example.org', 'signup/confirm');
    expect((await post('/api/v1/auth/signup/confirm', { token })).status).toBe(200);
    const again = await post('/api/v1/auth/signup/confirm', { token });
    expect(again.status).toBe(400);
    expect(((await again.json()) as ApiError).error.code).toBe('invalid_link');
  });
});

describe('sign in, sessions and sign out', () => {
  let email: string;
  beforeAll(async () => {
    email = 'sam@example.org';
    await signUpAndConfirm(email);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie and rotates it at sign-in', async () => {
    const first = await post('/api/v1/auth/signin', { email, password: PASSWORD });
    expect(first.status).toBe(200);
    const setCookie = first.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // the test site is plain http
    const old = cookieOf(first);
    const second = await post('/api/v1/auth/signin', { email, password: PASSWORD }, { cookie: old });
    const fresh = cookieOf(second);
    expect(fresh).not.toBe(old);
    expect(await currentUser(t, old)).toBeNull();
    expect((await currentUser(t, fresh))?.email).toBe(email);
  });

  it('answers a wrong password and an unknown email alike, in about the same time', async () => {
    const timed = async (body: unknown) => {
      const start = performance.now();
      const res = await post('/api/v1/auth/signin', body, { 'x-forwarded-for': '10.0.0.1' });
      return { status: res.status, text: await res.text(), ms: performance.now() - start };
    };
    const wrong = await timed({ email, password: 'not the right one at all' });
    const unknown = await timed({ email: 'nobody-here@example.org', password: 'not the right one at all' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toBe(unknown.text);
    expect(Math.max(wrong.ms, unknown.ms) / Math.min(wrong.ms, unknown.ms)).toBeLessThan(3);
    await post('/api/v1/auth/signin', { email, password: PASSWORD }); // clears the failures
  });

  it('ends the session at sign-out', async () => {
    const cookie = cookieOf(await post('/api/v1/auth/signin', { email, password: PASSWORD }));
    expect((await post('/api/v1/auth/signout', {}, { cookie })).status).toBe(204);
    expect(await currentUser(t, cookie)).toBeNull();
  });

  it('blocks an account after a handful of failed tries, with Retry-After, even for the right password', async () => {
    const victim = 'victim@example.org';
    await signUpAndConfirm(victim);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('/api/v1/auth/signin', { email: victim, password: `guess number ${i} ok` })).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    const blocked = await post('/api/v1/auth/signin', { email: victim, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as ApiError).error.message).toMatch(/Too many sign-in attempts/);
  });

  it('rehashes a stored hash with weaker parameters at the next sign-in', async () => {
    const weak = await hashPassword(PASSWORD, { memoryCost: 4096, timeCost: 1 });
    const user = (await userStore.byEmail(t.db.kysely, email))!;
    await userStore.update(t.db.kysely, user.id, { password_hash: weak, updated_at: new Date().toISOString() });
    expect((await post('/api/v1/auth/signin', { email, password: PASSWORD })).status).toBe(200);
    expect((await userStore.byId(t.db.kysely, user.id))!.password_hash).toMatch(/m=19456/);
  });

  it('accepts long Unicode passwords, never truncated', async () => {
    const long = 'Ωmega—éclair—日本語のパスワード—'.repeat(4); // over 64 characters
    const cookie = await signUpAndConfirm('unicode@example.org', long);
    expect(cookie).toBeTruthy();
    expect((await post('/api/v1/auth/signin', { email: 'unicode@example.org', password: long })).status).toBe(200);
    expect((await post('/api/v1/auth/signin', { email: 'unicode@example.org', password: long.slice(0, 64) })).status).toBe(401);
  });

  it('refuses a forged cross-site sign-in and sign-out', async () => {
    const cookie = cookieOf(await post('/api/v1/auth/signin', { email, password: PASSWORD }));
    expect((await post('/api/v1/auth/signout', {}, { cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await form('/signout', {}, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await currentUser(t, cookie))?.email).toBe(email);
  });
});

describe('password reset', () => {
  it('resets by a one-time link, ends old sessions, and refuses the link again', async () => {
    const email = 'forgetful@example.org';
    const oldCookie = await signUpAndConfirm(email);
    const unknown = await post('/api/v1/auth/reset', { email: 'ghost@example.org' });
    const known = await post('/api/v1/auth/reset', { email });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.text()).toBe(await unknown.text());
    expect(outbox(t).some((m) => m.includes('To: ghost@example.org'))).toBe(false);

    const token = mailedToken(t, email, 'reset/confirm');
    const weak = await post('/api/v1/auth/reset/confirm', { token, password: 'short' });
    expect(weak.status).toBe(400); // a refused password does not use up the link
    const ok = await post('/api/v1/auth/reset/confirm', { token, password: 'a brand new passphrase' });
    expect(ok.status).toBe(200);
    expect(await currentUser(t, oldCookie)).toBeNull();
    expect((await post('/api/v1/auth/reset/confirm', { token, password: 'yet another passphrase' })).status).toBe(400);
    expect((await post('/api/v1/auth/signin', { email, password: 'a brand new passphrase' })).status).toBe(200);
  });

  it('refuses an expired link', async () => {
    const email = 'slow@example.org';
    await signUpAndConfirm(email);
    await post('/api/v1/auth/reset', { email });
    const token = mailedToken(t, email, 'reset/confirm');
    await t.db.kysely.updateTable('email_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('purpose', '=', 'reset').execute();
    const res = await post('/api/v1/auth/reset/confirm', { token, password: 'a brand new passphrase' });
    expect(res.status).toBe(400);
    expect((await post('/api/v1/auth/signin', { email, password: PASSWORD })).status).toBe(200);
  });
});

describe('profile', () => {
  it('changes the display name and the password (other sessions end), and deletes the account with its data', async () => {
    const email = 'profile@example.org';
    const a = await signUpAndConfirm(email);
    const b = cookieOf(await post('/api/v1/auth/signin', { email, password: PASSWORD }));
    const patch = await fetch(`${t.url}/api/v1/me`, { method: 'PATCH', headers: { cookie: a, 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Night Owl' }) });
    expect(patch.status).toBe(200);
    expect((await currentUser(t, a))?.displayName).toBe('Night Owl');

    const change = await fetch(`${t.url}/api/v1/me/password`, { method: 'PUT', headers: { cookie: a, 'content-type': 'application/json' }, body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'changed passphrase here' }) });
    expect(change.status).toBe(204);
    const a2 = cookieOf(change);
    expect((await currentUser(t, a2))?.email).toBe(email);
    expect(await currentUser(t, b)).toBeNull();

    const wrong = await fetch(`${t.url}/api/v1/me`, { method: 'DELETE', headers: { cookie: a2, 'content-type': 'application/json' }, body: JSON.stringify({ password: 'not it at all' }) });
    expect(wrong.status).toBe(400);
    expect(await userStore.byEmail(t.db.kysely, email)).toBeDefined();
    const del = await fetch(`${t.url}/api/v1/me`, { method: 'DELETE', headers: { cookie: a2, 'content-type': 'application/json' }, body: JSON.stringify({ password: 'changed passphrase here' }) });
    expect(del.status).toBe(204);
    expect(await userStore.byEmail(t.db.kysely, email)).toBeUndefined();
    expect(await currentUser(t, a2)).toBeNull();
  });

  it('answers /api/v1/me for nobody, privately', async () => {
    const res = await fetch(`${t.url}/api/v1/me`);
    expect(await res.json()).toEqual({ user: null, favorites: [] });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });
});

describe('HTML forms', () => {
  it('signs in through the form and returns to a page on this site only', async () => {
    await signUpAndConfirm('formuser@example.org');
    const page = await t.get('/signin?next=/world');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form[^>]+action="\/signin"/);
    const bad = await form('/signin', { email: 'formuser@example.org', password: 'wrong password here', next: '/world' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('That email and password do not match an account.');
    const good = await form('/signin', { email: 'formuser@example.org', password: PASSWORD, next: `/world/${articleId}` });
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toBe(`/world/${articleId}`);
    const evil = await form('/signin', { email: 'formuser@example.org', password: PASSWORD, next: '//evil.example/' });
    expect(evil.headers.get('location')).toBe('/');
    const account = await t.get('/account', { cookie: cookieOf(good) });
    expect(account.status).toBe(200);
    expect(account.headers.get('cache-control')).toBe('private, no-store');
    expect(await account.text()).toContain('formuser@example.org');
    expect((await t.get('/account')).headers.get('location')).toBe('/signin?next=/account');
  });

  it('signs up through the form with the same answer for any address', async () => {
    const res = await form('/signup', { email: 'formuser@example.org', displayName: 'F', password: PASSWORD });
    expect(res.status).toBe(202);
    expect(await res.text()).toContain('Check your email');
    const refused = await form('/signup', { email: 'nope', displayName: 'F', password: PASSWORD });
    expect(refused.status).toBe(400);
  });

  it('reads each form by its own schema: a field left out gets the form again, a list for one value the 400 page', async () => {
    const noEmail = await form('/signin', { password: PASSWORD, next: '/world' });
    expect(noEmail.status).toBe(400);
    const again = await noEmail.text();
    expect(again).toContain('Enter your email address.');
    expect(again).toMatch(/<form[^>]+action="\/signin"/);

    const twice = await fetch(`${t.url}/signin`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40example.org&email=b%40example.org&password=x',
    });
    expect(twice.status).toBe(400);
    expect(twice.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await twice.text()).toContain('That request was not right');
  });
});
