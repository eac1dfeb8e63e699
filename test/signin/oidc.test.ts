import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { loadWorkflows, type StaffMember } from '../../workflows/index.ts';
import { type OidcFake, startOidcFake } from '../fakes/oidc.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';

const PUBLIC = 'http://127.0.0.1:3999';
const SLACK_USER_ID = 'https://slack.com/user_id';
const SETTINGS = {
  staff: [
    { name: 'נועה כהן', email: 'noa@example.org', roles: ['coordinator'] },
    { name: 'אבי לוי', slackId: 'U0AVI0001', roles: ['reviewer'] },
  ],
};

/** Cookies as a browser keeps them for 127.0.0.1, whatever the port (as browsers do). */
class Jar {
  readonly cookies = new Map<string, string>();
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some(
        (a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()),
      );
      if (gone || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

describe('Sign in with Slack and with Google (OpenID Connect)', () => {
  let slackIdp: OidcFake;
  let googleIdp: OidcFake;
  let service: RunningService;
  let dir: string;
  let staffNow: readonly StaffMember[] = loadWorkflows(SETTINGS).staff;

  beforeAll(async () => {
    slackIdp = await startOidcFake({
      clientId: 'slack-client',
      clientSecret: 'slack-secret-0123456789abcdef',
      redirectUri: `${PUBLIC}/admin/signin/slack/callback`,
      extraClaims: [SLACK_USER_ID],
    });
    googleIdp = await startOidcFake({
      clientId: 'google-client',
      clientSecret: 'google-secret-0123456789abcdef',
      redirectUri: `${PUBLIC}/admin/signin/google/callback`,
    });
    dir = await mkdtemp(join(tmpdir(), 'kehila-oidc-'));
    service = await startService({
      config: parseConfig({
        PORT: '0',
        DATA_DIR: dir,
        REDIS_URL: TEST_REDIS_URL,
        PUBLIC_URL: PUBLIC,
        SLACK_CLIENT_ID: 'slack-client',
        SLACK_CLIENT_SECRET: 'slack-secret-0123456789abcdef',
        SLACK_OIDC_ISSUER: slackIdp.issuer,
        GOOGLE_SIGNIN_CLIENT_ID: 'google-client',
        GOOGLE_SIGNIN_CLIENT_SECRET: 'google-secret-0123456789abcdef',
        GOOGLE_OIDC_ISSUER: googleIdp.issuer,
        // Every sign-in here comes from one address; the per-address count has its own tests.
        SIGNIN_ATTEMPTS_PER_ADDRESS: '1000',
        SIGNIN_FAILURES_PER_ACCOUNT: '3',
      }),
      logger: pino({ level: 'silent' }),
      settings: SETTINGS,
      role: 'web',
      staff: () => staffNow,
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('oidc'), allowInsecureSignIn: true },
    });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await slackIdp.close();
    await googleIdp.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** One request as a browser sends it: to our app in-process, to the provider over loopback. */
  const send = (url: URL, jar: Jar, init: RequestInit = {}) => {
    const headers = { ...(init.headers as Record<string, string>), cookie: jar.header() };
    return url.origin === PUBLIC
      ? service.app!.request(url.href, { ...init, headers })
      : fetch(url, { ...init, headers, redirect: 'manual' });
  };

  /** Follows redirects from our sign-in button to the provider and back, stopping at our callback. */
  async function toCallback(provider: 'slack' | 'google', jar: Jar, query = ''): Promise<URL> {
    let url = new URL(`${PUBLIC}/admin/signin/${provider}${query}`);
    for (let hops = 0; hops < 20; hops++) {
      const res = await send(url, jar);
      jar.take(res);
      const location = res.headers.get('location');
      if (!location) throw new Error(`stopped at ${url.href}: ${res.status} ${await res.text()}`);
      url = new URL(location, url);
      if (url.origin === PUBLIC && url.pathname.endsWith('/callback')) return url;
    }
    throw new Error('too many redirects');
  }

  async function signIn(provider: 'slack' | 'google', jar = new Jar(), query = '') {
    const res = await send(await toCallback(provider, jar, query), jar);
    jar.take(res);
    return { res, jar };
  }

  const board = (jar: Jar) => send(new URL(`${PUBLIC}/admin`), jar, { headers: { accept: 'text/html' } });

  it('offers both providers on a Hebrew, right-to-left sign-in page, and prints no console link', async () => {
    const page = await service.app!.request(`${PUBLIC}/admin/login`);
    const html = await page.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('href="/admin/signin/slack"');
    expect(html).toContain('href="/admin/signin/google"');
    expect(html).toContain('כניסה עם Slack');
    expect(service.signInLink).toBeUndefined();
  });

  it('signs a reviewer in with Slack by their Slack user id and lands on the board', async () => {
    slackIdp.nextAccount('slack-avi', {
      [SLACK_USER_ID]: 'U0AVI0001',
      email: 'avi@elsewhere.org',
      email_verified: true,
    });
    const { res, jar } = await signIn('slack');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kehila_staff=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await board(jar)).status).toBe(200);
    const stored = await service.database.db.selectFrom('sessions').select(['id_hash', 'identity']).execute();
    const id = jar.cookies.get('kehila_staff') ?? '';
    expect(stored.map((s) => s.identity)).toContain('slack:U0AVI0001');
    expect(stored.some((s) => s.id_hash === id)).toBe(false);
  });

  it('signs a coordinator in with Google by a verified e-mail, and refuses the same address unverified', async () => {
    googleIdp.nextAccount('google-noa', { email: 'Noa@example.org', email_verified: true, name: 'Noa' });
    const { res, jar } = await signIn('google');
    expect(res.status).toBe(303);
    expect((await board(jar)).status).toBe(200);

    googleIdp.nextAccount('google-noa-unverified', { email: 'noa@example.org', email_verified: false });
    const refused = await signIn('google');
    expect(refused.res.status).toBe(403);
    expect(refused.jar.cookies.has('kehila_staff')).toBe(false);
  });

  it('returns to the page that asked for the sign-in, and only to a dashboard page', async () => {
    googleIdp.nextAccount('google-noa', { email: 'noa@example.org', email_verified: true });
    const back = await signIn('google', new Jar(), '?next=%2Fadmin%2Fqueues');
    expect(back.res.headers.get('location')).toBe('/admin/queues');
    const away = await signIn('google', new Jar(), '?next=https%3A%2F%2Fevil.example%2F');
    expect(away.res.headers.get('location')).toBe('/admin');
  });

  it('refuses someone not on the staff list with a Hebrew page naming the coordinators', async () => {
    googleIdp.nextAccount('google-stranger', { email: 'stranger@example.org', email_verified: true });
    const { res, jar } = await signIn('google');
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('אינו ברשימת צוות התוכנית');
    expect(html).toContain('נועה כהן');
    expect(html).toContain('stranger@example.org');
    expect(jar.cookies.has('kehila_staff')).toBe(false);
  });

  it('refuses an account refused three times with 429 and Retry-After, and no one else', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      googleIdp.nextAccount('google-intruder', { email: 'intruder@example.org', email_verified: true });
      statuses.push((await signIn('google')).res.status);
    }
    expect(statuses).toEqual([403, 403, 403, 429]);
    googleIdp.nextAccount('google-intruder', { email: 'intruder@example.org', email_verified: true });
    const refused = (await signIn('google')).res;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('נשלחו יותר מדי בקשות בזמן קצר');
    googleIdp.nextAccount('google-noa', { email: 'noa@example.org', email_verified: true });
    expect((await signIn('google')).res.status).toBe(303);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    slackIdp.nextAccount('slack-avi', { [SLACK_USER_ID]: 'U0AVI0001' });
    const jar = new Jar();
    const callback = await toCallback('slack', jar);
    callback.searchParams.set('state', 'someone-elses-state');
    const res = await send(callback, jar);
    jar.take(res);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('הכניסה עם Slack לא אומתה');
    expect(jar.cookies.has('kehila_staff')).toBe(false);
  });

