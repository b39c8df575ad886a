/**
 * The least time between two comments of one reader, kept by
 * rate-limiter-flexible through the platform's limiters: in this process's
 * memory alone, or in Redis when REDIS_URL is set, so the gap holds across
 * every app process (the platform makes the Redis client on first use and
 * closes it with the app). While Redis is unreachable an in-memory limiter
 * stands in, rather than refusing everyone.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimiters } from '../platform/rate-limit.js';

export interface GapLimiter {
  /** Takes the reader's turn; returns 0, or the milliseconds to wait when it is too soon. */
  take(userId: number, gapMs: number): Promise<number>;
  /** Gives the turn back (the comment was not saved after all). */
  release(userId: number): Promise<void>;
}

const KEY_PREFIX = 'comment-gap';

export function createGapLimiter(opts: { limiters?: RateLimiters | undefined; onError?: ((err: unknown) => void) | undefined } = {}): GapLimiter {
  let limiter: RateLimiterAbstract | null = null;
  let limiterGapMs = -1;

  function limiterFor(gapMs: number): RateLimiterAbstract {
    if (limiter && limiterGapMs === gapMs) return limiter;
    // Redis expiries are whole seconds.
    const duration = Math.max(1, Math.ceil(gapMs / 1000));
    const memory = new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points: 1, duration });
    limiter = opts.limiters ? opts.limiters.create({ keyPrefix: KEY_PREFIX, points: 1, duration, insuranceLimiter: memory }) : memory;
    limiterGapMs = gapMs;
    return limiter;
  }

  return {
    async take(userId, gapMs) {
      if (gapMs <= 0) return 0;
      try {
        await limiterFor(gapMs).consume(String(userId), 1);
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
        // The store failed without a stand-in: let the comment through rather than block everyone.
        opts.onError?.(err);
        return 0;
      }
    },
    async release(userId) {
      if (!limiter) return;
      try {
        await limiter.delete(String(userId));
      } catch (err) {
        opts.onError?.(err);
      }
    },
  };
}
