import { RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../platform/errors.js';
import type { RateLimiters } from '../platform/rate-limit.js';

/**
 * How much mail one address, and one client, can make the site send. The
 * counters live where the platform's rate limiters do (Redis when REDIS_URL
 * is set, so every app process counts together).
 */
export interface MailLimits {
  /** Sign-up confirmations (or "you already have an account" notes) to one address per window. */
  signupPerAddress: number;
  /** Password reset messages to one address per window. */
  resetPerAddress: number;
  /** Sign-up and reset requests from one client address per window, whatever addresses they name. */
  perClient: number;
  /** Staff invitations to one address per window. */
  invitationsPerAddress: number;
  windowSeconds: number;
}

export const DEFAULT_MAIL_LIMITS: MailLimits = {
  signupPerAddress: 3,
  resetPerAddress: 3,
  perClient: 30,
  invitationsPerAddress: 3,
  windowSeconds: 3600,
};

export class TooManyInvitationsError extends AppError {
  constructor(retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(429, 'too_many_invitations', `This address was sent too many invitations recently. Nothing was sent; try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`);
  }
}

export type AccountMail = 'signup' | 'reset';

export interface MailLimitLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MailLimit {
  /**
   * Whether a sign-up or reset message to `email`, asked for by `client`, may be
   * sent now (each call counts). The caller answers the same either way, so the
   * answer never tells whether an address has an account or was limited.
   */
  allowAccountMail(kind: AccountMail, email: string, client: string | undefined): Promise<boolean>;
  /** Counts an invitation to `email`; throws TooManyInvitationsError (429) over the limit. */
  takeInvitation(email: string): Promise<void>;
}

export function createMailLimit(limiters: RateLimiters, log: MailLimitLog, overrides: Partial<MailLimits> = {}): MailLimit {
  const limits = { ...DEFAULT_MAIL_LIMITS, ...overrides };
  const duration = limits.windowSeconds;
  const perAddress = {
    signup: limiters.create({ keyPrefix: 'mail-signup', points: limits.signupPerAddress, duration }),
    reset: limiters.create({ keyPrefix: 'mail-reset', points: limits.resetPerAddress, duration }),
  };
  const perClient = limiters.create({ keyPrefix: 'mail-client', points: limits.perClient, duration });
  const invitations = limiters.create({ keyPrefix: 'mail-invitation', points: limits.invitationsPerAddress, duration });

  /** Msecs until the key may send again (0: it may send now, and this one is counted). */
  async function take(limiter: typeof perClient, key: string): Promise<number> {
    try {
      await limiter.consume(key);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
      // The counter store is away (Redis down): mail still goes; the outage is logged.
      log.warn({ err: res, limiter: limiter.keyPrefix }, 'mail limit unavailable');
      return 0;
    }
  }

  return {
    async allowAccountMail(kind, email, client) {
      const address = email.trim().toLowerCase();
      if (client && (await take(perClient, client)) > 0) {
        log.info({ kind, client, limit: 'client' }, 'mail not sent: too many requests from this client');
        return false;
      }
      if ((await take(perAddress[kind], address)) > 0) {
        log.info({ kind, to: address, client, limit: 'address' }, 'mail not sent: too many messages to this address');
        return false;
      }
      return true;
    },

    async takeInvitation(email) {
      const address = email.trim().toLowerCase();
      const waitMs = await take(invitations, address);
      if (waitMs > 0) {
        log.info({ kind: 'invitation', to: address, limit: 'address' }, 'invitation not sent: too many to this address');
        throw new TooManyInvitationsError(Math.ceil(waitMs / 1000));
      }
    },
  };
}