  it('refuses an ID token whose nonce is not the one this browser started with', async () => {
    slackIdp.nextAccount('slack-avi', { [SLACK_USER_ID]: 'U0AVI0001' });
    const jar = new Jar();
    const callback = await toCallback('slack', jar);
    const flow = JSON.parse(atob(jar.cookies.get('kehila_signin') ?? '')) as Record<string, string>;
    jar.cookies.set(
      'kehila_signin',
      btoa(JSON.stringify({ ...flow, nonce: 'another-nonce' })).replace(/=+$/, ''),
    );
    const res = await send(callback, jar);
    jar.take(res);
    expect(res.status).toBe(400);
    expect(jar.cookies.has('kehila_staff')).toBe(false);
  });

  it('ends the session on logout (a POST from our own pages); the old cookie opens nothing', async () => {
    slackIdp.nextAccount('slack-avi', { [SLACK_USER_ID]: 'U0AVI0001' });
    const { jar } = await signIn('slack');
    const old = new Jar();
    for (const [k, v] of jar.cookies) old.cookies.set(k, v);
    const crossSite = await send(new URL(`${PUBLIC}/admin/logout`), jar, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(crossSite.status).toBe(403);
    expect((await board(jar)).status).toBe(200);
    const out = await send(new URL(`${PUBLIC}/admin/logout`), jar, {
      method: 'POST',
      headers: { origin: PUBLIC, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(out.status).toBe(303);
    const after = await board(old);
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/^\/admin\/login/);
  });

  it('ends access at the next request for someone removed from the settings', async () => {
    slackIdp.nextAccount('slack-avi', { [SLACK_USER_ID]: 'U0AVI0001' });
    const { jar } = await signIn('slack');
    expect((await board(jar)).status).toBe(200);
    const before = staffNow;
    staffNow = staffNow.filter((s) => s.slackId !== 'U0AVI0001');
    try {
      expect((await board(jar)).status).toBe(302);
    } finally {
      staffNow = before;
    }
  });
});
