/**
 * The People screen (admins): accounts with their role and status, staff
 * invitations, and API tokens. Plain forms that POST and come back here, so
 * it all works without JavaScript; the newsroom script only asks before
 * disabling or revoking and adds a copy button to a new token.
 */
import type { ComponentChildren } from 'preact';
import type { Role, UserStatus } from '../../platform/db/types.js';
import { RelTime } from '../../web/components.js';
import type { InvitationRow } from '../../accounts/invitation.service.js';
import { STAFF_ROLES } from '../../accounts/staff.policy.js';
import { FilterForm, LabeledSelect, Pager, PostButton, SearchField, SubmitField, TableHead, type Option } from './controls.js';

export interface PeopleFilter {
  role?: Role | undefined;
  status?: UserStatus | undefined;
  q?: string | undefined;
}

export interface PersonRow {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  status: UserStatus;
  created_at: string;
}

export interface TokenRow {
  id: number;
  name: string;
  role: Role;
  created_by: number | null;
  created_by_name: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PeopleViewProps {
  /** The admin looking: they cannot change their own account here. */
  meId: number;
  filter: PeopleFilter;
  users: { items: PersonRow[]; page: number; totalPages: number; total: number };
  /** Pending invitations; null when the viewer may not manage them. */
  invitations: InvitationRow[] | null;
  /** API tokens; null when the viewer may not manage them. */
  tokens: TokenRow[] | null;
  /** A token just made: its secret, shown this once. */
  newToken?: { name: string; secret: string } | null;
  /** What to put back in the forms after a refused action. */
  form?: { inviteEmail?: string; inviteRole?: Role; tokenName?: string; tokenRole?: Role };
  now: Date;
}

export const ROLES: readonly Role[] = ['reader', 'contributor', 'editor', 'admin'];
const STATUSES: readonly UserStatus[] = ['active', 'pending', 'disabled'];

const ROLE_LABELS: Record<Role, string> = { reader: 'Reader', contributor: 'Contributor', editor: 'Editor', admin: 'Admin' };
const STATUS_LABELS: Record<UserStatus, string> = { active: 'Active', pending: 'Not confirmed', disabled: 'Disabled' };

/** The People page's address for a filter and page (no notice). */
export function peopleUrl(filter: PeopleFilter, page = 1): string {
  const q = new URLSearchParams();
  if (filter.role) q.set('role', filter.role);
  if (filter.status) q.set('status', filter.status);
  if (filter.q) q.set('q', filter.q);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/newsroom/people?${s}` : '/newsroom/people';
}

const roleChoices = (roles: readonly Role[]): Option[] => roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const STATUS_OPTIONS: Option[] = STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

function Filters({ filter, total }: { filter: PeopleFilter; total: number }) {
  return (
    <FilterForm
      action="/newsroom/people"
      class="people-filters"
      label="Find people"
      submit="Filter"
      clear={filter.q || filter.role || filter.status ? { text: 'Show everyone', class: 'people-filters__clear' } : null}
      footer={
        <p class="people-filters__count" aria-live="polite">
          {total === 0 ? 'Nobody matches.' : `${total} ${total === 1 ? 'account' : 'accounts'}`}
        </p>
      }
    >
      <SearchField id="people-q" label="Name or email" value={filter.q ?? ''} />
      <LabeledSelect id="people-role" name="role" label="Role" value={filter.role} options={[{ value: '', label: 'Any role' }, ...roleChoices(ROLES)]} />
      <LabeledSelect id="people-status" name="status" label="Status" value={filter.status} options={[{ value: '', label: 'Any status' }, ...STATUS_OPTIONS]} />
    </FilterForm>
  );
}

/** The role choices of a select, `selected` chosen. */
function RoleOptions({ roles, selected }: { roles: readonly Role[]; selected: Role | undefined }) {
  return (
    <>
      {roles.map((r) => (
        <option value={r} selected={r === selected}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </>
  );
}

function PersonEntry({ u, meId, back, now }: { u: PersonRow; meId: number; back: string; now: Date }) {
  const self = u.id === meId;
  return (
    <tr id={`person-${u.id}`} data-user-id={String(u.id)}>
      <td>
        <strong>{u.display_name}</strong>
        {self ? <span class="nr-badge people-you">You</span> : null}
        <br />
        <a href={`mailto:${u.email}`} class="people-email">
          {u.email}
        </a>
      </td>
      <td>
        {self ? (
          ROLE_LABELS[u.role]
        ) : (
          <form method="post" action={`/newsroom/people/${u.id}/role`} class="nr-form nr-inline people-role">
            <input type="hidden" name="back" value={back} />
            <label class="visually-hidden" for={`role-${u.id}`}>
              Role of {u.display_name}
            </label>
            <select id={`role-${u.id}`} name="role">
              <RoleOptions roles={ROLES} selected={u.role} />
            </select>
            <button type="submit" class="button button--small">
              Save
            </button>
          </form>
        )}
      </td>
      <td>
        <span class={`nr-badge people-status people-status--${u.status}`}>{STATUS_LABELS[u.status]}</span>
      </td>
      <td>
        <RelTime iso={u.created_at} now={now} />
      </td>
      <td>
        {self ? null : u.status === 'disabled' ? (
          <PostButton action={`/newsroom/people/${u.id}/enable`} fields={{ back }} label="Enable" what={u.display_name} small />
        ) : (
          <PostButton
            action={`/newsroom/people/${u.id}/disable`}
            fields={{ back }}
            label="Disable"
            what={u.display_name}
            small
            danger
            describedBy="disable-note"
            confirm={`Disable ${u.display_name}? They are signed out everywhere at once and their API tokens stop working.`}
          />
        )}
      </td>
    </tr>
  );
}

/** The form that sends an invitation or makes a token: its own fields, then a staff role and the button. */
function StaffRoleForm({ action, back, idPrefix, role, submit, submitClass, children }: {
  action: string;
  back: string;
  idPrefix: string;
  role: Role | undefined;
  submit: string;
  submitClass: string;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={action} class="nr-form nr-inline">
      <input type="hidden" name="back" value={back} />
      {children}
      <LabeledSelect id={`${idPrefix}-role`} name="role" label="Role" value={role ?? 'contributor'} options={roleChoices(STAFF_ROLES)} />
      <SubmitField label={submit} class={submitClass} />
    </form>
  );
}

function Invitations({ invitations, back, form, now }: { invitations: InvitationRow[]; back: string; form: PeopleViewProps['form']; now: Date }) {
  return (
    <section class="nr-panel people-invitations" id="invitations" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invite staff</h2>
      <p class="people-note">
        We email a link that works once, for 7 days. The invitee chooses a display name and a password (or, if the address already has a reader account,
        accepts with its password) and is signed in with the role you choose.
      </p>
      <StaffRoleForm action="/newsroom/people/invitations" back={back} idPrefix="invite" role={form?.inviteRole} submit="Send invitation" submitClass="button button--primary">
        <div class="nr-field">
          <label for="invite-email">Email</label>
          <input id="invite-email" type="email" name="email" required maxLength={254} autocomplete="off" value={form?.inviteEmail ?? ''} />
        </div>
      </StaffRoleForm>
      <h3>Pending invitations</h3>
      {invitations.length === 0 ? (
        <p>None.</p>
      ) : (
        <table class="nr-table">
          <TableHead columns={['Email', 'Role', 'Invited by', 'Sent', 'Expires']} actions="Actions" />
          <tbody>
            {invitations.map((i) => (
              <tr id={`invitation-${i.id}`}>
                <td>{i.email}</td>
                <td>{ROLE_LABELS[i.role]}</td>
                <td>{i.invited_by_name ?? '—'}</td>
                <td>
                  <RelTime iso={i.created_at} now={now} />
                </td>
                <td>
                  <RelTime iso={i.expires_at} now={now} />
                </td>
                <td>
                  <PostButton
                    action={`/newsroom/people/invitations/${i.id}/revoke`}
                    fields={{ back }}
                    label="Revoke"
                    what={`the invitation to ${i.email}`}
                    small
                    confirm={`Withdraw the invitation to ${i.email}? Its link stops working.`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Tokens({ tokens, newToken, back, form, now }: { tokens: TokenRow[]; newToken: PeopleViewProps['newToken']; back: string; form: PeopleViewProps['form']; now: Date }) {
  return (
    <section class="nr-panel people-tokens" id="tokens" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p class="people-note">
        A token lets a program use the Admin API (<code>Authorization: Bearer …</code>). It acts for you, with at most your rights, and stops working if
        your account is disabled.
      </p>
      {newToken ? (
        <div class="people-secret" role="status">
          <p>
            <strong>Token “{newToken.name}” is ready.</strong> Copy it now: it is not shown again (only its hash is kept).
          </p>
          <p>
            <code id="new-token-secret" class="people-secret__value" data-copy-source="">
              {newToken.secret}
            </code>
          </p>
        </div>
      ) : null}
      <StaffRoleForm action="/newsroom/people/tokens" back={back} idPrefix="token" role={form?.tokenRole} submit="Make a token" submitClass="button">
        <div class="nr-field">
          <label for="token-name">Name</label>
          <input id="token-name" type="text" name="name" required maxLength={120} value={form?.tokenName ?? ''} aria-describedby="token-name-hint" />
          <span id="token-name-hint" class="people-hint">
            What uses it, e.g. “wire desk”
          </span>
        </div>
      </StaffRoleForm>
      {tokens.length === 0 ? (
        <p>No tokens yet.</p>
      ) : (
        <table class="nr-table">
          <TableHead columns={['Name', 'Role', 'Made by', 'Made', 'Last used']} actions="State" />
          <tbody>
            {tokens.map((tk) => (
              <tr id={`token-${tk.id}`} class={tk.revoked_at ? 'people-token--revoked' : undefined}>
                <td>{tk.name}</td>
                <td>{ROLE_LABELS[tk.role]}</td>
                <td>{tk.created_by_name ?? (tk.created_by === null ? 'Command line' : '—')}</td>
                <td>
                  <RelTime iso={tk.created_at} now={now} />
                </td>
                <td>{tk.last_used_at ? <RelTime iso={tk.last_used_at} now={now} /> : 'Never'}</td>
                <td>
                  {tk.revoked_at ? (
                    <span>
                      Revoked <RelTime iso={tk.revoked_at} now={now} />
                    </span>
                  ) : (
                    <PostButton
                      action={`/newsroom/people/tokens/${tk.id}/revoke`}
                      fields={{ back }}
                      label="Revoke"
                      what={`the token ${tk.name}`}
                      small
                      danger
                      confirm={`Revoke the token “${tk.name}”? Programs using it stop working at once.`}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PeopleView({ meId, filter, users, invitations, tokens, newToken, form, now }: PeopleViewProps) {
  const back = peopleUrl(filter, users.page);
  return (
    <div class="people">
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading" class="visually-hidden">
          Accounts
        </h2>
        <Filters filter={filter} total={users.total} />
        <p class="people-note" id="disable-note">
          Disabling an account signs it out everywhere at once and revokes its API tokens; it cannot sign in until enabled again. A role change applies
          at the account’s next request.
        </p>
        {users.items.length ? (
          <table class="nr-table people-table">
            <TableHead columns={['Name and email', 'Role', 'Status', 'Joined']} actions="Actions" />
            <tbody>
              {users.items.map((u) => (
                <PersonEntry u={u} meId={meId} back={back} now={now} />
              ))}
            </tbody>
          </table>
        ) : null}
        <Pager page={users.page} totalPages={users.totalPages} what="accounts" href={(n) => peopleUrl(filter, n)} />
      </section>
      {invitations ? <Invitations invitations={invitations} back={back} form={form} now={now} /> : null}
      {tokens ? <Tokens tokens={tokens} newToken={newToken ?? null} back={back} form={form} now={now} /> : null}
    </div>
  );
}
