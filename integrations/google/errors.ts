import { AppError } from '../../src/domain/errors.ts';

export interface Classified {
  status: number;
  reason: string;
  retryAfterSeconds?: number;
  /** Whether another attempt can help. */
  transient: boolean;
}

/** What a Google API error means for us, from its status and the reason in its error body. */
export function classify(error: unknown): Classified {
  const e = error as {
    status?: number;
    code?: number | string;
    response?: {
      status?: number;
      headers?: Headers | Record<string, string>;
      data?: { error?: { errors?: { reason?: string; domain?: string }[] } };
    };
  };
  const status = Number(e.response?.status ?? e.status ?? (typeof e.code === 'number' ? e.code : 0));
  const first = e.response?.data?.error?.errors?.[0];
  const reason = first?.reason ?? '';
  const headers = e.response?.headers;
  const raw = headers instanceof Headers ? headers.get('retry-after') : headers?.['retry-after'];
  const retryAfter = raw ? Number(raw) : undefined;
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (reason === 'rateLimitExceeded' ||
        reason === 'userRateLimitExceeded' ||
        first?.domain === 'usageLimits'));
  // No status at all is a network failure (refused, reset, timed out): worth another try.
  const transient = status === 0 || status >= 500 || rateLimited;
  return {
    status,
    reason,
    transient,
    ...(retryAfter && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  };
}

/** Turns a Google error into the domain's: permanent ones say why; transient ones may be retried by the queue. */
export function toAppError(what: string, error: unknown): AppError {
  const c = classify(error);
  if (c.status === 403 && c.reason === 'forbiddenForServiceAccounts') {
    return new AppError(
      'forbidden',
      `${what}: Google refused the service account. Grant it domain-wide delegation for the calendar.events scope in the Google Workspace admin console and set GOOGLE_IMPERSONATE to the organiser's address.`,
      { retryable: false },
    );
  }
  if (c.transient) {
    return new AppError(
      'unavailable',
      `${what}: Google answered ${c.status || 'nothing'} ${c.reason}`.trim(),
      {
        retryable: true,
        ...(c.retryAfterSeconds ? { retryAfterSeconds: c.retryAfterSeconds } : {}),
      },
    );
  }
  return new AppError('bad_request', `${what}: Google answered ${c.status} ${c.reason}`.trim(), {
    retryable: false,
  });
}

/** Retries transient failures with exponential back-off and jitter, then gives up with a domain error. */
export async function withRetries<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { attempts: number; sleep: (ms: number) => Promise<void>; baseMs?: number },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AppError) throw error;
      const c = classify(error);
      if (!c.transient || attempt >= opts.attempts) throw toAppError(what, error);
      const base = (opts.baseMs ?? 200) * 2 ** (attempt - 1);
      const wait = c.retryAfterSeconds ? c.retryAfterSeconds * 1000 : base / 2 + Math.random() * base;
      await opts.sleep(Math.min(wait, 10_000));
    }
  }
}
