import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../platform/db/types.js';
import { AppError, ConflictError, ValidationError } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import type { Mailer } from '../platform/mail.js';
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from './password.js';
import { hashToken, newToken } from './session.js';
import { sessionStore } from './session.store.js';
import { tokenStore } from './email-token.store.js';
import { userStore } from './user.store.js';
import type { MailLimit } from './mail-limit.js';
import type { SigninThrottle } from './signin-throttle.js';
import { audit } from '../audit/audit.service.js';

export const SIGNUP_LINK_HOURS = 24;
export const RESET_LINK_MINUTES = 60;

export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'That email and password do not match an account.');
  }
}

export class InvalidLinkError extends AppError {
  constructor() {
    super(400, 'invalid_link', 'This link has expired or has already been used. Ask for a new one.');
  }
}

export interface AccountsDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  /** `account.deleted` runs in the deleting transaction: the comments domain anonymises the account's comments there. */
  events: EventBus;
  throttle: SigninThrottle;
  /** How much sign-up and reset mail an address and a client may cause. */
  mailLimit: MailLimit;
  now: () => Date;
  siteUrl: string;
  siteName: string;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkNewPassword(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new ValidationError(problem);
}

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: AccountsDeps) {
  const { db, mailer, events, throttle, mailLimit, now, siteUrl, siteName } = deps;
  const iso = () => now().toISOString();
  const later = (ms: number) => new Date(now().getTime() + ms).toISOString();

  async function issueLink(userId: number, purpose: 'signup' | 'reset', ttlMs: number): Promise<string> {
    const token = newToken();
    await tokenStore.issue(db, { token_hash: hashToken(token), user_id: userId, purpose, created_at: iso(), expires_at: later(ttlMs) });
    return token;
  }

  return {
    /** One account as its owner sees it, or null. */
    async userById(userId: number) {
      return (await userStore.byId(db, userId)) ?? null;
    },

    /**
     * Sign-up answers the same whether or not the address has an account: the
     * account becomes active when its owner follows the emailed link, and the
     * owner of an existing account is told about the attempt instead.
     */
    async signup(input: { email: string; displayName: string; password: string }, client?: string): Promise<void> {
      const email = normaliseEmail(input.email);
      const displayName = input.displayName.trim();
      if (!displayName) throw new ValidationError('Choose a display name.');
      checkNewPassword(input.password, email);
      const passwordHash = await hashPassword(input.password);
      // Over the mail limit, the answer is the one a sent message gets (after the same work); nothing is written or sent.
      if (!(await mailLimit.allowAccountMail('signup', email, client))) return;
      const existing = await userStore.byEmail(db, email);
      if (existing && existing.status !== 'pending') {
        await mailer.send({
          to: email,
          subject: `Someone tried to sign up to ${siteName} with your address`,
          text: `Someone (perhaps you) tried to create a ${siteName} account with this email address, which already has one.\n\nTo sign in: ${siteUrl}/signin\nForgot your password? ${siteUrl}/reset\n\nIf it was not you, you can ignore this message.`,
        });
        return;
      }
      let userId: number;
      if (existing) {
        // A pending sign-up tried again: the newest details (and only the newest link) count.
        userId = existing.id;
        await userStore.update(db, userId, { display_name: displayName, password_hash: passwordHash, updated_at: iso() });
      } else {
        userId = await userStore.insert(db, { email, display_name: displayName, password_hash: passwordHash, role: 'reader', status: 'pending', now: iso() });
      }
      const token = await issueLink(userId, 'signup', SIGNUP_LINK_HOURS * 3600_000);
      await mailer.send({
        to: email,
        subject: `Confirm your ${siteName} account`,
        text: `Welcome to ${siteName}, ${displayName}.\n\nConfirm your email address to finish creating your account:\n${siteUrl}/signup/confirm?token=${token}\n\nThe link works once, for ${SIGNUP_LINK_HOURS} hours. If you did not sign up, ignore this message and nothing will happen.`,
      });
    },

    /** Activates the account the link was sent for; returns its id. */
    async confirmSignup(token: string): Promise<number> {
      const userId = await tokenStore.use(db, hashToken(token), 'signup', iso());
      if (!userId) throw new InvalidLinkError();
      const user = await userStore.byId(db, userId);
      if (!user || user.status === 'disabled') throw new InvalidLinkError();
      if (user.status === 'pending') await userStore.update(db, userId, { status: 'active', updated_at: iso() });
      return userId;
    },

    /** Checks the credentials; returns the user id. Every failure answers alike. */
    async signin(input: { email: string; password: string; address: string }): Promise<number> {
      const email = normaliseEmail(input.email);
      await throttle.check(input.address, email);
      const user = await userStore.byEmail(db, email);
      if (!user?.password_hash) {
        await verifyAgainstNothing(input.password);
        await throttle.failed(input.address, email);
        throw new InvalidCredentialsError();
      }
      const { ok, needsRehash } = await verifyPassword(user.password_hash, input.password);
      if (!ok || user.status !== 'active') {
        await throttle.failed(input.address, email);
        // Failed tries at staff accounts go to the audit log (readers' do not: too many, too little to learn).
        if (user.role !== 'reader') {
          await audit(db, { role: user.role, userId: null, tokenId: null, ip: input.address || null }, now(), 'auth.signin_failed', `user:${user.id}`, {
            reason: ok ? `account ${user.status}` : 'wrong password',
          });
        }
        throw new InvalidCredentialsError();
      }
      await throttle.succeeded(email);
      if (needsRehash) await userStore.update(db, user.id, { password_hash: await hashPassword(input.password), updated_at: iso() });
      return user.id;
    },

    /**
     * Records a completed staff sign-in (after the second step, when there is
     * one) in the audit log, with the address it came from. Readers' sign-ins
     * are not recorded: one primary-key read, then nothing.
     */
    async recordStaffSignin(userId: number, address: string | null, method: 'password' | 'password+totp' | 'invitation'): Promise<void> {
      const user = await userStore.byId(db, userId);
      if (!user || user.role === 'reader') return;
      await audit(db, { role: user.role, userId, tokenId: null, ip: address || null }, now(), 'auth.signin', `user:${userId}`, { method });
    },

    /** Sends a reset link when the address has an active account; answers alike either way. */
    async requestReset(emailInput: string, client?: string): Promise<void> {
      const email = normaliseEmail(emailInput);
      // Counted whether or not the address has an account, so the limit tells nothing either.
      if (!(await mailLimit.allowAccountMail('reset', email, client))) {
        await hashPassword(randomBytes(16).toString('hex'));
        return;
      }
      const user = await userStore.byEmail(db, email);
      if (!user || user.status !== 'active') {
        // Spend about the time the real path spends, so timing does not tell.
        await hashPassword(randomBytes(16).toString('hex'));
        return;
      }
      const token = await issueLink(user.id, 'reset', RESET_LINK_MINUTES * 60_000);
      await hashPassword(randomBytes(16).toString('hex'));
      await mailer.send({
        to: email,
        subject: `Reset your ${siteName} password`,
        text: `Someone (we hope you) asked to reset the password of your ${siteName} account.\n\nChoose a new password here:\n${siteUrl}/reset/confirm?token=${token}\n\nThe link works once, for ${RESET_LINK_MINUTES} minutes. If you did not ask, ignore this message; your password stays as it is.`,
      });
    },

    /** Sets a new password from a reset link; ends every session of the account. */
    async confirmReset(token: string, password: string): Promise<number> {
      const tokenHash = hashToken(token);
      // Check the password before using up the link, so a refused password does not burn it.
      const pending = await db.selectFrom('email_tokens').innerJoin('users', 'users.id', 'email_tokens.user_id').select(['users.email']).where('token_hash', '=', tokenHash).executeTakeFirst();
      checkNewPassword(password, pending?.email);
      const passwordHash = await hashPassword(password);
      return db.transaction().execute(async (trx) => {
        const userId = await tokenStore.use(trx, tokenHash, 'reset', iso());
        if (!userId) throw new InvalidLinkError();
        await userStore.update(trx, userId, { password_hash: passwordHash, updated_at: iso() });
        await sessionStore.deleteForUser(trx, userId);
        return userId;
      });
    },

    /** Changes the password; every other session of the account ends. */
    async changePassword(userId: number, current: string, next: string, keepSessionHash: string): Promise<void> {
      const user = await userStore.byId(db, userId);
      if (!user?.password_hash || !(await verifyPassword(user.password_hash, current)).ok) {
        throw new AppError(400, 'wrong_password', 'Your current password is not right.');
      }
      checkNewPassword(next, user.email);
      const passwordHash = await hashPassword(next);
      await db.transaction().execute(async (trx) => {
        await userStore.update(trx, userId, { password_hash: passwordHash, updated_at: iso() });
        await sessionStore.deleteForUser(trx, userId, keepSessionHash);
      });
    },

    async updateProfile(userId: number, input: { displayName: string }): Promise<void> {
      const displayName = input.displayName.trim();
      if (!displayName) throw new ValidationError('Choose a display name.');
      await userStore.update(db, userId, { display_name: displayName, updated_at: iso() });
    },

    /**
     * Deletes the account and the reader's data: sessions, favorites, links,
     * and the text of their comments (a deleted comment with replies stays as
     * "deleted" so the discussion keeps its shape).
     */
    async deleteAccount(userId: number, password: string): Promise<void> {
      const user = await userStore.byId(db, userId);
      if (!user?.password_hash || !(await verifyPassword(user.password_hash, password)).ok) {
        throw new AppError(400, 'wrong_password', 'Your password is not right; your account was not deleted.');
      }
      const afterCommit: Array<() => Promise<void>> = [];
      await db.transaction().execute(async (trx) => {
        await events.emitInTransaction('account.deleted', { userId, trx, afterCommit: (task) => void afterCommit.push(task) });
        await userStore.delete(trx, userId);
      });
      for (const task of afterCommit) await task();
    },

    /** For `dispatch users add`: an active account, with a generated password when none is given. */
    async createUser(input: { email: string; role: Role; displayName?: string; password?: string }): Promise<{ id: number; password: string; generated: boolean }> {
      const email = normaliseEmail(input.email);
      if (await userStore.byEmail(db, email)) throw new ConflictError(`There is already an account for ${email}.`);
      const generated = !input.password;
      const password = input.password ?? randomBytes(18).toString('base64url');
      checkNewPassword(password, email);
      const id = await userStore.insert(db, {
        email, display_name: input.displayName?.trim() || email.split('@')[0]!, password_hash: await hashPassword(password),
        role: input.role, status: 'active', now: iso(),
      });
      return { id, password, generated };
    },
  };
}
