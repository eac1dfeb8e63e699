import { Redis, type RedisOptions } from 'ioredis';

export interface RedisTarget {
  url?: string;
  /** A unix socket path (the private redis-server started for a fresh machine). */
  path?: string;
}

// BullMQ is exercised on RESP2 everywhere; ioredis 6 would speak RESP3 unless told otherwise.
const base: RedisOptions = { protocol: 2, lazyConnect: false };

function make(target: RedisTarget, options: RedisOptions): Redis {
  if (target.path) return new Redis({ ...base, ...options, path: target.path });
  return new Redis(target.url ?? 'redis://127.0.0.1:6379', { ...base, ...options });
}

/** For workers: blocking commands must wait out a Redis restart rather than fail. */
export function workerConnection(target: RedisTarget): Redis {
  return make(target, { maxRetriesPerRequest: null });
}

/**
 * For producers: fail fast when Redis is away. The database already holds the intent (the outbox), so a
 * failed add only delays the job until the relay or the reconciler tries again.
 */
export function producerConnection(target: RedisTarget, options: RedisOptions = {}): Redis {
  return make(target, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    ...options,
  });
}

/** Redis must not evict queue keys; anything else loses jobs silently under memory pressure. */
export async function evictionPolicy(redis: Redis): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown;
    return Array.isArray(reply) ? String(reply[1] ?? '') : null;
  } catch {
    return null;
  }
}

/**
 * A record of first uses shared by every process: `first(kind, key, ttlMs)` is true for exactly one caller
 * until the key expires (SET NX PX). Signed relays, fill-time tokens and Slack deliveries are acted on once
 * this way, across restarts and processes.
 */
export function firstUses(redis: Redis, prefix: string) {
  return async (kind: string, key: string, ttlMs: number): Promise<boolean> =>
    (await redis.set(`${prefix}:${kind}:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
}
