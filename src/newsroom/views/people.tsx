/**
 * The People screen (admins): accounts with their role and status, staff
 * invitations, and API tokens. Plain forms that POST and come back here, so
 * it all works without JavaScript; the people script only asks before
 * disabling or revoking and adds a copy button to a new token.
 */
import type { Role, UserStatus } from '../../platform/db/types.js';
import { RelTime, Pagination } from '../../web/components.js';
import type { InvitationRow } from '../invitation.store.js';

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
export const STAFF_ROLES: readonly Role[] = ['contributor', 'editor', 'admin'];
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

function Filters({ filter, total }: { filter: PeopleFilter; total: number }) {
  return (
    <form method="get" action="/newsroom/people" class="nr-form nr-inline people-filters" role="search" aria-label="Find people">
      <div class="nr-field">
        <label for="people-q">Name or email</label>
        <input id="people-q" type="search" name="q" value={filter.q ?? ''} maxLength={200} />
      </div>
      <div class="nr-field">
        <label for="people-role">Role</label>
        <select id="people-role" name="role">
          <option value="">Any role</option>
          <RoleOptions roles={ROLES} selected={filter.role} />
        </select>
      </div>
      <div class="nr-field">
        <label for="people-status">Status</label>
        <select id="people-status" name="status">
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option value={s} selected={s === filter.status}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="nr-field">
        <button type="submit" class="button">
          Filter
        </button>
      </div>
      {filter.q || filter.role || filter.status ? (
        <p class="people-filters__clear">
          <a href="/newsroom/people">Show everyone</a>
        </p>
      ) : null}
      <p class="people-filters__count" aria-live="polite">
        {total === 0 ? 'Nobody matches.' : `${total} ${total === 1 ? 'account' : 'accounts'}`}
      </p>
    </form>
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
          <form method="post" action={`/newsroom/people/${u.id}/enable`}>
            <input type="hidden" name="back" value={back} />
            <button type="submit" class="button button--small">
              Enable<span class="visually-hidden"> {u.display_name}</span>
            </button>
          </form>
        ) : (
          <form method="post" action={`/newsroom/people/${u.id}/disable`} data-confirm={`Disable ${u.display_name}? They are signed out everywhere at once and their API tokens stop working.`}>
            <input type="hidden" name="back" value={back} />
            <button type="submit" class="button button--small button--danger" aria-describedby="disable-note">
              Disable<span class="visually-hidden"> {u.display_name}</span>
            </button>
          </form>
        )}
      </td>
    </tr>
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
      <form method="post" action="/newsroom/people/invitations" class="nr-form nr-inline">
        <input type="hidden" name="back" value={back} />
        <div class="nr-field">
          <label for="invite-email">Email</label>
          <input id="invite-email" type="email" name="email" required maxLength={254} autocomplete="off" value={form?.inviteEmail ?? ''} />
        </div>
        <div class="nr-field">
          <label for="invite-role">Role</label>
          <select id="invite-role" name="role">
            <RoleOptions roles={STAFF_ROLES} selected={form?.inviteRole ?? 'contributor'} />
          </select>
        </div>
        <div class="nr-field">
          <button type="submit" class="button button--primary">
            Send invitation
          </button>
        </div>
      </form>
      <h3>Pending invitations</h3>
      {invitations.length === 0 ? (
        <p>None.</p>
      ) : (
        <table class="nr-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited by</th>
              <th scope="col">Sent</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
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
                  <form method="post" action={`/newsroom/people/invitations/${i.id}/revoke`} data-confirm={`Withdraw the invitation to ${i.email}? Its link stops working.`}>
                    <input type="hidden" name="back" value={back} />
                    <button type="submit" class="button button--small">
                      Revoke<span class="visually-hidden"> the invitation to {i.email}</span>
                    </button>
                  </form>
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
      <form method="post" action="/newsroom/people/tokens" class="nr-form nr-inline">
        <input type="hidden" name="back" value={back} />
        <div class="nr-field">
          <label for="token-name">Name</label>
          <input id="token-name" type="text" name="name" required maxLength={120} value={form?.tokenName ?? ''} aria-describedby="token-name-hint" />
          <span id="token-name-hint" class="people-hint">
            What uses it, e.g. “wire desk”
          </span>
        </div>
        <div class="nr-field">
          <label for="token-role">Role</label>
          <select id="token-role" name="role">
            <RoleOptions roles={STAFF_ROLES} selected={form?.tokenRole ?? 'contributor'} />
          </select>
        </div>
        <div class="nr-field">
          <button type="submit" class="button">
            Make a token
          </button>
        </div>
      </form>
      {tokens.length === 0 ? (
        <p>No tokens yet.</p>
      ) : (
        <table class="nr-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Made by</th>
              <th scope="col">Made</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">State</span>
              </th>
            </tr>
          </thead>
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
                    <form method="post" action={`/newsroom/people/tokens/${tk.id}/revoke`} data-confirm={`Revoke the token “${tk.name}”? Programs using it stop working at once.`}>
                      <input type="hidden" name="back" value={back} />
                      <button type="submit" class="button button--small button--danger">
                        Revoke<span class="visually-hidden"> the token {tk.name}</span>
                      </button>
                    </form>
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
            <thead>
              <tr>
                <th scope="col">Name and email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.items.map((u) => (
                <PersonEntry u={u} meId={meId} back={back} now={now} />
              ))}
            </tbody>
          </table>
        ) : null}
        <Pagination page={users.page} totalPages={users.totalPages} label="Pages of accounts" href={(n) => peopleUrl(filter, n)} words={{ prev: 'Previous', next: 'Next', what: 'accounts' }} />
      </section>
      {invitations ? <Invitations invitations={invitations} back={back} form={form} now={now} /> : null}
      {tokens ? <Tokens tokens={tokens} newToken={newToken ?? null} back={back} form={form} now={now} /> : null}
    </div>
  );
}
