import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitVerdict, RateLimiter, RateLimitRule } from '../src/http/rate-limit.ts';

/**
 * A limit shared by every web process: counted in Redis (rate-limiter-flexible's atomic fixed window), so
 * N processes allow the limit once, not N times. When Redis cannot answer, the same rule is counted in this
 * process instead (the library's insurance limiter): intake must keep answering, and a per-process limit
 * is still a limit.
 */
export function sharedRateLimiter(redis: Redis, rule: RateLimitRule & { keyPrefix: string }): RateLimiter {
  const points = rule.limit;
  const duration = Math.max(1, Math.ceil(rule.windowMs / 1000));
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: rule.keyPrefix,
    points,
    duration,
    // Fail over at once rather than wait for a Redis that is away.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: rule.keyPrefix, points, duration }),
  });
  return {
    async take(key): Promise<LimitVerdict> {
      try {
        await limiter.consume(key);
        return { ok: true };
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) {
          return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
        }
        throw refusal;
      }
    },
  };
}
