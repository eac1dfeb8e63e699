import type { BotCheck } from '../http/deps.ts';

export const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

/**
 * Cloudflare Turnstile's server-side check. When Cloudflare cannot be reached (network error, 5xx, timeout
 * or its own internal error), the verdict is 'unavailable': the applicant is accepted and flagged for staff,
 * because losing a person to an outage of a bot check is worse than one more bot for staff to decline.
 */
export function turnstile(opts: {
  siteKey: string;
  secret: string;
  verifyUrl?: string | undefined;
  timeoutMs?: number;
}): BotCheck {
  return {
    siteKey: opts.siteKey,
    async verify(token, clientIp) {
      if (!token) return 'fail';
      try {
        const res = await fetch(opts.verifyUrl ?? TURNSTILE_VERIFY_URL, {
          method: 'POST',
          body: new URLSearchParams({ secret: opts.secret, response: token, remoteip: clientIp }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
        });
        if (!res.ok) return 'unavailable';
        const outcome = (await res.json()) as { success?: boolean; 'error-codes'?: string[] };
        if (outcome.success === true) return 'pass';
        return outcome['error-codes']?.includes('internal-error') ? 'unavailable' : 'fail';
      } catch {
        return 'unavailable';
      }
    },
  };
}
