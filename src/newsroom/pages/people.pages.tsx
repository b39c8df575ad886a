/**
 * The newsroom's People and Audit log screens (admins), and the invitee's
 * side of a staff invitation (/invite). Plain forms over the same services
 * and policies as the admin API: every POST checks the policy for its own
 * action, and answers with Post/Redirect/Get (except a new API token, whose
 * secret is shown once in the answer and never put in a URL).
 */
import { h, type VNode } from 'preact';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import type { Role, UserStatus } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { buildChrome } from '../../web/chrome.js';
import { renderDocument } from '../../web/render.js';
import { startSession } from '../../accounts/session.js';
import { FormPage, type FormPageProps, type FormSpec } from '../../accounts/views/forms.js';
import { totpFor } from '../../accounts/totp-service.js';
import { can, isStaff } from '../newsroom.policy.js';
import { createPeopleService } from '../people.service.js';
import { createInvitationService, INVITATION_DAYS, InvalidInvitationError, type InvitationForInvitee } from '../invitation.service.js';
import { PeopleView, ROLES, type PeopleFilter, type PeopleViewProps } from '../views/people.js';
import { AuditView, type AuditFilterView } from '../views/audit.js';
import { seeOther, sendNewsroomPage, staffPage, type StaffPage } from './page-kit.js';
import { FormBody, formField } from '../../web/forms.js';

const PAGE_SIZE = 50;
const AUDIT_PAGE_SIZE = 50;
const PRIVATE = 'private, no-store';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

const Empty = Type.Literal('');
const RoleParam = Type.Union([...ROLES.map((r) => Type.Literal(r)), Empty]);
const StatusParam = Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('disabled'), Empty]);

const PeopleQuery = Type.Object({
  role: Type.Optional(RoleParam),
  status: Type.Optional(StatusParam),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  done: Type.Optional(Type.String({ pattern: '^(role|disable|enable|invite|unvite|untoken)-[0-9]{1,10}$' })),
});

const AuditQuery = Type.Object({
  action: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', maxLength: 60 }), Empty])),
  actor: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Empty])),
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
});

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
const isStaffRole = (v: string): v is Role => isRole(v) && isStaff(v);

/** Where a form comes back to: the People page with its filter, nothing else. */
function backOf(body: unknown): string {
  const back = formField(body, 'back');
  return /^\/newsroom\/people(\?[\w%&=+.@-]*)?$/.test(back) ? back : '/newsroom/people';
}

function filterOf(url: string): { filter: PeopleFilter; page: number } {
  const q = new URL(url, 'http://x').searchParams;
  const role = q.get('role') ?? '';
  const status = q.get('status') ?? '';
  const text = (q.get('q') ?? '').trim().slice(0, 200);
  const page = Math.min(10000, Math.max(1, Number(q.get('page')) || 1));
  return {
    filter: {
      role: isRole(role) ? role : undefined,
      status: (['active', 'pending', 'disabled'] as const).find((s) => s === status),
      q: text || undefined,
    },
    page,
  };
}

const NOTICES: Record<string, (id: string) => string> = {
  role: (id) => `The role of account ${id} is changed.`,
  disable: (id) => `Account ${id} is disabled: it was signed out everywhere and its API tokens were revoked.`,
  enable: (id) => `Account ${id} is enabled again; it can sign in.`,
  invite: () => `The invitation is sent. Its link works once, for ${INVITATION_DAYS} days.`,
  unvite: () => 'The invitation is withdrawn: its link no longer works.',
  untoken: (id) => `Token ${id} is revoked: programs using it are refused from now on.`,
};

/** Only the refusals a person can act on are shown on the page; anything else is the error page. */
function refusal(err: unknown): AppError {
  if (err instanceof AppError && err.status < 500) return err;
  throw err;
}

