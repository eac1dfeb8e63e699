import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Runs `fn` while holding the lock named `key`; other holders of the same key wait their turn. */
export interface Mutex {
  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
}

/** One process only: a promise chain per key. */
export function localMutex(): Mutex {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async withLock(key, _ttl, fn) {
      const previous = tails.get(key) ?? Promise.resolve();
      const run = previous.catch(() => {}).then(fn);
      tails.set(key, run);
      try {
        return await run;
      } finally {
        if (tails.get(key) === run) tails.delete(key);
      }
    },
  };
}

// Deletes the key only if we still own it: a holder whose lock expired must not free someone else's.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Across processes, on Redis: SET NX PX with a random token, released by compare-and-delete. The TTL
 * bounds how long a crashed holder blocks others; keep it above the longest critical section.
 */
export function redisMutex(redis: Redis, prefix = 'kehila:lock'): Mutex {
  const local = localMutex();
  return {
    // Callers in this process queue locally first, so only one of them polls Redis at a time.
    withLock: (key, ttlMs, fn) =>
      local.withLock(key, ttlMs, async () => {
        const name = `${prefix}:${key}`;
        const token = randomUUID();
        const deadline = Date.now() + ttlMs * 4;
        let wait = 10;
        while ((await redis.set(name, token, 'PX', ttlMs, 'NX')) !== 'OK') {
          if (Date.now() > deadline) throw new Error(`lock ${key} not acquired in ${ttlMs * 4} ms`);
          await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
          wait = Math.min(wait * 2, 200);
        }
        try {
          return await fn();
        } finally {
          await redis.eval(RELEASE, 1, name, token).catch(() => {});
        }
      }),
  };
}
