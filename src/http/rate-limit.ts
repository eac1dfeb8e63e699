/**
 * `unavailable` when the limit's store could not answer: a limit that fails closed refuses then, rather than
 * let through what it cannot count.
 */
export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; unavailable?: true };

/**
 * A counter per key; `take` answers whether one more request may pass. The service's is shared by every web
 * process through Redis (integrations/rate-limit.ts); the edge keeps the in-process one below, per isolate.
 */
export interface RateLimiter {
  take(key: string, now: number): LimitVerdict | Promise<LimitVerdict>;
}

/**
 * Failures counted per key: `check` refuses a key that has failed `limit` times within the window, `fail`
 * counts one more. What succeeds costs nothing, so only guessing uses the limit up.
 */
export interface FailureLimiter {
  check(key: string, now: number): LimitVerdict | Promise<LimitVerdict>;
  fail(key: string, now: number): LimitVerdict | Promise<LimitVerdict>;
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

/** In-process failure counts, for routes built without the service (tests, tools); each process alone. */
export function memoryFailureLimiter(rule: RateLimitRule): FailureLimiter {
  const failures = new Map<string, { start: number; count: number }>();
  const current = (key: string, now: number) => {
    const w = failures.get(key);
    return w && now - w.start < rule.windowMs ? w : undefined;
  };
  const verdict = (w: { start: number; count: number } | undefined, now: number): LimitVerdict =>
    w && w.count >= rule.limit
      ? { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + rule.windowMs - now) / 1000)) }
      : { ok: true };
  return {
    check: (key, now) => verdict(current(key, now), now),
    fail(key, now) {
      const w = current(key, now) ?? { start: now, count: 0 };
      w.count += 1;
      failures.set(key, w);
      return verdict(w, now);
    },
  };
}
