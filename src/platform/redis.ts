/**
 * ioredis, loaded when a Redis client is first made (REDIS_URL is set), not at
 * start: it is about 20 MB of resident memory that a single process without
 * Redis never uses. Required as CommonJS so callers stay synchronous.
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

const require = createRequire(import.meta.url);

export function redisClass(): typeof Redis {
  return (require('ioredis') as typeof import('ioredis')).Redis;
}
