import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from 'otplib';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildUser, currentUser, sessionCookieFor, signInByApi } from '../../test/helpers/accounts.js';
import { cookieOf } from '../../test/helpers/http.js';
import { hashPassword } from './password.js';
import { hashToken } from './session.js';
import { ConfigError, loadConfig } from '../platform/config.js';

let t: TestApp;
const PASSWORD = 'lantern harbour 1987 velvet';
let offset = 0;
const clock = () => new Date(Date.now() + offset);
/** Moves the app's clock on (a new 30-second time step, or past an expiry). */
const advance = (ms: number) => { offset += ms; };
const codeFor = (secret: string) => authenticator.clone({ epoch: clock().getTime() }).generate(secret);
const wrongFor = (secret: string) => String((Number(codeFor(secret)) + 500_000) % 1_000_000).padStart(6, '0');

const users: Record<'admin' | 'editor' | 'contributor' | 'reader' | 'limited', { id: number; email: string }> = {} as never;

beforeAll(async () => {
  t = await startTestApp({
    now: clock,
    seed: async ({ db: { kysely: db } }) => {
      const passwordHash = await hashPassword(PASSWORD);
      users.admin = await buildUser(db, { email: 'admin@example.test', role: 'admin', passwordHash });
      users.editor = await buildUser(db, { email: 'editor@example.test', role: 'editor', passwordHash });
      users.contributor = await buildUser(db, { email: 'contrib@example.test', role: 'contributor', passwordHash });
      users.limited = await buildUser(db, { email: 'limited@example.test', role: 'editor', passwordHash });
      users.reader = await buildUser(db, { email: 'reader@example.test', role: 'reader', passwordHash });
    },
  });
});
afterAll(async () => t?.close());

const send = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => t.request(method, p, { json: body, headers });
const post = (p: string, body: unknown, headers: Record<string, string> = {}) => send('POST', p, body, headers);
const me = (cookie: string) => currentUser(t, cookie);
const signIn = (email: string) => signInByApi(t, email, PASSWORD);
async function passwordStep(email: string) {
  return post('/api/v1/auth/signin', { email, password: PASSWORD });
}
async function pendingFor(email: string): Promise<string> {
  const res = await passwordStep(email);
  expect(res.status).toBe(200);
  expect(res.headers.get('set-cookie')).toBeNull();
  const body = (await res.json()) as { totpRequired: boolean; pendingToken: string };
  expect(body.totpRequired).toBe(true);
  return body.pendingToken;
}
/** Enrols the signed-in user; returns the secret and the recovery codes. */
async function enrol(cookie: string) {
  const setup = await post('/api/v1/me/totp/setup', {}, { cookie });
  expect(setup.status).toBe(200);
  const { secret, otpauthUri } = (await setup.json()) as { secret: string; otpauthUri: string };
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  expect(otpauthUri).toContain(`secret=${secret}`);
  const res = await post('/api/v1/me/totp/confirm', { code: codeFor(secret) }, { cookie });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { enabled: boolean; recoveryCodes: string[] };
  expect(body.enabled).toBe(true);
  advance(31_000);
  return { secret, recoveryCodes: body.recoveryCodes };
}

let editorSecret = '';
let editorRecovery: string[] = [];