export const peoplePages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { db: { kysely: db }, now, sessions, accounts, config } = deps;
  const people = createPeopleService({ db, now });
  const invitations = createInvitationService({ db, mailer: deps.mailer, now, siteUrl: config.siteUrl, siteName: config.siteName });

  async function renderPeople(
    reply: FastifyReply,
    page: StaffPage,
    where: { filter: PeopleFilter; page: number },
    extra: { status?: number; notice?: string | null; error?: string | null; newToken?: PeopleViewProps['newToken']; form?: PeopleViewProps['form'] } = {},
  ) {
    const { staff } = page;
    const [users, pending, tokens] = await Promise.all([
      people.users(staff, where.filter, where.page, PAGE_SIZE),
      can(staff, 'invitation.manage') === true ? invitations.pending(staff) : Promise.resolve(null),
      can(staff, 'token.manage') === true ? people.tokens(staff) : Promise.resolve(null),
    ]);
    const totalPages = Math.max(1, Math.ceil(users.total / PAGE_SIZE));
    return sendNewsroomPage(reply, page, {
      title: 'People', screen: 'people', notice: extra.notice ?? null, error: extra.error ?? null,
      children: h(PeopleView, {
        meId: staff.userId!, filter: where.filter, users: { items: users.items, page: where.page, totalPages, total: users.total },
        invitations: pending, tokens, newToken: extra.newToken ?? null, form: extra.form ?? {}, now: page.chrome.now,
      }),
    }, extra.status ?? 200);
  }

  // --- People -------------------------------------------------------------------

  app.get('/newsroom/people', { schema: { querystring: PeopleQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'user.list');
    if (!page) return reply;
    const q = req.query;
    const filter: PeopleFilter = { role: q.role || undefined, status: (q.status || undefined) as UserStatus | undefined, q: q.q?.trim() || undefined };
    const done = q.done ? /^([a-z]+)-(\d+)$/.exec(q.done) : null;
    const notice = done ? NOTICES[done[1]!]?.(done[2]!) ?? null : null;
    return renderPeople(reply, page, { filter, page: q.page ?? 1 }, { notice });
  });

  /** Runs a People form's action; a refusal shows the page again with the reason, and the status. */
  async function peopleAction(
    req: FastifyRequest,
    reply: FastifyReply,
    action: Parameters<typeof staffPage>[3],
    run: (page: StaffPage) => Promise<string | FastifyReply>,
    form?: PeopleViewProps['form'],
  ) {
    const page = await staffPage(deps, req, reply, action);
    if (!page) return reply;
    const back = backOf(req.body);
    try {
      const done = await run(page);
      return typeof done === 'string' ? seeOther(reply, back, done) : done;
    } catch (err) {
      const e = refusal(err);
      return renderPeople(reply, page, filterOf(back), { status: e.status, error: e.message, ...(form ? { form } : {}) });
    }
  }

  app.post('/newsroom/people/:id/role', { schema: { params: IdParams, body: FormBody } }, async (req, reply) =>
    peopleAction(req, reply, 'user.manage', async ({ staff }) => {
      const role = formField(req.body, 'role');
      if (!isRole(role)) throw new AppError(400, 'invalid_request', 'Choose one of the roles: reader, contributor, editor or admin.');
      await people.updateUser(staff, req.params.id, { role });
      return `role-${req.params.id}`;
    }),
  );

  for (const [suffix, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/newsroom/people/:id/${suffix}`, { schema: { params: IdParams, body: FormBody } }, async (req, reply) =>
      peopleAction(req, reply, 'user.manage', async ({ staff }) => {
        await people.updateUser(staff, req.params.id, { disabled });
        return `${suffix}-${req.params.id}`;
      }),
    );
  }

  app.post('/newsroom/people/invitations', { schema: { body: FormBody } }, async (req, reply) => {
    const email = formField(req.body, 'email').trim().slice(0, 254);
    const role = formField(req.body, 'role');
    return peopleAction(req, reply, 'invitation.manage', async ({ staff }) => {
      if (!isStaffRole(role)) throw new AppError(400, 'invalid_request', 'Invite to a staff role: contributor, editor or admin.');
      const invitation = await invitations.invite(staff, { email, role });
      return `invite-${invitation.id}`;
    }, { inviteEmail: email, ...(isRole(role) ? { inviteRole: role } : {}) });
  });

  app.post('/newsroom/people/invitations/:id/revoke', { schema: { params: IdParams, body: FormBody } }, async (req, reply) =>
    peopleAction(req, reply, 'invitation.manage', async ({ staff }) => {
      await invitations.revoke(staff, req.params.id);
      return `unvite-${req.params.id}`;
    }),
  );

  // The secret is in this answer only: not in a redirect, not in a URL, never cached.
  app.post('/newsroom/people/tokens', { schema: { body: FormBody } }, async (req, reply) => {
    const name = formField(req.body, 'name').trim().slice(0, 120);
    const role = formField(req.body, 'role');
    return peopleAction(req, reply, 'token.manage', async (page) => {
      if (!isStaffRole(role)) throw new AppError(400, 'invalid_request', 'A token acts for staff: choose contributor, editor or admin.');
      const { token, secret } = await people.createToken(page.staff, { name, role });
      return renderPeople(reply, page, filterOf(backOf(req.body)), { status: 201, notice: `Token “${token.name}” made.`, newToken: { name: token.name, secret } });
    }, { tokenName: name, ...(isRole(role) ? { tokenRole: role } : {}) });
  });

  app.post('/newsroom/people/tokens/:id/revoke', { schema: { params: IdParams, body: FormBody } }, async (req, reply) =>
    peopleAction(req, reply, 'token.manage', async ({ staff }) => {
      await people.revokeToken(staff, req.params.id);
      return `untoken-${req.params.id}`;
    }),
  );

  // --- Audit log ------------------------------------------------------------------

  app.get('/newsroom/audit', { schema: { querystring: AuditQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'audit.read');
    if (!page) return reply;
    const filter: AuditFilterView = {
      action: req.query.action || undefined,
      actor: typeof req.query.actor === 'number' ? req.query.actor : undefined,
      before: req.query.before,
    };
    const log = await people.auditPage(page.staff, { action: filter.action, actorUserId: filter.actor, beforeId: filter.before }, AUDIT_PAGE_SIZE);
    return sendNewsroomPage(reply, page, {
      title: 'Audit log', screen: 'audit',
      children: h(AuditView, { entries: log.entries, next: log.next, names: log.names, staff: log.staff, filter, now: page.chrome.now }),
    });
  });

  // --- The invitee: /invite ----------------------------------------------------------

  async function invitePage(reply: FastifyReply, status: number, props: Omit<FormPageProps, 'chrome' | 'path'>) {
    const html = renderDocument(h(FormPage, { ...props, path: '/invite', chrome: await buildChrome(deps) }) as VNode);
    // The link's token is in this page's address: keep it out of caches and other sites' logs.
    return reply.code(status).header('Cache-Control', PRIVATE).header('Referrer-Policy', 'no-referrer').header('X-Robots-Tag', 'noindex').type('text/html; charset=utf-8').send(html);
  }

  const invalidLink = (reply: FastifyReply, message = new InvalidInvitationError().message) =>
    invitePage(reply, 400, { title: 'Invitation', error: message, forms: [], footer: <p>Already have a newsroom account? <a href="/signin?next=/newsroom">Sign in</a>.</p> });

  function acceptForm(token: string, inv: InvitationForInvitee, displayName = ''): FormSpec {
    const fields: FormSpec['fields'] = [{ name: 'token', label: '', type: 'hidden', value: token }];
    if (inv.account === 'reader') {
      fields.push({ name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', hint: `The password of your account ${inv.email}.` });
      return { action: '/invite', submit: 'Accept the invitation', fields };
    }
    fields.push(
      { name: 'displayName', label: 'Display name', value: displayName, autocomplete: 'name', maxLength: 60, hint: 'How colleagues see you in the newsroom.' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', minLength: 10, hint: 'At least 10 characters; a passphrase of several words is good.' },
    );
    return { action: '/invite', submit: 'Create my account', fields };
  }

  function inviteIntro(inv: InvitationForInvitee) {
    const who = inv.invitedBy ? `${inv.invitedBy} invited you` : 'You are invited';
    return (
      <>
        <p>
          {who} to join the {config.siteName} newsroom as <strong>{inv.role}</strong>, with the address <strong>{inv.email}</strong>.
        </p>
        <p>
          {inv.account === 'reader'
            ? `You already have a ${config.siteName} account with this address. Accept with its password: it keeps your name, comments and favorites, and becomes a newsroom account.`
            : 'Choose the name colleagues will see and a password.'}
        </p>
      </>
    );
  }

  app.get('/invite', { schema: { querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) } }, async (req, reply) => {
    const token = req.query.token ?? '';
    let inv: InvitationForInvitee;
    try {
      inv = await invitations.forInvitee(token);
    } catch (err) {
      return invalidLink(reply, refusal(err).message);
    }
    return invitePage(reply, 200, { title: `Join the ${config.siteName} newsroom`, intro: inviteIntro(inv), forms: [acceptForm(token, inv)] });
  });

  app.post('/invite', { schema: { body: FormBody } }, async (req, reply) => {
    const token = formField(req.body, 'token').slice(0, 200);
    const displayName = formField(req.body, 'displayName');
    let inv: InvitationForInvitee;
    try {
      inv = await invitations.forInvitee(token);
    } catch (err) {
      return invalidLink(reply, refusal(err).message);
    }
    try {
      let accepted: { userId: number; role: Role };
      if (inv.account === 'reader') {
        // The account's own password, through sign-in's throttling; then the role.
        const userId = await accounts.signin({ email: inv.email, password: formField(req.body, 'password'), address: req.ip });
        accepted = await invitations.acceptExisting(token, userId, req.ip ?? null);
        // An account that already uses two-step sign-in signs in with it.
        if (await totpFor(deps).isEnabled(userId)) return reply.code(303).header('Cache-Control', PRIVATE).redirect('/signin?next=/newsroom');
      } else {
        accepted = await invitations.acceptNew(token, { displayName, password: formField(req.body, 'password') }, req.ip ?? null);
      }
      await startSession(req, reply, accepted.userId, sessions);
      await accounts.recordStaffSignin(accepted.userId, req.ip ?? null, 'invitation');
      // A role that must use two-step sign-in sets it up first, on the account page.
      const next = (await totpFor(deps).mustEnrol(accepted.userId, accepted.role)) ? '/account?invited=1' : '/newsroom';
      return reply.code(303).header('Cache-Control', PRIVATE).redirect(next);
    } catch (err) {
      const e = refusal(err);
      if (e instanceof InvalidInvitationError) return invalidLink(reply, e.message);
      const s = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof s === 'number') reply.header('Retry-After', String(s));
      const message = e.code === 'invalid_credentials' ? 'That is not the password of your account.' : e.message;
      return invitePage(reply, e.status, { title: `Join the ${config.siteName} newsroom`, intro: inviteIntro(inv), error: message, forms: [acceptForm(token, inv, displayName)] });
    }
  });
};
