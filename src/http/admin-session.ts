import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../domain/errors.ts';
import { hmacHex } from '../slack/verify.ts';

export const SESSION_COOKIE = 'kehila_admin';
const SESSION_HOURS = 12;

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A session value that needs no server state: an expiry signed with a key derived from the admin token. */
export async function issueSession(token: string, now: number): Promise<string> {
  const expires = now + SESSION_HOURS * 3_600_000;
  return `${expires}.${await hmacHex(token, `kehila-admin-session:${expires}`)}`;
}

export async function validSession(token: string, value: string | undefined, now: number): Promise<boolean> {
  const m = /^(\d{13})\.([0-9a-f]{64})$/.exec(value ?? '');
  if (!m || Number(m[1]) < now) return false;
  return constantTimeEqual(m[2] ?? '', await hmacHex(token, `kehila-admin-session:${m[1]}`));
}

export function tokenMatches(token: string, given: string | undefined): boolean {
  return given !== undefined && constantTimeEqual(token, given);
}

/**
 * Staff only: the bearer token (the JSON API, scripts) or a valid session cookie (the pages). Pages send
 * people without a session to the login form; everything else gets 401.
 */
export function requireStaff(opts: {
  token: string;
  clock: () => Date;
  loginPath: string;
}): MiddlewareHandler {
  return async (c: Context, next) => {
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '');
    if (tokenMatches(opts.token, bearer)) return next();
    if (await validSession(opts.token, getCookie(c, SESSION_COOKIE), opts.clock().getTime())) return next();
    const wantsPage =
      c.req.method === 'GET' &&
      !c.req.path.includes('/api/') &&
      (c.req.header('accept') ?? '').includes('text/html');
    if (wantsPage) return c.redirect(`${opts.loginPath}?next=${encodeURIComponent(c.req.path)}`, 302);
    throw new AppError('unauthorized', 'staff authentication required');
  };
}