describe('enrolment', () => {
  it('gives a secret, refuses a wrong first code, then turns on with ten recovery codes stored hashed', async () => {
    const cookie = await signIn(users.editor.email);
    const setup = await post('/api/v1/me/totp/setup', {}, { cookie });
    const { secret } = (await setup.json()) as { secret: string };
    const wrong = await post('/api/v1/me/totp/confirm', { code: wrongFor(secret) }, { cookie });
    expect(wrong.status).toBe(401);
    expect((await (await fetch(`${t.url}/api/v1/me/totp`, { headers: { cookie } })).json())).toMatchObject({ enabled: false });

    const ok = await post('/api/v1/me/totp/confirm', { code: codeFor(secret) }, { cookie });
    expect(ok.status).toBe(200);
    const { recoveryCodes } = (await ok.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await t.db.kysely.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', users.editor.id).execute();
    expect(stored).toHaveLength(10);
    for (const c of recoveryCodes) expect(stored.map((r) => r.code_hash)).not.toContain(c);
    expect((await (await fetch(`${t.url}/api/v1/me/totp`, { headers: { cookie } })).json())).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    editorSecret = secret;
    editorRecovery = recoveryCodes;
    advance(31_000);
  });

  it('is for staff only: a reader cannot set it up and signs in with the password alone', async () => {
    const cookie = await signIn(users.reader.email);
    expect((await post('/api/v1/me/totp/setup', {}, { cookie })).status).toBe(403);
    expect(await me(cookie)).toMatchObject({ email: users.reader.email });
  });
});

describe('signing in with a second factor', () => {
  it('the password step gives a pending token, not a session; the code then signs in', async () => {
    const pending = await pendingFor(users.editor.email);
    // The pending token is not a session, nor an API token.
    expect(await me(`dispatch_session=${pending}`)).toBeNull();
    expect((await send('GET', '/api/admin/articles', undefined, { authorization: `Bearer ${pending}` })).status).toBe(401);
    const stored = await t.db.kysely.selectFrom('totp_pending').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).toContain(hashToken(pending));
    expect(stored.map((r) => r.token_hash)).not.toContain(pending);

    const res = await post('/api/v1/auth/signin/totp', { pendingToken: pending, code: codeFor(editorSecret) });
    expect(res.status).toBe(200);
    const cookie = cookieOf(res);
    expect(await me(cookie)).toMatchObject({ email: users.editor.email });
    // A pending token works once.
    expect((await post('/api/v1/auth/signin/totp', { pendingToken: pending, code: codeFor(editorSecret) })).status).toBe(401);
    advance(31_000);
  });

  it('refuses the same code twice', async () => {
    const code = codeFor(editorSecret);
    const first = await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.editor.email), code });
    expect(first.status).toBe(200);
    const again = await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.editor.email), code });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('invalid_code');
    advance(31_000);
    expect((await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.editor.email), code: codeFor(editorSecret) })).status).toBe(200);
    advance(31_000);
  });

  it('accepts a recovery code once', async () => {
    const [code] = editorRecovery;
    const res = await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.editor.email), code: code!.toUpperCase() });
    expect(res.status).toBe(200);
    const cookie = cookieOf(res);
    expect((await (await fetch(`${t.url}/api/v1/me/totp`, { headers: { cookie } })).json())).toMatchObject({ recoveryCodesLeft: 9 });
    expect((await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.editor.email), code })).status).toBe(401);
  });

  it('lets a pending token expire after five minutes', async () => {
    const pending = await pendingFor(users.editor.email);
    advance(5 * 60_000 + 1000);
    const res = await post('/api/v1/auth/signin/totp', { pendingToken: pending, code: codeFor(editorSecret) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('signin_expired');
  });

  it('rate-limits wrong codes (429 with Retry-After), even for the right code then', async () => {
    const { secret } = await enrol(await signIn(users.limited.email));
    const pending = await pendingFor(users.limited.email);
    for (let i = 0; i < 5; i++) {
      expect((await post('/api/v1/auth/signin/totp', { pendingToken: pending, code: wrongFor(secret) })).status).toBe(401);
    }
    const blocked = await post('/api/v1/auth/signin/totp', { pendingToken: pending, code: wrongFor(secret) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post('/api/v1/auth/signin/totp', { pendingToken: pending, code: codeFor(secret) })).status).toBe(429);
    // The account is blocked too, whatever new pending token is used.
    expect((await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.limited.email), code: codeFor(secret) })).status).toBe(429);
  });

  it('works with the HTML forms', async () => {
    const form = (p: string, fields: Record<string, string>) => t.request('POST', p, { form: fields });
    const step1 = await form('/signin', { email: users.editor.email, password: PASSWORD, next: '/account' });
    expect(step1.status).toBe(200);
    expect(step1.headers.get('set-cookie')).toBeNull();
    const html = await step1.text();
    const pending = /name="pendingToken" value="([\w-]+)"/.exec(html)?.[1];
    expect(pending).toBeTruthy();
    const wrong = await form('/signin/totp', { pendingToken: pending!, code: wrongFor(editorSecret), next: '/account' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('name="pendingToken"');
    const ok = await form('/signin/totp', { pendingToken: pending!, code: codeFor(editorSecret), next: '/account' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/account');
    expect(await me(cookieOf(ok))).toMatchObject({ email: users.editor.email });
    advance(31_000);
  });
});

describe('turning it off', () => {
  it('needs the password and a code', async () => {
    const cookie = await signIn(users.contributor.email);
    const { secret } = await enrol(cookie);
    expect((await send('DELETE', '/api/v1/me/totp', { password: 'not the password at all', code: codeFor(secret) }, { cookie })).status).toBe(400);
    expect((await send('DELETE', '/api/v1/me/totp', { password: PASSWORD, code: wrongFor(secret) }, { cookie })).status).toBe(401);
    expect((await send('DELETE', '/api/v1/me/totp', { password: PASSWORD, code: codeFor(secret) }, { cookie })).status).toBe(204);
    // Back to a password-only sign-in.
    await signIn(users.contributor.email);
  });
});

describe('required two-step sign-in', () => {
  it('only admins change the setting', async () => {
    const editor = cookieOf(await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.editor.email), code: codeFor(editorSecret) }));
    advance(31_000);
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: ['editor'] }, { cookie: editor })).status).toBe(403);
    const reader = await signIn(users.reader.email);
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: ['editor'] }, { cookie: reader })).status).toBe(403);
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: ['editor'] })).status).toBe(401);
  });

  it('blocks the admin API and the newsroom for staff without TOTP until they enrol', async () => {
    const admin = await signIn(users.admin.email);
    expect((await send('GET', '/api/admin/articles', undefined, { cookie: admin })).status).toBe(200);
    const put = await send('PUT', '/api/admin/settings/security', { requireTotpFor: ['editor', 'admin'] }, { cookie: admin });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ security: { requireTotpFor: ['editor', 'admin'] } });

    const refused = await send('GET', '/api/admin/articles', undefined, { cookie: admin });
    expect(refused.status).toBe(403);
    const refusal = ((await refused.json()) as { error: { code: string; message: string } }).error;
    expect(refusal.code).toBe('totp_required');
    // It sends them to the account page, where the form is, not to an API endpoint.
    expect(refusal.message).toContain('Set up two-step sign-in on your account page: /account');
    expect(refusal.message).not.toContain('/api/');
    const newsroom = await send('GET', '/newsroom/comments', undefined, { cookie: admin });
    expect(newsroom.status).toBe(403);
    expect(await newsroom.text()).toContain('Set up two-step sign-in on your account page: /account');
    // They are still signed in, and may enrol.
    expect(await me(admin)).toMatchObject({ email: users.admin.email });
    // A contributor is not in a listed role; an enrolled editor passes.
    const contributor = await signIn(users.contributor.email);
    expect((await send('GET', '/api/admin/articles', undefined, { cookie: contributor })).status).toBe(200);
    const editor = cookieOf(await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(users.editor.email), code: codeFor(editorSecret) }));
    advance(31_000);
    expect((await send('GET', '/api/admin/articles', undefined, { cookie: editor })).status).toBe(200);

    await enrol(admin);
    expect((await send('GET', '/api/admin/articles', undefined, { cookie: admin })).status).toBe(200);
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: [] }, { cookie: admin })).status).toBe(200);
  });

  it('records each change in the audit log: who, from where, the roles before and after', async () => {
    const admin = await sessionCookieFor(t.db.kysely, users.admin.id);
    const entries = async () => {
      const res = await send('GET', '/api/admin/audit?action=settings.security', undefined, { cookie: admin });
      expect(res.status).toBe(200);
      return ((await res.json()) as { entries: Array<Record<string, unknown>> }).entries;
    };
    const before = (await entries()).length;
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: ['contributor', 'editor'] }, { cookie: admin })).status).toBe(200);
    const [latest, ...older] = await entries();
    expect(older).toHaveLength(before);
    expect(latest).toMatchObject({
      actor: { userId: users.admin.id, name: expect.any(String), tokenId: null },
      action: 'settings.security',
      subject: 'settings:security',
      details: { requireTotpFor: { from: [], to: ['contributor', 'editor'] } },
      ip: '127.0.0.1',
    });
    // Saving the same roles again is not a change; refusals write nothing.
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: ['editor', 'contributor'] }, { cookie: admin })).status).toBe(200);
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: ['reader'] }, { cookie: admin })).status).toBe(400);
    expect(await entries()).toHaveLength(before + 1);
    expect((await send('PUT', '/api/admin/settings/security', { requireTotpFor: [] }, { cookie: admin })).status).toBe(200);
    expect((await entries())[0]).toMatchObject({ details: { requireTotpFor: { from: ['contributor', 'editor'], to: [] } } });
  });
});

