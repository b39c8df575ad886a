import { redisClass } from '../redis.js';

/**
 * Carries cache purges to every app process. Alone, a process purges its own
 * cache; with Redis, each purge is published and every process (this one
 * included) applies it when the message arrives.
 */
export interface PurgeBus {
  publish(keys: string[]): Promise<void>;
  close(): Promise<void>;
}

export function localPurgeBus(apply: (keys: string[]) => void): PurgeBus {
  return {
    async publish(keys) {
      apply(keys);
    },
    async close() {},
  };
}


/**
 * `purgeShared` deletes the shared tier's copies (shared-page-store.ts) once per
 * purge, before any process drops its own: a process that missed after its local
 * purge could otherwise take the old copy from Redis again.
 */
export async function redisPurgeBus(
  url: string,
  apply: (keys: string[]) => void,
  onError: (err: unknown) => void,
  prefix = 'dispatch',
  purgeShared?: (keys: string[]) => Promise<void>,
): Promise<PurgeBus> {
  const CHANNEL = `${prefix}:purge`;
  const pub = new (redisClass())(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const sub = new (redisClass())(url, { lazyConnect: true });
  pub.on('error', onError);
  sub.on('error', onError);
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(CHANNEL);
  sub.on('message', (_channel, message) => {
    try {
      const keys = JSON.parse(message) as unknown;
      if (Array.isArray(keys)) apply(keys.filter((k): k is string => typeof k === 'string'));
    } catch (err) {
      onError(err);
    }
  });
  return {
    async publish(keys) {
      if (purgeShared) await purgeShared(keys).catch(onError);
      // Purge here at once too: the change must show in this process even if Redis is slow.
      apply(keys);
      await pub.publish(CHANNEL, JSON.stringify(keys));
    },
    async close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
