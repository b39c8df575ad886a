import type { Redis } from 'ioredis';
import { redisClass } from './redis.js';
import { RateLimiterMemory, RateLimiterRedis, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Makes rate limiters (rate-limiter-flexible): in this process's memory by
 * default, in Redis when REDIS_URL is set so every app process shares the
 * counters.
 */
export interface RateLimiters {
  create(opts: IRateLimiterOptions & { keyPrefix: string }): RateLimiterAbstract;
  close(): Promise<void>;
}

export function createRateLimiters(redisUrl: string | undefined, onError: (err: unknown) => void = () => {}, prefix = 'dispatch'): RateLimiters {
  let client: Redis | undefined;
  return {
    create(opts) {
      if (!redisUrl) return new RateLimiterMemory(opts);
      if (!client) {
        client = new (redisClass())(redisUrl, { enableOfflineQueue: true, maxRetriesPerRequest: 2 });
        client.on('error', (err) => onError(err));
      }
      return new RateLimiterRedis({ ...opts, storeClient: client, keyPrefix: `${prefix}:${opts.keyPrefix}` });
    },
    async close() {
      client?.disconnect();
    },
  };
}
