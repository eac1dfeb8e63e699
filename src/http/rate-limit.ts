export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A counter per key; `take` answers whether one more request may pass. The service's is shared by every web
 * process through Redis (integrations/rate-limit.ts); the edge keeps the in-process one below, per isolate.
 */
export interface RateLimiter {
  take(key: string, now: number): LimitVerdict | Promise<LimitVerdict>;
}

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/**
 * An in-process limiter, bounded in memory: windows are kept per key until they expire, and the oldest keys
 * are dropped past `maxKeys`. Each web process counts alone; with N processes a client gets up to N × limit.
 */
export function memoryRateLimiter(rule: RateLimitRule, maxKeys = 50_000): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, now) {
      let w = windows.get(key);
      if (!w || now - w.start >= rule.windowMs) {
        windows.delete(key);
        w = { start: now, count: 0 };
        windows.set(key, w);
        if (windows.size > maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
      }
      w.count += 1;
      if (w.count <= rule.limit) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + rule.windowMs - now) / 1000)) };
    },
  };
}
