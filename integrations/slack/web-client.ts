import { ErrorCode, type WebAPICallResult, WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { AppError } from '../../src/domain/errors.ts';

/** How long to wait after a 429 that named no Retry-After. */
const UNSTATED_RETRY_AFTER_SECONDS = 30;

/** The one place a Slack WebClient is built: base URL, timeout, 429s handed to us rather than slept on. */
export function createSlackWebClient(opts: {
  token: string;
  slackApiUrl?: string | undefined;
  timeoutMs?: number;
}): WebClient {
  return new GatedWebClient(opts.token, {
    ...(opts.slackApiUrl
      ? { slackApiUrl: opts.slackApiUrl.endsWith('/') ? opts.slackApiUrl : `${opts.slackApiUrl}/` }
      : {}),
    timeout: opts.timeoutMs ?? 10_000,
    // A rate-limited call throws at once with Retry-After, so the queue waits instead of a worker sleeping.
    rejectRateLimitedCalls: true,
    // No retries inside the client: chat.postMessage has no idempotency key, so a retry after a timeout whose
    // request did land posts twice. The jobs retry instead, and look for what was posted before posting.
    retryConfig: { retries: 0 },
  });
}

/**
 * Slack limits each method on its own. After a 429 the method is closed in this process until its
 * Retry-After has passed: the jobs that would call it meanwhile are put off at once, without a call (a job
 * waits out a 429 alone, so without this every worker would keep asking and keep being refused), while the
 * other methods go on.
 */
class GatedWebClient extends WebClient {
  private readonly closedUntil = new Map<string, number>();

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const wait = (this.closedUntil.get(method) ?? 0) - Date.now();
    if (wait > 0) throw new WebAPIRateLimitedError(Math.ceil(wait / 1000));
    try {
      return await super.apiCall(method, options);
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e.code === ErrorCode.RateLimitedError) {
        this.closedUntil.set(method, Date.now() + (e.retryAfter ?? UNSTATED_RETRY_AFTER_SECONDS) * 1000);
      }
      throw error;
    }
  }
}

/** Slack's failures in the domain's words: 429 → rate_limited with Retry-After; server trouble → retryable. */
export function slackError(what: string, error: unknown): AppError {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e.code === ErrorCode.RateLimitedError) {
    return new AppError('rate_limited', `${what}: Slack rate limit`, {
      retryable: true,
      retryAfterSeconds: e.retryAfter ?? UNSTATED_RETRY_AFTER_SECONDS,
    });
  }
  if (e.code === ErrorCode.PlatformError) {
    const reason = e.data?.error ?? 'unknown';
    const transient = [
      'internal_error',
      'fatal_error',
      'service_unavailable',
      'request_timeout',
      'ratelimited',
    ].includes(reason);
    return new AppError(transient ? 'unavailable' : 'bad_request', `${what}: ${reason}`, {
      retryable: transient,
    });
  }
  return new AppError('unavailable', `${what}: ${e.message ?? 'Slack unreachable'}`, { retryable: true });
}
