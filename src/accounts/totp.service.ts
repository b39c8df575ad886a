/**
 * Staff second factor: TOTP (RFC 6238, via otplib) with one-time recovery codes.
 *
 * - Enrolment: setup() makes a secret (TOTP stays off); confirm(code) turns it
 *   on and returns 10 recovery codes, shown once and stored as SHA-256.
 * - Sign-in: after the password, an account with TOTP gets a pending token
 *   (5 minutes, stored hashed, not a session); completeSignin() trades it and a
 *   code (or a recovery code) for the user id. Each time step is accepted once
 *   per user; a recovery code is deleted when used. Wrong codes are limited per
 *   pending token and per account (429 with Retry-After).
 * - Recovery codes can be replaced with a new set (a current code from the app
 *   required): the old ones stop working in the same transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../platform/db/types.js';
import { AppError } from '../platform/errors.js';
import type { RateLimiters } from '../platform/rate-limit.js';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { readSetting, writeSetting } from '../content/settings.service.js';
import { audit } from '../audit/audit.service.js';
import { verifyPassword } from './password.js';
import { hashToken, newToken } from './session.js';
import { TooManyAttemptsError } from './signin-throttle.js';
import { totpStore } from './totp.store.js';
import { userStore } from './user.store.js';

export const PENDING_TTL_MS = 5 * 60_000;
export const RECOVERY_CODE_COUNT = 10;
export const STEP_SECONDS = 30;
/** Wrong codes allowed per pending token, and per account in WRONG_WINDOW_S. */
export const WRONG_CODES_ALLOWED = 5;
const WRONG_WINDOW_S = 15 * 60;
export const SECURITY_SETTING = 'security';
export const STAFF_ROLES: readonly Role[] = ['contributor', 'editor', 'admin'];

export interface SecuritySettings {
  requireTotpFor: Role[];
}

export class InvalidCodeError extends AppError {
  constructor() {
    super(401, 'invalid_code', 'That code is not right, or it has already been used.');
  }
}

export class PendingSigninError extends AppError {
  constructor() {
    super(401, 'signin_expired', 'This sign-in has expired or is not valid. Sign in again with your password.');
  }
}

export class TotpRequiredError extends AppError {
  constructor() {
    super(403, 'totp_required', 'Your role must use two-step sign-in before using the newsroom. Set up two-step sign-in on your account page: /account');
  }
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`dispatch-recovery:${normaliseRecoveryCode(code)}`).digest('hex');
}

export interface TotpDeps {
  db: Kysely<Database>;
  limiters: RateLimiters;
  now: () => Date;
  siteName: string;
}

export type TotpService = ReturnType<typeof createTotpService>;

