/**
 * The newsroom's People and Audit log screens, and staff invitations: an admin
 * invites by form, the invitee follows the emailed link and is signed in with
 * the role; links work once and expire; only admins invite; role changes and
 * disabling on the page; API tokens; the audit log shows sign-ins (with the
 * address) and moderation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildUser, currentUser, sessionCookieFor, signInByFormPost } from '../../test/helpers/accounts.js';
import { cookieOf, type FormFields } from '../../test/helpers/http.js';
import { mailedToken, outbox } from '../../test/helpers/mail.js';
import { buildArticle, buildSection } from '../../test/helpers/factories.js';
import { hashPassword } from '../accounts/password.js';
import { hashToken } from '../accounts/session.js';

let t: TestApp;
const PASSWORD = 'lantern harbour 1987 velvet';
let offset = 0;
const clock = () => new Date(Date.now() + offset);

const users = {} as Record<'admin' | 'editor' | 'contributor' | 'reader' | 'target', { id: number; email: string }>;
let articleId = 0;
let commentId = 0;

beforeAll(async () => {
  t = await startTestApp({
    now: clock,
    seed: async ({ db: { kysely: db } }) => {
      const passwordHash = await hashPassword(PASSWORD);
      users.admin = await buildUser(db, { email: 'chief@example.test', displayName: 'Chief Admin', role: 'admin', passwordHash });
      users.editor = await buildUser(db, { email: 'desk@example.test', displayName: 'Desk Editor', role: 'editor', passwordHash });
      users.contributor = await buildUser(db, { email: 'stringer@example.test', displayName: 'Stringer', role: 'contributor', passwordHash });
      users.reader = await buildUser(db, { email: 'longtime.reader@example.test', displayName: 'Longtime Reader', role: 'reader', passwordHash });
      users.target = await buildUser(db, { email: 'target@example.test', displayName: 'Target Person', role: 'reader', passwordHash });
      const section = await buildSection(db, { slug: 'world', name: 'World' });
      articleId = (await buildArticle(db, { sectionId: section.id, headline: 'Harbour reopens after the storm' })).id;
      const at = new Date().toISOString();
      commentId = (await db
        .insertInto('comments')
        .values({ article_id: articleId, user_id: users.reader.id, parent_id: null, body: 'Good news for the port', body_html: '<p>Good news for the port</p>', status: 'pending', held_reason: null, created_at: at, edited_at: null, deleted_at: null })
        .returning('id')
        .executeTakeFirstOrThrow()).id;
    },
  });
});
afterAll(async () => t?.close());

/** Requests with a session cookie (none when empty), as this file makes them. */
const get = (p: string, cookie = '') => t.request('GET', p, { as: { cookie } });
const form = (p: string, fields: FormFields, cookie = '') => t.request('POST', p, { as: { cookie }, form: fields });
const api = (method: string, p: string, cookie: string, body?: unknown) => t.request(method, p, { as: { cookie }, json: body });
const me = (cookie: string) => currentUser(t, cookie);
const inviteToken = (to: string) => mailedToken(t, to, 'invite');
/** Signs in by the HTML form, as a browser does (so the sign-in is audited with its address). */
const signIn = (email: string) => signInByFormPost(t, email, PASSWORD, '/newsroom/people');

let admin = '';

