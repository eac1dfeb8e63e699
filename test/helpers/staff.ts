import { memoryFailureLimiter, memoryRateLimiter } from '../../src/http/rate-limit.ts';
import type { SignInLimits } from '../../src/http/signin-limits.ts';
import { CONSOLE_IDENTITY, issueSignInLink, type StaffContext } from '../../src/usecases/staff-sessions.ts';

interface Requester {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/**
 * A session cookie for one person, made the way the console link makes it: a one-time link issued for them
 * and opened through the app. Without an identity, the bootstrap coordinator of an installation with no staff.
 */
export async function staffCookie(
  app: Requester,
  ctx: Pick<StaffContext, 'db' | 'clock'>,
  identity: string = CONSOLE_IDENTITY,
  origin = 'http://localhost:3000',
): Promise<string> {
  const token = await issueSignInLink(ctx, identity);
  const res = await app.request(`${origin}/admin/signin/link?token=${token}`);
  if (res.status !== 303) throw new Error(`sign-in link refused for ${identity}: ${res.status}`);
  return cookieFrom(res);
}

/** The name=value of the cookie a response sets. */
export function cookieFrom(res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/**
 * A signed-in reviewer's vote from the application's page, in their own name: the session says who votes.
 * Answers the dashboard's status (303 back to the page when the vote is taken).
 */
export async function dashboardVote(
  app: Requester,
  ctx: Pick<StaffContext, 'db' | 'clock'>,
  opts: { identity: string; applicationId: string; vote: 'approve' | 'reject' | 'waitlist' },
  origin = 'http://localhost:3000',
): Promise<number> {
  const cookie = await staffCookie(app, ctx, opts.identity, origin);
  const res = await app.request(`${origin}/admin/applications/${opts.applicationId}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie },
    body: new URLSearchParams({ vote: opts.vote, note: '' }).toString(),
  });
  return res.status;
}

/** Sign-in limits counted in this process, high enough for a test's own sign-ins: routes built without the service. */
export function memorySignInLimits(limit = 1000): SignInLimits {
  const rule = { limit, windowMs: 15 * 60_000 };
  return {
    address: memoryRateLimiter(rule),
    account: memoryFailureLimiter(rule),
    token: memoryFailureLimiter(rule),
  };
}