describe('new recovery codes', () => {
  const regenerate = (code: string, cookie: string) => post('/api/v1/me/totp/recovery-codes', { code }, { cookie });
  const signinCode = async (email: string, code: string) => post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(email), code });

  it('replaces every old code at once, for a current code from the app (JSON)', async () => {
    const person = await buildUser(t.db.kysely, { email: 'regen.json@example.test', role: 'editor', passwordHash: await hashPassword(PASSWORD) });
    const cookie = await signIn(person.email);
    const { secret, recoveryCodes: old } = await enrol(cookie);

    expect((await post('/api/v1/me/totp/recovery-codes', { code: codeFor(secret) })).status).toBe(401);
    const wrong = await regenerate(wrongFor(secret), cookie);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_code');
    // A recovery code cannot mint more.
    expect((await regenerate(old[0]!, cookie)).status).toBe(400);

    const code = codeFor(secret);
    const res = await regenerate(code, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(old).not.toContain(c);
    const stored = await t.db.kysely.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', person.id).execute();
    expect(stored).toHaveLength(10);
    for (const c of recoveryCodes) expect(stored.map((r) => r.code_hash)).not.toContain(c);
    // The app's code of that time step is used up.
    expect((await regenerate(code, cookie)).status).toBe(401);
    advance(31_000);

    // The old codes stop working; a new one works once.
    const refused = await signinCode(person.email, old[1]!);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_code');
    const ok = await signinCode(person.email, recoveryCodes[0]!);
    expect(ok.status).toBe(200);
    expect(await me(cookieOf(ok))).toMatchObject({ email: person.email });
    expect((await signinCode(person.email, recoveryCodes[0]!)).status).toBe(401);
    expect((await (await fetch(`${t.url}/api/v1/me/totp`, { headers: { cookie } })).json())).toMatchObject({ recoveryCodesLeft: 9 });
  });

  it('is refused when two-step sign-in is not on', async () => {
    const cookie = await signIn(users.reader.email);
    const res = await regenerate('123456', cookie);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('totp_not_enabled');
  });

  it('counts wrong codes towards the per-account limit', async () => {
    const person = await buildUser(t.db.kysely, { email: 'regen.limit@example.test', role: 'contributor', passwordHash: await hashPassword(PASSWORD) });
    const cookie = await signIn(person.email);
    const { secret } = await enrol(cookie);
    for (let i = 0; i < 5; i++) expect((await regenerate(wrongFor(secret), cookie)).status).toBe(401);
    const blocked = await regenerate(codeFor(secret), cookie);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/api/v1/me/totp/recovery-codes']?.post).toBeTruthy();
  });
});

