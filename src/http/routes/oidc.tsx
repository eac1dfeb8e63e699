// Sign in with Slack and with Google, both OpenID Connect through openid-client: discovery, the authorization
// code flow with PKCE, state and nonce, and the ID token checked by the library. Mounted by the Node service only.
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import type { StaffMember } from '../../../workflows/index.ts';
import { NotStaffPage, type ProviderLink, SignInFailedPage } from '../../pages/admin/signin.tsx';
import { identityOf, openSession, type StaffContext } from '../../usecases/staff-sessions.ts';
import { setSessionCookie } from '../admin-session.ts';
import type { AppEnv, Logger } from '../deps.ts';
import { countSignInAttempt, refuseUnless, type SignInLimits } from '../signin-limits.ts';
import { safeNext } from './signin.tsx';

export interface OidcProvider {
  id: 'slack' | 'google';
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface OidcDeps {
  providers: OidcProvider[];
  sessions: StaffContext;
  publicUrl: string;
  logger: Logger;
  limits: SignInLimits;
  clientIp: (c: Context) => string;
  /** Plain-http issuers; only a test sets this, for a provider on loopback. Never read from the environment. */
  allowInsecureRequests?: boolean;
}

const FLOW_COOKIE = 'kehila_signin';
const FLOW_MAX_AGE_S = 10 * 60;
const SLACK_USER_ID = 'https://slack.com/user_id';

interface Flow {
  provider: string;
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

/** Whom a provider's verified claims name among the staff, by Slack user id or by a verified e-mail. */
export function matchStaff(
  staff: readonly StaffMember[],
  claims: Record<string, unknown>,
): StaffMember | undefined {
  const slackId = typeof claims[SLACK_USER_ID] === 'string' ? claims[SLACK_USER_ID] : undefined;
  const bySlack = slackId ? staff.find((s) => s.slackId === slackId) : undefined;
  if (bySlack) return bySlack;
  // An address the provider has not verified proves nothing about who is signing in.
  const email = claims.email_verified === true && typeof claims.email === 'string' ? claims.email : undefined;
  return email ? staff.find((s) => s.email?.toLowerCase() === email.toLowerCase()) : undefined;
}

const encodeFlow = (flow: Flow) => btoa(JSON.stringify(flow)).replace(/=+$/, '');
function decodeFlow(value: string | undefined): Flow | null {
  try {
    const flow = JSON.parse(atob(value ?? '')) as Partial<Flow>;
    return [flow.provider, flow.state, flow.nonce, flow.verifier, flow.next].every(
      (v) => typeof v === 'string',
    )
      ? (flow as Flow)
      : null;
  } catch {
    return null;
  }
}

/** The sign-in buttons and routes for the configured providers, under /admin/signin. */
export function oidcRoutes(deps: OidcDeps): { links: ProviderLink[]; routes: Hono<AppEnv> } {
  const app = new Hono<AppEnv>();
  const secure = deps.publicUrl.startsWith('https:');
  const configs = new Map<string, Promise<oidc.Configuration>>();
  // Discovery happens at the first click, not at start-up, so a provider that is down delays no one's start;
  // a failed discovery is forgotten, to be tried again at the next click.
  const configFor = (p: OidcProvider) => {
    let config = configs.get(p.id);
    if (!config) {
      const options = deps.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : undefined;
      config = oidc.discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined, options);
      config.catch(() => configs.delete(p.id));
      configs.set(p.id, config);
    }
    return config;
  };
  const redirectUri = (p: OidcProvider) => `${deps.publicUrl}/admin/signin/${p.id}/callback`;
  const failed = (c: Context, message: string, status: 400 | 502) =>
    c.html(<SignInFailedPage message={message} />, status);

  for (const p of deps.providers) {
    app.get(`/${p.id}`, async (c) => {
      await countSignInAttempt(deps.limits, deps.clientIp(c), deps.sessions.clock().getTime());
      const config = await configFor(p).catch((err: unknown) => {
        deps.logger.error({ provider: p.id, err: (err as Error).message }, 'sign-in discovery failed');
        return null;
      });
      if (!config) return failed(c, `לא ניתן להתחבר כרגע אל ${p.label}. כדאי לנסות שוב בעוד כמה דקות.`, 502);
      const next = safeNext(c.req.query('next'));
      const flow: Flow = {
        provider: p.id,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        next,
      };
      setCookie(c, FLOW_COOKIE, encodeFlow(flow), {
        httpOnly: true,
        secure,
        sameSite: 'Lax',
        path: '/admin/signin',
        maxAge: FLOW_MAX_AGE_S,
      });
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(p),
        scope: 'openid email profile',
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
      });
      return c.redirect(url.href, 302);
    });

    app.get(`/${p.id}/callback`, async (c) => {
      const now = deps.sessions.clock().getTime();
      await countSignInAttempt(deps.limits, deps.clientIp(c), now);
      const flow = decodeFlow(getCookie(c, FLOW_COOKIE));
      deleteCookie(c, FLOW_COOKIE, { path: '/admin/signin', secure });
      if (!flow || flow.provider !== p.id) {
        return failed(c, 'תם הזמן לכניסה או שהיא התחילה בדפדפן אחר. אפשר להתחיל מחדש מדף הכניסה.', 400);
      }
      // The callback is checked against the URL the provider was given, whatever host the request came by.
      const current = new URL(`${redirectUri(p)}${new URL(c.req.url).search}`);
      let claims: Record<string, unknown> | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(await configFor(p), current, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (err) {
        deps.logger.warn({ provider: p.id, err: (err as Error).message }, 'sign-in refused');
      }
      if (!claims) return failed(c, `הכניסה עם ${p.label} לא אומתה. אפשר לנסות שוב מדף הכניסה.`, 400);
      // The provider's subject: the one account name every verified ID token carries, e-mail or not.
      const account = `${p.id}:${String(claims.sub)}`;
      refuseUnless(await deps.limits.account.check(account, now), 'refused sign-ins');
      const staff = deps.sessions.staff();
      const member = matchStaff(staff, claims);
      if (!member) {
        await deps.limits.account.fail(account, now);
        const who = [claims.email, claims.name].find((v) => typeof v === 'string') as string | undefined;
        const coordinators = staff.filter((s) => s.roles.includes('coordinator')).map((s) => s.name);
        return c.html(<NotStaffPage who={who ?? 'הזה'} coordinators={coordinators} />, 403);
      }
      const session = await openSession(deps.sessions, identityOf(member));
      setSessionCookie(c, deps.publicUrl, session.id, session.expires);
      // The cookie came back from the browser; the path is checked again rather than trusted.
      return c.redirect(safeNext(flow.next), 303);
    });
  }
  return { links: deps.providers.map((p) => ({ id: p.id, label: p.label })), routes: app };
}
