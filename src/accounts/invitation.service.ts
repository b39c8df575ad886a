/**
 * Staff invitations by email. An admin invites an address to a staff role; the
 * invitee gets a one-time link (random, only its SHA-256 stored, valid for
 * INVITATION_DAYS) and, following it, either
 *
 * - sets a display name and a password (same rules as sign-up): a new, active
 *   account in the invited role, signed in at once; an unconfirmed sign-up
 *   with that address is finished the same way (the link proves the address);
 * - or, when the address already has an active reader account, accepts with
 *   that account's password: the account keeps its name, password, comments
 *   and favorites, and gets the invited role.
 *
 * An address that already has a staff account, or a disabled account, cannot
 * be invited: its role is changed on the People page instead. A new invitation
 * to an address replaces any pending one. Sending, accepting and revoking are
 * in the audit log.
 */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../platform/db/types.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { Mailer } from '../platform/mail.js';
import { hashPassword, passwordProblem } from './password.js';
import { hashToken, newToken } from './session.js';
import { authorize, can, isStaff } from './staff.policy.js';
import { invitationStore, type InvitationRow } from './invitation.store.js';
import { peopleStore } from './people.store.js';
import { audit } from '../audit/audit.service.js';
import type { Staff } from './staff.js';
import type { MailLimit } from './mail-limit.js';

export type { InvitationRow } from './invitation.store.js';

export const INVITATION_DAYS = 7;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{1,63}$/;

export class InvalidInvitationError extends AppError {
  constructor() {
    super(400, 'invalid_invitation', 'This invitation link has expired, has already been used, or was withdrawn. Ask an admin of the newsroom to invite you again.');
  }
}

/** What the invitee's page needs to know about a live link. */
export interface InvitationForInvitee {
  email: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: string;
  /** new: set a name and a password; reader: accept with the existing account's password. */
  account: 'new' | 'reader';
}

export interface InvitationDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  /** How many invitations one address may be sent. */
  mailLimit: MailLimit;
  now: () => Date;
  siteUrl: string;
  siteName: string;
}

export type InvitationService = ReturnType<typeof createInvitationService>;

const normaliseEmail = (email: string) => email.trim().toLowerCase();

const ROLE_NAMES: Record<Role, string> = { reader: 'reader', contributor: 'contributor', editor: 'editor', admin: 'admin' };