describe('staff idle expiry', () => {
  const lastSeen = (cookie: string, minutesAgo: number) =>
    t.db.kysely.updateTable('sessions').set({ last_seen_at: new Date(clock().getTime() - minutesAgo * 60_000).toISOString() })
      .where('id_hash', '=', hashToken(cookie.split('=')[1]!)).execute();
  const exists = async (cookie: string) =>
    !!(await t.db.kysely.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashToken(cookie.split('=')[1]!)).executeTakeFirst());

  it('ends a staff session idle for longer than STAFF_IDLE_MINUTES (120 by default)', async () => {
    const cookie = await sessionCookieFor(t.db.kysely, users.contributor.id);
    await lastSeen(cookie, 119);
    expect(await me(cookie)).toMatchObject({ email: users.contributor.email });
    // That use counted: the session was touched.
    await lastSeen(cookie, 121);
    expect(await me(cookie)).toBeNull();
    expect(await exists(cookie)).toBe(false);
  });

  it('touches a staff session at most once a minute', async () => {
    const cookie = await sessionCookieFor(t.db.kysely, users.contributor.id);
    await lastSeen(cookie, 2);
    await me(cookie);
    const row = await t.db.kysely.selectFrom('sessions').select('last_seen_at').where('id_hash', '=', hashToken(cookie.split('=')[1]!)).executeTakeFirstOrThrow();
    expect(clock().getTime() - Date.parse(row.last_seen_at)).toBeLessThan(60_000);
  });

  it('leaves readers alone', async () => {
    const cookie = await sessionCookieFor(t.db.kysely, users.reader.id);
    await lastSeen(cookie, 24 * 60);
    expect(await me(cookie)).toMatchObject({ email: users.reader.email });
    expect(await exists(cookie)).toBe(true);
  });
});

