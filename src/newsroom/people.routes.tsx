/**
 * The newsroom's People screen (admins): accounts and their roles, staff
 * invitations and API tokens. Plain forms over the same services and
 * policies as the admin API: every POST checks the policy for its own
 * action, and answers with Post/Redirect/Get (except a new API token, whose
 * secret is shown once in the answer and never put in a URL).
 */
import { h } from 'preact';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { Role, UserStatus } from '../platform/db/types.js';
import { AppError, refusal } from '../platform/errors.js';
import { can, isStaff } from '../accounts/staff.policy.js';
import { INVITATION_DAYS } from '../accounts/invitation.service.js';
import { PeopleView, ROLES, type PeopleFilter, type PeopleViewProps } from './views/people.js';
import { seeOther, sendNewsroomPage, staffPage, type StaffPage } from './staff-page.js';
import { InvitationForm, PeopleButtonForm, RoleChangeForm, TokenForm } from './newsroom-forms.schemas.js';
import { Id } from '../platform/input.js';

const PAGE_SIZE = 50;

const IdParams = Type.Object({ id: Id });

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

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
const isStaffRole = (v: string): v is Role => isRole(v) && isStaff(v);

/** Where a form comes back to (its `back` field): the People page with its filter, nothing else. */
function backOf(back: string): string {
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

export const peoplePages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { people, invitations } = deps;

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
    req: FastifyRequest<{ Body: { back: string } }>,
    reply: FastifyReply,
    action: Parameters<typeof staffPage>[3],
    run: (page: StaffPage) => Promise<string | FastifyReply>,
    form?: PeopleViewProps['form'],
  ) {
    const page = await staffPage(deps, req, reply, action);
    if (!page) return reply;
    const back = backOf(req.body.back);
    try {
      const done = await run(page);
      return typeof done === 'string' ? seeOther(reply, back, done) : done;
    } catch (err) {
      const e = refusal(err);
      return renderPeople(reply, page, filterOf(back), { status: e.status, error: e.message, ...(form ? { form } : {}) });
    }
  }

  app.post('/newsroom/people/:id/role', { schema: { params: IdParams, body: RoleChangeForm } }, async (req, reply) =>
    peopleAction(req, reply, 'user.manage', async ({ staff }) => {
      const { role } = req.body;
      if (!isRole(role)) throw new AppError(400, 'invalid_request', 'Choose one of the roles: reader, contributor, editor or admin.');
      await people.updateUser(staff, req.params.id, { role });
      return `role-${req.params.id}`;
    }),
  );

  for (const [suffix, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/newsroom/people/:id/${suffix}`, { schema: { params: IdParams, body: PeopleButtonForm } }, async (req, reply) =>
      peopleAction(req, reply, 'user.manage', async ({ staff }) => {
        await people.updateUser(staff, req.params.id, { disabled });
        return `${suffix}-${req.params.id}`;
      }),
    );
  }

  app.post('/newsroom/people/invitations', { schema: { body: InvitationForm } }, async (req, reply) => {
    const email = req.body.email.trim().slice(0, 254);
    const { role } = req.body;
    return peopleAction(req, reply, 'invitation.manage', async ({ staff }) => {
      if (!isStaffRole(role)) throw new AppError(400, 'invalid_request', 'Invite to a staff role: contributor, editor or admin.');
      const invitation = await invitations.invite(staff, { email, role });
      return `invite-${invitation.id}`;
    }, { inviteEmail: email, ...(isRole(role) ? { inviteRole: role } : {}) });
  });

  app.post('/newsroom/people/invitations/:id/revoke', { schema: { params: IdParams, body: PeopleButtonForm } }, async (req, reply) =>
    peopleAction(req, reply, 'invitation.manage', async ({ staff }) => {
      await invitations.revoke(staff, req.params.id);
      return `unvite-${req.params.id}`;
    }),
  );

  // The secret is in this answer only: not in a redirect, not in a URL, never cached.
  app.post('/newsroom/people/tokens', { schema: { body: TokenForm } }, async (req, reply) => {
    const name = req.body.name.trim().slice(0, 120);
    const { role } = req.body;
    return peopleAction(req, reply, 'token.manage', async (page) => {
      if (!isStaffRole(role)) throw new AppError(400, 'invalid_request', 'A token acts for staff: choose contributor, editor or admin.');
      const { token, secret } = await people.createToken(page.staff, { name, role });
      return renderPeople(reply, page, filterOf(backOf(req.body.back)), { status: 201, notice: `Token “${token.name}” made.`, newToken: { name: token.name, secret } });
    }, { tokenName: name, ...(isRole(role) ? { tokenRole: role } : {}) });
  });

  app.post('/newsroom/people/tokens/:id/revoke', { schema: { params: IdParams, body: PeopleButtonForm } }, async (req, reply) =>
    peopleAction(req, reply, 'token.manage', async ({ staff }) => {
      await people.revokeToken(staff, req.params.id);
      return `untoken-${req.params.id}`;
    }),
  );
};