export function createInvitationService({ db, mailer, mailLimit, now, siteUrl, siteName }: InvitationDeps) {
  const iso = () => now().toISOString();

  /** Why this address cannot be invited (or accept) now, or null. */
  function accountProblem(user: { role: Role; status: string } | undefined): string | null {
    if (!user) return null;
    if (user.status === 'disabled') return 'That address belongs to a disabled account. Enable it on the People page and give it a role there.';
    if (user.role !== 'reader' && user.status === 'active') return `That address already has a staff account (${user.role}). Change its role on the People page instead.`;
    return null;
  }

  async function live(token: string): Promise<InvitationRow> {
    if (!token || token.length > 100) throw new InvalidInvitationError();
    const row = await invitationStore.byTokenHash(db, hashToken(token));
    if (!row || row.accepted_at || row.revoked_at || row.expires_at <= iso()) throw new InvalidInvitationError();
    return row;
  }

  return {
    /** Invites `email` to a staff role and emails the link. Returns the invitation. */
    async invite(staff: Staff, input: { email: string; role: Role }): Promise<InvitationRow> {
      authorize(can(staff, 'invitation.manage'));
      const email = normaliseEmail(input.email);
      if (!EMAIL_PATTERN.test(email) || email.length > 254) throw new ValidationError('Enter the email address to invite.');
      if (!isStaff(input.role)) throw new ValidationError('Invite to a staff role: contributor, editor or admin.');
      const existing = await peopleStore.byEmail(db, email);
      const problem = accountProblem(existing);
      if (problem) throw new ConflictError(problem);
      await mailLimit.takeInvitation(email);
      const token = newToken();
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const replaced = await invitationStore.revokePendingFor(trx, email, at.toISOString());
        const id = await invitationStore.insert(trx, {
          email, role: input.role, token_hash: hashToken(token), invited_by: staff.userId, created_at: at.toISOString(),
          expires_at: new Date(at.getTime() + INVITATION_DAYS * 24 * 3600_000).toISOString(),
        });
        await audit(trx, staff, at, 'invitation.send', `invitation:${id}`, { email, role: input.role, ...(replaced.length ? { replaced } : {}) });
        return id;
      });
      const invitation = (await invitationStore.byId(db, id))!;
      const from = invitation.invited_by_name ? `${invitation.invited_by_name} has invited you` : 'You are invited';
      const how = existing?.status === 'active'
        ? `You already have a ${siteName} account with this address: accept with its password, and it becomes your newsroom account.`
        : 'Choose a display name and a password to create your account.';
      try {
        await mailer.send({
          to: email,
          subject: `You are invited to the ${siteName} newsroom`,
          text:
            `${from} to join the ${siteName} newsroom as ${ROLE_NAMES[input.role]}.\n\n${how}\n${siteUrl}/invite?token=${token}\n\n` +
            `The link works once, for ${INVITATION_DAYS} days. If you did not expect this invitation, ignore this message and nothing will happen.`,
        });
      } catch (err) {
        // Nobody can use a link that never arrived: withdraw it, and say so.
        await invitationStore.revoke(db, id, iso());
        throw err;
      }
      return invitation;
    },

    async pending(staff: Staff): Promise<InvitationRow[]> {
      authorize(can(staff, 'invitation.manage'));
      return invitationStore.pending(db, iso());
    },

    async revoke(staff: Staff, id: number): Promise<void> {
      authorize(can(staff, 'invitation.manage'));
      await db.transaction().execute(async (trx) => {
        const row = await invitationStore.byId(trx, id);
        if (!row) throw new NotFoundError(`There is no invitation ${id}.`);
        if (row.accepted_at) throw new ConflictError('That invitation was already accepted; change the account on the People page.');
        if (!(await invitationStore.revoke(trx, id, iso()))) throw new ConflictError('That invitation was already withdrawn.');
        await audit(trx, staff, now(), 'invitation.revoke', `invitation:${id}`, { email: row.email, role: row.role });
      });
    },

    /** What the invitee's page shows; throws InvalidInvitationError for a used, expired or withdrawn link. */
    async forInvitee(token: string): Promise<InvitationForInvitee> {
      const row = await live(token);
      const user = await peopleStore.byEmail(db, row.email);
      if (accountProblem(user)) throw new InvalidInvitationError();
      return {
        email: row.email, role: row.role, invitedBy: row.invited_by_name, expiresAt: row.expires_at,
        account: user && user.status === 'active' ? 'reader' : 'new',
      };
    },

    /**
     * Accepts with a new account (or finishes an unconfirmed sign-up of the
     * address). The password is checked before the link is used, so a refused
     * password does not burn it. Returns the account's id; the caller signs it in.
     */
    async acceptNew(token: string, input: { displayName: string; password: string }, ip: string | null): Promise<{ userId: number; role: Role }> {
      const row = await live(token);
      const displayName = input.displayName.trim();
      if (!displayName) throw new ValidationError('Choose a display name.');
      if ([...displayName].length > 60) throw new ValidationError('Choose a display name of at most 60 characters.');
      const problem = passwordProblem(input.password, row.email);
      if (problem) throw new ValidationError(problem);
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (trx) => {
        const claimed = await invitationStore.claim(trx, hashToken(token), iso());
        if (!claimed) throw new InvalidInvitationError();
        const user = await peopleStore.byEmail(trx, claimed.email);
        if (user?.status === 'active') {
          throw new ConflictError('This address already has an account: accept the invitation with its password.');
        }
        if (accountProblem(user)) throw new InvalidInvitationError();
        let userId: number;
        if (user) {
          userId = user.id;
          await peopleStore.activateWith(trx, userId, { display_name: displayName, password_hash: passwordHash, role: claimed.role, updated_at: iso() });
        } else {
          userId = await peopleStore.insertActive(trx, { email: claimed.email, display_name: displayName, password_hash: passwordHash, role: claimed.role, now: iso() });
        }
        await invitationStore.setAcceptedUser(trx, claimed.id, userId);
        await audit(trx, { role: claimed.role, userId, tokenId: null, ip }, now(), 'invitation.accept', `user:${userId}`, {
          invitation: claimed.id, email: claimed.email, role: claimed.role, account: user ? 'finished sign-up' : 'new',
        });
        return { userId, role: claimed.role };
      });
    },

    /**
     * Accepts for an existing reader account whose password the caller has
     * just checked (accounts.signin, with its throttling): it gets the role.
     */
    async acceptExisting(token: string, userId: number, ip: string | null): Promise<{ userId: number; role: Role }> {
      return db.transaction().execute(async (trx) => {
        const claimed = await invitationStore.claim(trx, hashToken(token), iso());
        if (!claimed) throw new InvalidInvitationError();
        const user = await peopleStore.byId(trx, userId);
        if (!user || user.email !== claimed.email || user.status !== 'active' || user.role !== 'reader') throw new InvalidInvitationError();
        await peopleStore.update(trx, userId, { role: claimed.role, updated_at: iso() });
        await invitationStore.setAcceptedUser(trx, claimed.id, userId);
        await audit(trx, { role: claimed.role, userId, tokenId: null, ip }, now(), 'invitation.accept', `user:${userId}`, {
          invitation: claimed.id, email: claimed.email, role: { from: user.role, to: claimed.role }, account: 'existing',
        });
        return { userId, role: claimed.role };
      });
    },
  };
}
