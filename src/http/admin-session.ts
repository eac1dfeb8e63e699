import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import type { StaffRole } from '../../workflows/index.ts';
import { AppError } from '../domain/errors.ts';
import { resolveSession, type SignedIn, type StaffContext } from '../usecases/staff-sessions.ts';
import type { AppEnv } from './deps.ts';

export const SESSION_COOKIE = 'kehila_staff';
export const LOGIN_PATH = '/admin/login';

/** The session cookie: HttpOnly, SameSite=Lax (so the return from a sign-in provider carries it), Secure on https. */
export function setSessionCookie(c: Context, publicUrl: string, id: string, expires: Date): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: publicUrl.startsWith('https:'),
    sameSite: 'Lax',
    path: '/',
    expires,
  });
}

/** Removes the session cookie from the browser; the session itself is deleted by the caller. */
export function clearSessionCookie(c: Context, publicUrl: string): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: publicUrl.startsWith('https:') });
}

/** The session id the request carries, if any. */
export const sessionId = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE);

/**
 * Signed-in staff only: the session is looked up and its person found in the current settings on every
 * request. Pages send anyone else to the sign-in page; everything else gets 401.
 */
export function requireStaff(ctx: StaffContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const person = await resolveSession(ctx, sessionId(c));
    if (person) {
      c.set('staff', person);
      return next();
    }
    const wantsPage =
      c.req.method === 'GET' &&
      !c.req.path.includes('/api/') &&
      (c.req.header('accept') ?? '').includes('text/html');
    if (wantsPage) return c.redirect(`${LOGIN_PATH}?next=${encodeURIComponent(c.req.path)}`, 302);
    throw new AppError('unauthorized', 'staff authentication required');
  };
}

/** The signed-in person, refused unless they hold one of these roles. */
export function staffWith(c: Context<AppEnv>, ...roles: StaffRole[]): SignedIn {
  const person = c.get('staff');
  if (!person) throw new AppError('unauthorized', 'staff authentication required');
  if (!person.roles.some((r) => roles.includes(r))) {
    throw new AppError('forbidden', `this needs the role ${roles.join(' or ')}`);
  }
  return person;
}

/** A bearer token compared in time that does not depend on where it differs. */
export function tokenMatches(token: string, given: string | undefined): boolean {
  if (given === undefined || given.length !== token.length) return false;
  let diff = 0;
  for (let i = 0; i < token.length; i++) diff |= token.charCodeAt(i) ^ given.charCodeAt(i);
  return diff === 0;
}

/**
 * What every staff page app under /admin runs first: the same-origin check on state-changing requests (the
 * session cookie is SameSite=Lax, so a cross-site POST must be refused here) and no caching of staff pages.
 */
export function staffPageGuards(publicUrl: string): MiddlewareHandler<AppEnv>[] {
  const publicOrigin = new URL(publicUrl).origin;
  return [
    csrf({
      origin: (o, c) => o === publicOrigin || o === new URL(c.req.url).origin,
      secFetchSite: 'same-origin',
    }),
    async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    },
  ];
}