describe('STAFF_IDLE_MINUTES', () => {
  it('defaults to 120 and refuses nonsense', () => {
    expect(loadConfig({}).staffIdleMinutes).toBe(120);
    expect(loadConfig({ STAFF_IDLE_MINUTES: '15' }).staffIdleMinutes).toBe(15);
    for (const bad of ['0', '-5', '1.5', 'soon', '100000']) expect(() => loadConfig({ STAFF_IDLE_MINUTES: bad })).toThrow(ConfigError);
  });
});

describe('enrolment on the account page (HTML forms)', () => {
  const form = (p: string, fields: Record<string, string>, cookie: string) => t.request('POST', p, { as: { cookie }, form: fields });
  const page = async (p: string, cookie: string) => (await fetch(t.url + p, { headers: { cookie } })).text();

  it('sets up with a QR code and the key, confirms with a first code, shows the recovery codes once, and turns off', async () => {
    const person = await buildUser(t.db.kysely, { email: 'html.editor@example.test', role: 'editor', passwordHash: await hashPassword(PASSWORD) });
    const cookie = await signIn(person.email);
    const account = await page('/account', cookie);
    expect(account).toContain('Two-step sign-in: off');
    expect(account).toContain('action="/account/totp/setup"');

    const setup = await form('/account/totp/setup', {}, cookie);
    expect(setup.status).toBe(200);
    expect(setup.headers.get('cache-control')).toContain('no-store');
    const html = await setup.text();
    const secret = /data-secret="([A-Z2-7]+)"/.exec(html)?.[1];
    expect(secret).toBeTruthy();
    // The key in groups of four, for typing, and the QR code as an SVG image made on the server.
    expect(html).toContain(secret!.replace(/(.{4})(?=.)/g, '$1 '));
    const qr = /<img class="totp-setup__qr" src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(html)?.[1];
    expect(qr).toBeTruthy();
    const svg = Buffer.from(qr!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toContain('<script');
    // Not on yet.
    expect((await (await fetch(`${t.url}/api/v1/me/totp`, { headers: { cookie } })).json())).toMatchObject({ enabled: false });

    // A wrong code shows the same step again, with the same key.
    const wrong = await form('/account/totp/confirm', { code: wrongFor(secret!) }, cookie);
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('That code is not right');
    expect(wrongHtml).toContain(`data-secret="${secret}"`);
    // So does coming back to it.
    expect(await page('/account/totp/setup', cookie)).toContain(`data-secret="${secret}"`);

    const confirmed = await form('/account/totp/confirm', { code: codeFor(secret!) }, cookie);
    expect(confirmed.status).toBe(200);
    const codesHtml = await confirmed.text();
    const codes = [...codesHtml.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(codesHtml).toContain('not shown again');
    expect((await (await fetch(`${t.url}/api/v1/me/totp`, { headers: { cookie } })).json())).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    advance(31_000);
    // The setup step is over.
    expect((await fetch(`${t.url}/account/totp/setup`, { headers: { cookie }, redirect: 'manual' })).status).toBe(303);
    expect((await form('/account/totp/setup', {}, cookie)).status).toBe(409);

    const on = await page('/account', cookie);
    expect(on).toContain('Two-step sign-in: on (10 recovery codes left)');
    expect(on).toContain('action="/account/totp/disable"');
    expect(on).not.toContain(codes[0]!);

    // Signing in now takes a code; the completed sign-in is in the audit log.
    const signedIn = await post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(person.email), code: codeFor(secret!) });
    expect(signedIn.status).toBe(200);
    advance(31_000);
    const audited = await t.db.kysely.selectFrom('audit_log').select(['details', 'ip']).where('action', '=', 'auth.signin').where('subject', '=', `user:${person.id}`).execute();
    expect(audited.some((r) => r.details.includes('password+totp') && r.ip === '127.0.0.1')).toBe(true);

    // Turning it off takes the password and a code (here a recovery code).
    const badOff = await form('/account/totp/disable', { password: PASSWORD, code: wrongFor(secret!) }, cookie);
    expect(badOff.status).toBe(401);
    expect(await badOff.text()).toContain('Two-step sign-in: on');
    const off = await form('/account/totp/disable', { password: PASSWORD, code: codes[0]! }, cookie);
    expect(off.status).toBe(200);
    expect(await off.text()).toContain('Two-step sign-in is off');
    expect((await (await fetch(`${t.url}/api/v1/me/totp`, { headers: { cookie } })).json())).toMatchObject({ enabled: false });
    await signIn(person.email);
  });

  it('makes new recovery codes from the account page, shown once; the old ones stop working', async () => {
    const person = await buildUser(t.db.kysely, { email: 'regen.html@example.test', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
    const cookie = await signIn(person.email);
    const { secret, recoveryCodes: old } = await enrol(cookie);
    const account = await page('/account', cookie);
    expect(account).toContain('Two-step sign-in: on (10 recovery codes left)');
    expect(account).toContain('action="/account/totp/recovery-codes"');

    const wrong = await form('/account/totp/recovery-codes', { code: wrongFor(secret) }, cookie);
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('That code is not right');
    expect(wrongHtml).toContain('Two-step sign-in: on');
    const recovery = await form('/account/totp/recovery-codes', { code: old[0]! }, cookie);
    expect(recovery.status).toBe(400);
    expect(await recovery.text()).toContain('6-digit code');

    const made = await form('/account/totp/recovery-codes', { code: codeFor(secret) }, cookie);
    expect(made.status).toBe(200);
    expect(made.headers.get('cache-control')).toContain('no-store');
    const html = await made.text();
    const codes = [...html.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(old).not.toContain(c);
    expect(html).toContain('not shown again');
    expect(html).toContain('the old ones no longer work');
    advance(31_000);
    // Shown once: not on the account page.
    const after = await page('/account', cookie);
    expect(after).toContain('Two-step sign-in: on (10 recovery codes left)');
    expect(after).not.toContain(codes[0]!);

    const signinCode = async (code: string) => post('/api/v1/auth/signin/totp', { pendingToken: await pendingFor(person.email), code });
    expect((await signinCode(old[1]!)).status).toBe(401);
    expect((await signinCode(codes[0]!)).status).toBe(200);
    expect((await signinCode(codes[0]!)).status).toBe(401);
    expect(await page('/account', cookie)).toContain('Two-step sign-in: on (9 recovery codes left)');
  });

  it('is not shown to readers, who cannot set it up', async () => {
    const cookie = await signIn(users.reader.email);
    const account = await page('/account', cookie);
    expect(account).toContain('Change password');
    expect(account).not.toContain('Two-step sign-in');
    const refused = await form('/account/totp/setup', {}, cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('for staff accounts');
  });

  it('sends the signed out to sign in', async () => {
    const res = await fetch(`${t.url}/account/totp/setup`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?next=/account');
  });
});
