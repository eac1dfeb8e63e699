import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { FailureLimiter, LimitVerdict, RateLimiter, RateLimitRule } from '../src/http/rate-limit.ts';
import type { SignInLimits } from '../src/http/signin-limits.ts';

type SharedRule = RateLimitRule & { keyPrefix: string };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const refused = (res: RateLimiterRes): LimitVerdict => ({
  ok: false,
  retryAfterSeconds: seconds(res.msBeforeNext),
});

/** How long a refusal for a Redis that cannot answer asks the client to wait: about a reconnection or two. */
export const UNAVAILABLE_RETRY_SECONDS = 30;
const unavailable: LimitVerdict = {
  ok: false,
  retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS,
  unavailable: true,
};

/**
 * A limit shared by every web process: counted in Redis (rate-limiter-flexible's atomic fixed window), so
 * N processes allow the limit once, not N times. When Redis cannot answer, the same rule is counted in this
 * process instead (the library's insurance limiter): intake must keep answering, and a per-process limit
 * is still a limit.
 */
export function sharedRateLimiter(redis: Redis, rule: SharedRule): RateLimiter {
  const points = rule.limit;
  const duration = seconds(rule.windowMs);
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
        if (refusal instanceof RateLimiterRes) return refused(refusal);
        throw refusal;
      }
    },
  };
}

const waits = new WeakMap<Redis, Promise<void>>();

/**
 * A connection being made is not Redis away: a process that has just started waits for it, briefly, rather
 * than refuse its first sign-ins. The wait ends at the first refusal of a reconnection attempt, and between
 * attempts there is none: a Redis that is away is answered for at once.
 */
function connected(redis: Redis, ms = 2000): Promise<void> {
  if (redis.status !== 'connecting' && redis.status !== 'connect') return Promise.resolve();
  // One wait per connection, however many requests arrive meanwhile (one listener each would pile up).
  let wait = waits.get(redis);
  if (!wait) {
    wait = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        redis.off('close', done);
        waits.delete(redis);
        resolve();
      };
      const timer = setTimeout(done, ms);
      redis.once('ready', done);
      redis.once('close', done);
    });
    waits.set(redis, wait);
  }
  return wait;
}
/**
 * The same shared count with no insurance: when Redis cannot answer, the verdict is `unavailable` and the
 * request is refused. For getting in as staff, where a per-process count would multiply the guesses an
 * attacker gets by the number of processes, and a short refusal costs staff little.
 */
export function strictRateLimiter(redis: Redis, rule: SharedRule): RateLimiter {
  const limiter = redisLimiter(redis, rule);
  return {
    async take(key): Promise<LimitVerdict> {
      try {
        await connected(redis);
        await limiter.consume(key);
        return { ok: true };
      } catch (refusal) {
        return refusal instanceof RateLimiterRes ? refused(refusal) : unavailable;
      }
    },
  };
}

/** Failures counted in Redis, failing closed as above: a key with `limit` failures is refused until its window ends. */
export function strictFailureLimiter(redis: Redis, rule: SharedRule): FailureLimiter {
  const limiter = redisLimiter(redis, rule);
  const verdict = (res: RateLimiterRes | null): LimitVerdict =>
    res && res.consumedPoints >= rule.limit ? refused(res) : { ok: true };
  return {
    async check(key) {
      await connected(redis);
      return limiter.get(key).then(verdict, () => unavailable);
    },
    async fail(key) {
      await connected(redis);
      return limiter.penalty(key, 1).then(verdict, () => unavailable);
    },
  };
}

function redisLimiter(redis: Redis, rule: SharedRule): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: rule.keyPrefix,
    points: rule.limit,
    duration: seconds(rule.windowMs),
    // Refuse at once rather than wait for a Redis that is away.
    rejectIfRedisNotReady: true,
  });
}

/** The sign-in and token limits, in Redis under `prefix`, shared by every web process and failing closed. */
export function strictSignInLimits(
  redis: Redis,
  opts: { prefix: string; windowMs: number; perAddress: number; perAccount: number; wrongTokens: number },
): SignInLimits {
  const rule = (keyPrefix: string, limit: number) => ({
    limit,
    windowMs: opts.windowMs,
    keyPrefix: `${opts.prefix}:${keyPrefix}`,
  });
  return {
    address: strictRateLimiter(redis, rule('signin:address', opts.perAddress)),
    account: strictFailureLimiter(redis, rule('signin:account', opts.perAccount)),
    token: strictFailureLimiter(redis, rule('signin:token', opts.wrongTokens)),
  };
}

/** The intake's limits: submissions per client address per 10 minutes, per e-mail address per hour. */
export function intakeLimits(
  redis: Redis,
  prefix: string,
  opts: { perAddress: number; perEmail: number } = { perAddress: 30, perEmail: 5 },
): { ip: RateLimiter; email: RateLimiter } {
  return {
    ip: sharedRateLimiter(redis, {
      limit: opts.perAddress,
      windowMs: 10 * 60_000,
      keyPrefix: `${prefix}:limit:ip`,
    }),
    email: sharedRateLimiter(redis, {
      limit: opts.perEmail,
      windowMs: 60 * 60_000,
      keyPrefix: `${prefix}:limit:email`,
    }),
  };
}
