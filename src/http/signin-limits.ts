import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors.ts';
import { tokenMatches } from './admin-session.ts';
import type { AppEnv } from './deps.ts';
import type { FailureLimiter, LimitVerdict, RateLimiter } from './rate-limit.ts';

/**
 * The limits on getting in as staff. The service keeps them in Redis, shared by every web process, and they
 * fail closed: when Redis cannot answer, sign-in and token calls are refused (503) rather than let through.
 */
export interface SignInLimits {
  /** Sign-in attempts per client address: a provider sign-in's start and callback, the console link. */
  address: RateLimiter;
  /** Refused sign-ins per account: a provider's account not on the staff list, a console link token. */
  account: FailureLimiter;
  /** Wrong bearer tokens per client address, on the admin API and /metrics; a right one costs nothing. */
  token: FailureLimiter;
}

/** Throws for a refused verdict: 429 with Retry-After over the limit, 503 with Retry-After when it cannot be counted. */
export function refuseUnless(verdict: LimitVerdict, what: string): void {
  if (verdict.ok) return;
  const retryAfterSeconds = verdict.retryAfterSeconds;
  if (verdict.unavailable) {
    throw new AppError('unavailable', `${what} cannot be checked right now`, {
      retryAfterSeconds,
      he: 'הכניסה אינה זמינה כרגע. אפשר לנסות שוב בעוד דקה.',
    });
  }
  throw new AppError('rate_limited', `too many ${what}; try again later`, { retryAfterSeconds });
}

/** A sign-in attempt from this request's address: counted, and refused past the limit. */
export async function countSignInAttempt(limits: SignInLimits, address: string, now: number): Promise<void> {
  refuseUnless(await limits.address.take(`signin:${address}`, now), 'sign-in attempts');
}

const bearerOf = (c: Context) => /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();

/**
 * Before a bearer token is checked: an address that has sent too many wrong tokens is refused whatever it
 * sends now (else the right guess would still show), and a wrong token counts against its address. The
 * caller decides what a wrong or absent token becomes (the admin API's 401, /metrics' staff gate).
 */
export function tokenGuard(opts: {
  token: string;
  limiter: FailureLimiter;
  clientIp: (c: Context) => string;
  clock: () => Date;
}): (c: Context<AppEnv>) => Promise<'right' | 'wrong' | 'none'> {
  return async (c) => {
    const key = `token:${opts.clientIp(c)}`;
    refuseUnless(await opts.limiter.check(key, opts.clock().getTime()), 'wrong tokens');
    const given = bearerOf(c);
    if (given === undefined) return 'none';
    if (tokenMatches(opts.token, given)) return 'right';
    await opts.limiter.fail(key, opts.clock().getTime());
    return 'wrong';
  };
}

/** The admin API's guard: refused past the wrong-token limit; the bearer check itself follows. */
export function limitTokenFailures(opts: Parameters<typeof tokenGuard>[0]): MiddlewareHandler<AppEnv> {
  const guard = tokenGuard(opts);
  return async (c, next) => {
    await guard(c);
    return next();
  };
}