describe('who may open the screens', () => {
  it('sends the signed out to sign in, and back', async () => {
    const people = await get('/newsroom/people?role=editor');
    expect(people.status).toBe(302);
    expect(people.headers.get('location')).toBe(`/signin?next=${encodeURIComponent('/newsroom/people?role=editor')}`);
    const audit = await get('/newsroom/audit');
    expect(audit.status).toBe(302);
    expect(audit.headers.get('location')).toBe(`/signin?next=${encodeURIComponent('/newsroom/audit')}`);
    const post = await form('/newsroom/people/invitations', { email: 'x@example.test', role: 'editor' });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toMatch(/^\/signin\?next=/);
  });

  it('refuses editors and readers (403), on the pages and the API', async () => {
    for (const who of [users.editor, users.reader]) {
      const cookie = await sessionCookieFor(t.db.kysely, who.id);
      expect((await get('/newsroom/people', cookie)).status).toBe(403);
      expect((await get('/newsroom/audit', cookie)).status).toBe(403);
      const refused = await form('/newsroom/people/invitations', { email: 'sneaky@example.test', role: 'admin' }, cookie);
      expect(refused.status).toBe(403);
      expect((await api('POST', '/api/admin/invitations', cookie, { email: 'sneaky@example.test', role: 'admin' })).status).toBe(403);
      expect((await api('GET', '/api/admin/invitations', cookie)).status).toBe(403);
      expect((await form(`/newsroom/people/${users.target.id}/role`, { role: 'admin' }, cookie)).status).toBe(403);
    }
    expect(outbox(t).some((m) => m.includes('sneaky@example.test'))).toBe(false);
    const rows = await t.db.kysely.selectFrom('staff_invitations').select('id').execute();
    expect(rows).toEqual([]);
  });

  it('shows admins the People page with staff and readers', async () => {
    admin = await signIn(users.admin.email);
    const res = await get('/newsroom/people', admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    for (const u of Object.values(users)) expect(html).toContain(u.email);
    expect(html).toContain('signs it out everywhere at once');
    // Filter by role and search.
    const editors = await (await get('/newsroom/people?role=editor', admin)).text();
    expect(editors).toContain(users.editor.email);
    expect(editors).not.toContain(users.reader.email);
    const found = await (await get('/newsroom/people?q=LONGTIME', admin)).text();
    expect(found).toContain(users.reader.email);
    expect(found).not.toContain(users.editor.email);
    expect((await get('/newsroom/people?role=emperor', admin)).status).toBe(400);
  });
});

describe('invitations', () => {
  it('invites by form; the invitee follows the emailed link, sets a name and a password, and is signed in as an editor; the link then no longer works', async () => {
    const sent = await form('/newsroom/people/invitations', { email: 'New.Editor@Example.test', role: 'editor', back: '/newsroom/people' }, admin);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/newsroom\/people\?done=invite-\d+$/);
    const page = await (await get(sent.headers.get('location')!, admin)).text();
    expect(page).toContain('The invitation is sent');
    expect(page).toContain('new.editor@example.test');

    const token = inviteToken('new.editor@example.test');
    // Only the hash is stored.
    const stored = await t.db.kysely.selectFrom('staff_invitations').select(['token_hash', 'role']).where('email', '=', 'new.editor@example.test').executeTakeFirstOrThrow();
    expect(stored).toEqual({ token_hash: hashToken(token), role: 'editor' });

    const open = await get(`/invite?token=${token}`);
    expect(open.status).toBe(200);
    expect(open.headers.get('cache-control')).toContain('no-store');
    const openHtml = await open.text();
    expect(openHtml).toContain('Chief Admin invited you');
    expect(openHtml).toContain('name="displayName"');

    // A weak password is refused and does not use up the link.
    const weak = await form('/invite', { token, displayName: 'Nia Okafor', password: 'password123' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('common');

    const accepted = await form('/invite', { token, displayName: 'Nia Okafor', password: PASSWORD });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/newsroom');
    const cookie = cookieOf(accepted);
    expect(await me(cookie)).toMatchObject({ email: 'new.editor@example.test', displayName: 'Nia Okafor', role: 'editor' });
    expect((await api('GET', '/api/admin/articles', cookie)).status).toBe(200);
    // And signs in with that password later.
    expect((await form('/signin', { email: 'new.editor@example.test', password: PASSWORD, next: '/' })).status).toBe(303);

    const again = await get(`/invite?token=${token}`);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already been used');
    const reuse = await form('/invite', { token, displayName: 'Someone Else', password: 'another long passphrase' });
    expect(reuse.status).toBe(400);
    expect((await t.db.kysely.selectFrom('users').select('display_name').where('email', '=', 'new.editor@example.test').executeTakeFirstOrThrow()).display_name).toBe('Nia Okafor');

    // No longer pending.
    const pending = (await (await api('GET', '/api/admin/invitations', admin)).json()) as { invitations: Array<{ email: string }> };
    expect(pending.invitations.map((i) => i.email)).not.toContain('new.editor@example.test');
  });

  it('refuses an expired link', async () => {
    const res = await api('POST', '/api/admin/invitations', admin, { email: 'late@example.test', role: 'contributor' });
    expect(res.status).toBe(201);
    const { invitation } = (await res.json()) as { invitation: { id: number; email: string; role: string; expiresAt: string } };
    expect(invitation).toMatchObject({ email: 'late@example.test', role: 'contributor' });
    expect(JSON.stringify(invitation)).not.toMatch(/token/i);
    const token = inviteToken('late@example.test');
    offset = 8 * 24 * 3600_000;
    try {
      const open = await get(`/invite?token=${token}`);
      expect(open.status).toBe(400);
      expect(await open.text()).toContain('has expired');
      expect((await form('/invite', { token, displayName: 'Late', password: PASSWORD })).status).toBe(400);
    } finally {
      offset = 0;
    }
    expect(await t.db.kysely.selectFrom('users').select('id').where('email', '=', 'late@example.test').executeTakeFirst()).toBeUndefined();
  });

  it('lists pending invitations and revokes one: its link stops working', async () => {
    const res = await form('/newsroom/people/invitations', { email: 'maybe@example.test', role: 'admin', back: '/newsroom/people' }, admin);
    expect(res.status).toBe(303);
    const token = inviteToken('maybe@example.test');
    const list = (await (await api('GET', '/api/admin/invitations', admin)).json()) as { invitations: Array<{ id: number; email: string; invitedBy: { name: string } }> };
    const inv = list.invitations.find((i) => i.email === 'maybe@example.test')!;
    expect(inv.invitedBy.name).toBe('Chief Admin');
    expect(await (await get('/newsroom/people', admin)).text()).toContain(`/newsroom/people/invitations/${inv.id}/revoke`);

    const revoked = await form(`/newsroom/people/invitations/${inv.id}/revoke`, { back: '/newsroom/people' }, admin);
    expect(revoked.status).toBe(303);
    expect((await get(`/invite?token=${token}`)).status).toBe(400);
    expect((await api('DELETE', `/api/admin/invitations/${inv.id}`, admin)).status).toBe(409);
    expect((await api('DELETE', '/api/admin/invitations/999999', admin)).status).toBe(404);
  });

  it('a new invitation replaces a pending one to the same address', async () => {
    await api('POST', '/api/admin/invitations', admin, { email: 'twice@example.test', role: 'contributor' });
    const first = inviteToken('twice@example.test');
    await api('POST', '/api/admin/invitations', admin, { email: 'twice@example.test', role: 'editor' });
    const second = inviteToken('twice@example.test');
    expect(second).not.toBe(first);
    expect((await get(`/invite?token=${first}`)).status).toBe(400);
    expect(await (await get(`/invite?token=${second}`)).text()).toContain('<strong>editor</strong>');
  });

  it('lets a reader with an account accept with its password, keeping the account', async () => {
    await api('POST', '/api/admin/invitations', admin, { email: users.reader.email, role: 'contributor' });
    const token = inviteToken(users.reader.email);
    const html = await (await get(`/invite?token=${token}`)).text();
    expect(html).toContain('You already have a');
    expect(html).not.toContain('name="displayName"');
    const wrong = await form('/invite', { token, password: 'not my password at all' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('not the password of your account');
    const ok = await form('/invite', { token, password: PASSWORD });
    expect(ok.status).toBe(303);
    expect(await me(cookieOf(ok))).toMatchObject({ email: users.reader.email, displayName: 'Longtime Reader', role: 'contributor' });
    expect((await form('/invite', { token, password: PASSWORD })).status).toBe(400);
  });

  it('refuses to invite an address that already has a staff account, and bad input', async () => {
    const staff = await api('POST', '/api/admin/invitations', admin, { email: users.editor.email, role: 'admin' });
    expect(staff.status).toBe(409);
    const page = await form('/newsroom/people/invitations', { email: users.editor.email, role: 'admin', back: '/newsroom/people' }, admin);
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('already has a staff account');
    expect((await api('POST', '/api/admin/invitations', admin, { email: 'nobody@example.test', role: 'reader' })).status).toBe(400);
    expect((await api('POST', '/api/admin/invitations', admin, { email: 'not an email', role: 'editor' })).status).toBe(400);
    expect((await form('/newsroom/people/invitations', { email: 'not an email', role: 'editor' }, admin)).status).toBe(400);
    expect((await get('/invite?token=made-up-token-that-is-long-enough')).status).toBe(400);
    expect((await get('/invite')).status).toBe(400);
  });
});

describe('changing accounts on the page', () => {
  it('changes a role, and disabling ends the account\'s session at once', async () => {
    const targetCookie = await sessionCookieFor(t.db.kysely, users.target.id);
    expect(await me(targetCookie)).toMatchObject({ email: users.target.email, role: 'reader' });

    const role = await form(`/newsroom/people/${users.target.id}/role`, { role: 'contributor', back: '/newsroom/people?role=reader' }, admin);
    expect(role.status).toBe(303);
    expect(role.headers.get('location')).toBe(`/newsroom/people?role=reader&done=role-${users.target.id}`);
    expect(await me(targetCookie)).toMatchObject({ role: 'contributor' });

    const disable = await form(`/newsroom/people/${users.target.id}/disable`, { back: '/newsroom/people' }, admin);
    expect(disable.status).toBe(303);
    expect(await me(targetCookie)).toBeNull();
    const notice = await (await get(disable.headers.get('location')!, admin)).text();
    expect(notice).toContain('is disabled');
    expect(notice).toContain(`/newsroom/people/${users.target.id}/enable`);
    // It cannot sign in either, until enabled again.
    expect((await form('/signin', { email: users.target.email, password: PASSWORD, next: '/' })).status).toBe(401);
    expect((await form(`/newsroom/people/${users.target.id}/enable`, { back: '/newsroom/people' }, admin)).status).toBe(303);
    expect((await form('/signin', { email: users.target.email, password: PASSWORD, next: '/' })).status).toBe(303);
  });

  it('does not let an admin change their own account, and says why', async () => {
    const res = await form(`/newsroom/people/${users.admin.id}/role`, { role: 'reader', back: '/newsroom/people' }, admin);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('cannot change your own role');
    expect(await me(admin)).toMatchObject({ role: 'admin' });
  });

  it('makes an API token shown once, and revokes it', async () => {
    const made = await form('/newsroom/people/tokens', { name: 'wire desk', role: 'editor', back: '/newsroom/people' }, admin);
    expect(made.status).toBe(201);
    const html = await made.text();
    const secret = /(dsp_[\w-]+)/.exec(html)?.[1];
    expect(secret).toBeTruthy();
    const auth = { authorization: `Bearer ${secret}` };
    expect((await fetch(`${t.url}/api/admin/articles`, { headers: auth })).status).toBe(200);
    // Never shown again.
    const later = await (await get('/newsroom/people', admin)).text();
    expect(later).toContain('wire desk');
    expect(later).not.toContain(secret!);
    const row = await t.db.kysely.selectFrom('api_tokens').select('id').where('name', '=', 'wire desk').executeTakeFirstOrThrow();
    expect((await form(`/newsroom/people/tokens/${row.id}/revoke`, { back: '/newsroom/people' }, admin)).status).toBe(303);
    expect((await fetch(`${t.url}/api/admin/articles`, { headers: auth })).status).toBe(401);
  });
});

describe('the audit log page', () => {
  it('lists staff sign-ins with their address, failed ones, invitations, role changes and moderation', async () => {
    // A failed staff sign-in, then a moderation action by form.
    expect((await form('/signin', { email: users.editor.email, password: 'a wrong password here', next: '/' })).status).toBe(401);
    const approve = await form(`/newsroom/comments/${commentId}/approve`, { status: 'queue', page: '1' }, admin);
    expect(approve.status).toBe(303);

    const res = await get('/newsroom/audit', admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = (action: string) =>
      [...html.matchAll(new RegExp(`<tr id="audit-\\d+" data-action="${action.replace('.', '\\.')}">([\\s\\S]*?)</tr>`, 'g'))].map((m) => m[1]!);
    const row = (action: string) => {
      const found = rows(action)[0];
      if (!found) throw new Error(`no ${action} row`);
      return found;
    };
    const signin = rows('auth.signin').find((r) => r.includes('Chief Admin'));
    expect(signin).toBeTruthy();
    expect(signin).toContain('127.0.0.1');
    // The invitee's first sign-in, by the invitation.
    expect(rows('auth.signin').some((r) => r.includes('Nia Okafor') && r.includes('invitation'))).toBe(true);
    const failed = row('auth.signin_failed');
    expect(failed).toContain('Desk Editor');
    expect(failed).toContain('wrong password');
    const moderation = row('comment.approve');
    expect(moderation).toContain(`href="/comments/${commentId}"`);
    expect(moderation).toContain(`href="/newsroom/stories/${articleId}"`);
    expect(moderation).toContain('Harbour reopens after the storm');
    expect(moderation).toContain('Chief Admin');
    const has = (action: string, text: string) => rows(action).some((r) => r.includes(text));
    expect(has('invitation.send', 'new.editor@example.test')).toBe(true);
    expect(has('invitation.revoke', 'maybe@example.test')).toBe(true);
    expect(has('invitation.accept', 'Nia Okafor')).toBe(true);
    expect(has('invitation.accept', 'Longtime Reader')).toBe(true);
    expect(row('user.disable')).toContain('Target Person');
    expect(has('user.update', 'reader → contributor')).toBe(true);

    // Filters.
    const only = await (await get('/newsroom/audit?action=comment.approve', admin)).text();
    expect(only).toContain('data-action="comment.approve"');
    expect(only).not.toContain('data-action="auth.signin"');
    const byEditor = await (await get(`/newsroom/audit?actor=${users.admin.id}&action=`, admin)).text();
    expect(byEditor).toContain('data-action="user.disable"');
    expect(byEditor).not.toContain('data-action="invitation.accept"');
    expect((await get('/newsroom/audit?action=DROP%20TABLE', admin)).status).toBe(400);
  });

  it('does not record readers\' sign-ins', async () => {
    const reader = await buildUser(t.db.kysely, { role: 'reader', passwordHash: await hashPassword(PASSWORD) });
    expect((await form('/signin', { email: reader.email, password: PASSWORD, next: '/' })).status).toBe(303);
    const rows = await t.db.kysely.selectFrom('audit_log').select('id').where('subject', '=', `user:${reader.id}`).execute();
    expect(rows).toEqual([]);
  });

  it('pages older entries', async () => {
    const at = new Date().toISOString();
    await t.db.kysely
      .insertInto('audit_log')
      .values(Array.from({ length: 60 }, (_, i) => ({ at, actor_user_id: null, actor_token_id: null, action: 'test.filler', subject: `site:filler${i}`, details: '{}', ip: null })))
      .execute();
    const first = await (await get('/newsroom/audit', admin)).text();
    const older = /href="(\/newsroom\/audit\?before=\d+)"/.exec(first)?.[1];
    expect(older).toBeTruthy();
    const second = await (await get(older!.replace(/&amp;/g, '&'), admin)).text();
    expect(second).toContain('data-action="auth.signin"');
    expect(second).toContain('Newest entries');
  });
});
