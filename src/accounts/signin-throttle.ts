import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../platform/errors.js';
import type { RateLimiters } from '../platform/rate-limit.js';

export class TooManyAttemptsError extends AppError {
  constructor(public readonly retryAfterSeconds: number) {
    super(429, 'too_many_attempts', `Too many sign-in attempts. Try again in ${humanDuration(retryAfterSeconds)}.`);
  }
}

function humanDuration(s: number): string {
  if (s < 90) return `${s} seconds`;
  if (s < 5400) return `${Math.round(s / 60)} minutes`;
  return `${Math.round(s / 3600)} hours`;
}

export interface ThrottleOptions {
  /** Failed tries allowed per account before it is blocked. */
  freeTriesPerAccount?: number;
  /** Failed tries allowed per client address in `windowSeconds`. */
  freeTriesPerAddress?: number;
  windowSeconds?: number;
  /** The first block; each further block doubles it, up to a day. */
  firstBlockSeconds?: number;
}

/**
 * Brute-force protection for sign-in, keyed by client address and by the
 * email tried (whether or not it has an account, so the answers do not tell).
 * A handful of free tries, then 429 with Retry-After and a block that doubles
 * each time it is hit again within a day.
 */
export function createSigninThrottle(limiters: RateLimiters, opts: ThrottleOptions = {}) {
  const window = opts.windowSeconds ?? 15 * 60;
  const firstBlock = opts.firstBlockSeconds ?? 60;
  const accountFails = limiters.create({ keyPrefix: 'signin-account', points: opts.freeTriesPerAccount ?? 5, duration: window });
  const addressFails = limiters.create({ keyPrefix: 'signin-address', points: opts.freeTriesPerAddress ?? 20, duration: window });
  const blocks = limiters.create({ keyPrefix: 'signin-blocks', points: 1_000_000, duration: 24 * 3600 });

  async function blockedFor(limiter: RateLimiterAbstract, key: string): Promise<number> {
    const res = await limiter.get(key);
    return res && res.remainingPoints <= 0 && res.consumedPoints > limiter.points ? Math.ceil(res.msBeforeNext / 1000) : 0;
  }

  async function fail(limiter: RateLimiterAbstract, key: string): Promise<number> {
    try {
      await limiter.consume(key);
      return 0;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const n = (await blocks.consume(`${limiter.keyPrefix}:${key}`)).consumedPoints;
      const seconds = Math.min(24 * 3600, firstBlock * 2 ** (n - 1));
      await limiter.block(key, seconds);
      return seconds;
    }
  }

  return {
    /** Throws 429 while the address or the account is blocked. */
    async check(address: string, email: string): Promise<void> {
      const wait = Math.max(await blockedFor(addressFails, address), await blockedFor(accountFails, email));
      if (wait > 0) throw new TooManyAttemptsError(wait);
    },
    /** Counts a failed try; throws 429 when it starts a block. */
    async failed(address: string, email: string): Promise<void> {
      const wait = Math.max(await fail(addressFails, address), await fail(accountFails, email));
      if (wait > 0) throw new TooManyAttemptsError(wait);
    },
    /** A successful sign-in forgets the account's failures. */
    async succeeded(email: string): Promise<void> {
      await accountFails.delete(email);
    },
  };
}

export type SigninThrottle = ReturnType<typeof createSigninThrottle>;
