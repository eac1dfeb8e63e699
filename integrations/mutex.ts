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
// Extends the key only if we still own it, for the same reason.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisMutexOptions {
  /** Key prefix of the locks. */
  prefix?: string;
  /** Names this process in the lock's value (host/pid), so an operator can tell whose lock a key is. */
  holder?: string;
  /** How long a waiter waits before giving up with an error (its job then retries); 4 TTLs if unset. */
  maxWaitMs?: number;
}

/**
 * Across processes, on Redis: SET NX PX with a random token, released by compare-and-delete. The holder
 * renews the lock every third of its TTL while `fn` runs, so the TTL need not cover the longest critical
 * section (a write retried after a 429) and only bounds how long a crashed holder blocks the others.
 */
export function redisMutex(redis: Redis, options: RedisMutexOptions | string = {}): Mutex {
  const opts = typeof options === 'string' ? { prefix: options } : options;
  const prefix = opts.prefix ?? 'kehila:lock';
  const local = localMutex();
  return {
    // Callers in this process queue locally first, so only one of them polls Redis at a time.
    withLock: (key, ttlMs, fn) =>
      local.withLock(key, ttlMs, async () => {
        const name = `${prefix}:${key}`;
        const token = opts.holder ? `${opts.holder}:${randomUUID()}` : randomUUID();
        const maxWait = opts.maxWaitMs ?? ttlMs * 4;
        const deadline = Date.now() + maxWait;
        let wait = 10;
        while ((await redis.set(name, token, 'PX', ttlMs, 'NX')) !== 'OK') {
          if (Date.now() > deadline) throw new Error(`lock ${key} not acquired in ${maxWait} ms`);
          await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
          wait = Math.min(wait * 2, 200);
        }
        const renewal = setInterval(
          () => void redis.eval(RENEW, 1, name, token, ttlMs).catch(() => {}),
          Math.max(50, Math.floor(ttlMs / 3)),
        );
        try {
          return await fn();
        } finally {
          clearInterval(renewal);
          await redis.eval(RELEASE, 1, name, token).catch(() => {});
        }
      }),
  };
}
