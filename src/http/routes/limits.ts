import { AppError } from '../../domain/errors.ts';
import type { RateLimiter } from '../rate-limit.ts';

/** Throws `rate_limited` (429 with Retry-After) when the key is over its limit. */
export async function enforceLimit(limiter: RateLimiter, key: string, now: number): Promise<void> {
  const verdict = await limiter.take(key, now);
  if (!verdict.ok) {
    throw new AppError('rate_limited', 'too many submissions; try again later', {
      retryAfterSeconds: verdict.retryAfterSeconds,
    });
  }
}
