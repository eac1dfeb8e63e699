import { type Context, Hono } from 'hono';
import { sha256Hex } from '../../domain/digest.ts';
import { type ProviderLink, SignInFailedPage, SignInPage } from '../../pages/admin/signin.tsx';
import { closeSession, type StaffContext, useSignInLink } from '../../usecases/staff-sessions.ts';
import {
  clearSessionCookie,
  LOGIN_PATH,
  sessionId,
  setSessionCookie,
  staffPageGuards,
} from '../admin-session.ts';
import type { AppEnv } from '../deps.ts';
import { countSignInAttempt, refuseUnless, type SignInLimits } from '../signin-limits.ts';

export interface SignInDeps {
  sessions: StaffContext;
  publicUrl: string;
  /** The configured sign-in providers, with their own routes under /admin/signin/:id. */
  providers?: { links: ProviderLink[]; routes: Hono<AppEnv> } | undefined;
  limits: SignInLimits;
  clientIp: (c: Context) => string;
}

/** Only a path on the dashboard may follow a sign-in; anything else goes to the board. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/[\w\-/.]*)?$/.test(next) ? next : '/admin';
}

/** Staff sign-in under /admin: the sign-in page, the one-time console link, the providers, logout. */
export function signInRoutes(deps: SignInDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', ...staffPageGuards(deps.publicUrl));

  app.get('/login', (c) =>
    c.html(<SignInPage providers={deps.providers?.links ?? []} next={safeNext(c.req.query('next'))} />),
  );
  app.get('/signin/link', async (c) => {
    const now = deps.sessions.clock().getTime();
    await countSignInAttempt(deps.limits, deps.clientIp(c), now);
    const token = c.req.query('token');
    // Hashed: a key of bounded length whatever was sent, and no token, even a dead one, kept in Redis.
    const account = token ? `link:${await sha256Hex(token)}` : undefined;
    if (account) refuseUnless(await deps.limits.account.check(account, now), 'refused sign-ins');
    const used = await useSignInLink(deps.sessions, token);
    if (!used) {
      if (account) await deps.limits.account.fail(account, now);
      return c.html(
        <SignInFailedPage message="הקישור כבר נוצל, פג תוקפו או שאינו תקין. קישור חדש מודפס במסוף בכל הפעלה של השירות." />,
        401,
      );
    }
    setSessionCookie(c, deps.publicUrl, used.session.id, used.session.expires);
    return c.redirect('/admin', 303);
  });
  if (deps.providers) app.route('/signin', deps.providers.routes);
  app.post('/logout', async (c) => {
    await closeSession(deps.sessions, sessionId(c));
    clearSessionCookie(c, deps.publicUrl);
    return c.redirect(LOGIN_PATH, 303);
  });
  return app;
}
