import { AppError } from '../../domain/errors.ts';
import type { RateLimiter } from '../rate-limit.ts';

/** Throws `rate_limited` (429 with Retry-After) when the key is over its limit. */
export function enforceLimit(limiter: RateLimiter, key: string, now: number): void {
  const verdict = limiter.take(key, now);
  if (!verdict.ok) {
    throw new AppError('rate_limited', 'too many submissions; try again later', {
      retryAfterSeconds: verdict.retryAfterSeconds,
    });
  }
}