export function createTotpService({ db, limiters, now, siteName }: TotpDeps) {
  const iso = () => now().toISOString();
  const perToken = limiters.create({ keyPrefix: 'totp-pending', points: WRONG_CODES_ALLOWED, duration: Math.ceil(PENDING_TTL_MS / 1000) });
  const perAccount = limiters.create({ keyPrefix: 'totp-account', points: WRONG_CODES_ALLOWED, duration: WRONG_WINDOW_S });

  async function blocked(keys: Array<[typeof perToken, string]>): Promise<void> {
    for (const [limiter, key] of keys) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= limiter.points) throw new TooManyAttemptsError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
    }
  }

  async function countWrong(keys: Array<[typeof perToken, string]>): Promise<void> {
    let wait = 0;
    for (const [limiter, key] of keys) {
      try {
        await limiter.consume(key);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        wait = Math.max(wait, Math.ceil(res.msBeforeNext / 1000));
      }
    }
    if (wait > 0) throw new TooManyAttemptsError(wait);
  }

  /** Checks a 6-digit code against the user's secret, once per time step. */
  async function checkTotp(userId: number, secret: string, code: string): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) return false;
    const at = now().getTime();
    const otp = authenticator.clone({ epoch: at, window: 1, step: STEP_SECONDS });
    const delta = otp.checkDelta(code, secret);
    if (delta === null) return false;
    const step = Math.floor(at / 1000 / STEP_SECONDS) + delta;
    return totpStore.useStep(db, userId, step);
  }

  /** A TOTP code, or a recovery code (deleted when used). */
  async function checkAnyCode(userId: number, secret: string, code: string): Promise<boolean> {
    const c = code.trim().replace(/\s+/g, '');
    if (/^\d{6}$/.test(c)) return checkTotp(userId, secret, c);
    if (normaliseRecoveryCode(c).length !== 10) return false;
    return totpStore.useRecoveryCode(db, userId, hashRecoveryCode(c));
  }

  async function enabledRow(userId: number) {
    const row = await totpStore.get(db, userId);
    return row?.enabled_at ? row : null;
  }

  return {
    /** The secret of a setup still waiting for its first code, or null (none started, or already on). */
    async pendingSetupSecret(userId: number): Promise<string | null> {
      const row = await totpStore.get(db, userId);
      return row && !row.enabled_at ? row.secret : null;
    },

    async isEnabled(userId: number): Promise<boolean> {
      return (await enabledRow(userId)) !== null;
    },

    async status(userId: number): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
      const enabled = await this.isEnabled(userId);
      return { enabled, recoveryCodesLeft: enabled ? await totpStore.countRecoveryCodes(db, userId) : 0 };
    },

    async settings(): Promise<SecuritySettings> {
      const s = await readSetting<Partial<SecuritySettings>>(db, SECURITY_SETTING);
      const roles = Array.isArray(s?.requireTotpFor) ? s.requireTotpFor.filter((r): r is Role => STAFF_ROLES.includes(r as Role)) : [];
      return { requireTotpFor: roles };
    },

    /** `by` is the admin making the change, for the audit log (written only when the roles change). */
    async setSettings(input: SecuritySettings, by: { userId: number; role: Role; ip: string | null }): Promise<SecuritySettings> {
      // In STAFF_ROLES order, so the same roles ticked in another order are the same setting.
      const requireTotpFor = STAFF_ROLES.filter((r) => input.requireTotpFor.includes(r));
      await db.transaction().execute(async (trx) => {
        const stored = await readSetting<Partial<SecuritySettings>>(trx, SECURITY_SETTING);
        const before = Array.isArray(stored?.requireTotpFor) ? stored.requireTotpFor.filter((r): r is Role => STAFF_ROLES.includes(r as Role)) : [];
        await writeSetting(trx, SECURITY_SETTING, { requireTotpFor });
        const same = before.length === requireTotpFor.length && before.every((r) => requireTotpFor.includes(r));
        if (!same) {
          await audit(trx, { ...by, tokenId: null }, now(), 'settings.security', `settings:${SECURITY_SETTING}`, { requireTotpFor: { from: before, to: requireTotpFor } });
        }
      });
      return { requireTotpFor };
    },

    /** True when this role must use TOTP and the user has not enrolled. */
    async mustEnrol(userId: number, role: Role): Promise<boolean> {
      if (!STAFF_ROLES.includes(role)) return false;
      const { requireTotpFor } = await this.settings();
      if (!requireTotpFor.includes(role)) return false;
      return !(await this.isEnabled(userId));
    },

    /** Starts enrolment: a new secret and its otpauth:// URI for the authenticator app. */
    async setup(user: { id: number; email: string; role: Role }): Promise<{ secret: string; otpauthUri: string }> {
      if (!STAFF_ROLES.includes(user.role)) throw new AppError(403, 'forbidden', 'Two-step sign-in is for staff accounts.');
      if (await this.isEnabled(user.id)) throw new AppError(409, 'conflict', 'Two-step sign-in is already on. Turn it off first to set up a new app.');
      const secret = authenticator.generateSecret(20);
      await totpStore.begin(db, user.id, secret, iso());
      return { secret, otpauthUri: authenticator.keyuri(user.email, siteName, secret) };
    },

    /** Confirms enrolment with a first code; returns the recovery codes (shown once). */
    async confirm(userId: number, code: string): Promise<{ recoveryCodes: string[] }> {
      const row = await totpStore.get(db, userId);
      if (!row) throw new AppError(400, 'totp_not_started', 'Start with POST /api/v1/me/totp/setup.');
      if (row.enabled_at) throw new AppError(409, 'conflict', 'Two-step sign-in is already on.');
      const key: Array<[typeof perToken, string]> = [[perAccount, String(userId)]];
      await blocked(key);
      if (!(await checkTotp(userId, row.secret, code.trim()))) {
        await countWrong(key);
        throw new InvalidCodeError();
      }
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await db.transaction().execute(async (trx) => {
        await totpStore.enable(trx, userId, iso());
        await totpStore.replaceRecoveryCodes(trx, userId, recoveryCodes.map(hashRecoveryCode), iso());
      });
      await perAccount.delete(String(userId));
      return { recoveryCodes };
    },

    /**
     * A new set of recovery codes, replacing every old one at once (those stop
     * working); returns them, shown once. Needs a current code from the app: a
     * recovery code may not mint more, or one leaked code would be as good as
     * the phone for ever.
     */
    async regenerateRecoveryCodes(userId: number, code: string): Promise<{ recoveryCodes: string[] }> {
      const row = await enabledRow(userId);
      if (!row) throw new AppError(400, 'totp_not_enabled', 'Two-step sign-in is not on.');
      const c = code.trim();
      if (!/^\d{6}$/.test(c)) throw new AppError(400, 'invalid_request', 'Enter the 6-digit code your authenticator app shows now (a recovery code cannot be used for this).');
      const key: Array<[typeof perToken, string]> = [[perAccount, String(userId)]];
      await blocked(key);
      if (!(await checkTotp(userId, row.secret, c))) {
        await countWrong(key);
        throw new InvalidCodeError();
      }
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await db.transaction().execute((trx) => totpStore.replaceRecoveryCodes(trx, userId, recoveryCodes.map(hashRecoveryCode), iso()));
      return { recoveryCodes };
    },

    /** Turns TOTP off; needs the password and a current code (or a recovery code). */
    async disable(userId: number, password: string, code: string): Promise<void> {
      const user = await userStore.byId(db, userId);
      const row = await enabledRow(userId);
      if (!row) throw new AppError(400, 'totp_not_enabled', 'Two-step sign-in is not on.');
      if (!user?.password_hash || !(await verifyPassword(user.password_hash, password)).ok) {
        throw new AppError(400, 'wrong_password', 'Your password is not right.');
      }
      const key: Array<[typeof perToken, string]> = [[perAccount, String(userId)]];
      await blocked(key);
      if (!(await checkAnyCode(userId, row.secret, code))) {
        await countWrong(key);
        throw new InvalidCodeError();
      }
      await totpStore.remove(db, userId);
    },

    /** After a right password: the token for the second step (only its hash is kept). */
    async startPending(userId: number): Promise<string> {
      const token = newToken();
      const at = now();
      await totpStore.insertPending(db, {
        token_hash: hashToken(token), user_id: userId, created_at: at.toISOString(), expires_at: new Date(at.getTime() + PENDING_TTL_MS).toISOString(),
      });
      return token;
    },

    /** Trades a pending token and a code for the user id (the caller starts the session). */
    async completeSignin(pendingToken: string, code: string): Promise<number> {
      const tokenHash = hashToken(pendingToken);
      const pending = await totpStore.findPending(db, tokenHash, iso());
      if (!pending) throw new PendingSigninError();
      const keys: Array<[typeof perToken, string]> = [[perToken, tokenHash], [perAccount, String(pending.user_id)]];
      await blocked(keys);
      const user = await userStore.byId(db, pending.user_id);
      const row = await enabledRow(pending.user_id);
      if (!user || user.status !== 'active' || !row) {
        await totpStore.deletePending(db, tokenHash);
        throw new PendingSigninError();
      }
      if (!(await checkAnyCode(user.id, row.secret, code))) {
        await countWrong(keys);
        throw new InvalidCodeError();
      }
      await totpStore.deletePending(db, tokenHash, iso());
      await perAccount.delete(String(user.id));
      return user.id;
    },
  };
}
