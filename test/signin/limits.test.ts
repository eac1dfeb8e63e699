import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { startPrivateRedis } from '../helpers/redis-server.ts';

const TOKEN = 'admin-token-for-signin-limits-01';
// Each test starts web processes of its own (migrations, queues), slower than a request by far.
const STARTS = 90_000;
const redis = new Redis(TEST_REDIS_URL, { protocol: 2, maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());

describe('sign-in and token limits shared by every web process, failing closed', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  /** Web processes as `npm run start:web` starts them, on one Redis prefix: counts meet there or nowhere. */
  async function webProcesses(n: number, env: Record<string, string>, redisUrl = TEST_REDIS_URL) {
    const prefix = randomPrefix('signin');
    cleanups.push(async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    });
    const services: RunningService[] = [];
    for (let i = 0; i < n; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'kehila-signin-limits-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const service = await startService({
        config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: redisUrl, TRUST_PROXY: 'true', ...env }),
        logger: pino({ level: 'silent' }),
        settings: {},
        role: 'web',
        overrides: { mail: memoryMailer(), redisPrefix: prefix },
      });
      cleanups.push(() => service.stop());
      services.push(service);
    }
    return services;
  }

  /** A request over the network to one process, from `address` as the trusted proxy says. */
  const call = (service: RunningService, path: string, address: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${service.port}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': address },
    });

  it(
    'counts sign-in attempts per address once across two processes: the fifth, on either, is 429',
    async () => {
      const web = await webProcesses(2, {
        SIGNIN_ATTEMPTS_PER_ADDRESS: '4',
        // A provider whose discovery fails still counts its start: the attempt was made.
        SLACK_CLIENT_ID: 'slack-client',
        SLACK_CLIENT_SECRET: 'slack-secret-0123456789abcdef',
        SLACK_OIDC_ISSUER: 'http://127.0.0.1:1',
      });
      const attempts = [
        '/admin/signin/link?token=guess-1',
        '/admin/signin/slack',
        '/admin/signin/link?token=guess-2',
        '/admin/signin/slack/callback?code=x&state=y',
        '/admin/signin/link?token=guess-3',
      ];
      const answers: Response[] = [];
      for (const [i, path] of attempts.entries()) answers.push(await call(web[i % 2]!, path, '198.51.100.7'));
      expect(answers.slice(0, 4).map((r) => r.status)).toEqual([401, 502, 401, 400]);
      const refused = answers[4]!;
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
      const page = await refused.text();
      expect(page).toContain('dir="rtl"');
      expect(page).toContain('נשלחו יותר מדי בקשות בזמן קצר');
      // Another address is counted on its own.
      expect((await call(web[1]!, '/admin/signin/link?token=guess-4', '198.51.100.8')).status).toBe(401);
      expect((await call(web[0]!, '/admin/signin/link?token=guess-5', '198.51.100.7')).status).toBe(429);
    },
    STARTS,
  );

  it(
    'refuses one console link token refused too often, from any address and on either process',
    async () => {
      const web = await webProcesses(2, { SIGNIN_FAILURES_PER_ACCOUNT: '3' });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await call(web[i % 2]!, '/admin/signin/link?token=one-guess', `203.0.113.${i}`)).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect((await call(web[0]!, '/admin/signin/link?token=other-guess', '203.0.113.9')).status).toBe(401);
      // The printed link is another token: it still opens the dashboard.
      const link = new URL(web[0]!.signInLink!);
      expect((await call(web[0]!, `${link.pathname}${link.search}`, '203.0.113.9')).status).toBe(303);
    },
    STARTS,
  );

  it(
    'refuses an address that sent wrong bearer tokens, across two processes, even with the right one',
    async () => {
      const web = await webProcesses(2, { ADMIN_TOKEN: TOKEN, WRONG_TOKENS_PER_ADDRESS: '3' });
      const api = (i: number, token: string, address = '192.0.2.44') =>
        call(web[i % 2]!, '/admin/api/stats', address, { headers: { authorization: `Bearer ${token}` } });
      // The right token costs nothing, however often it is sent.
      for (let i = 0; i < 5; i++) expect((await api(i, TOKEN)).status).toBe(200);
      const wrong: Response[] = [];
      for (let i = 0; i < 4; i++) wrong.push(await api(i, `wrong-token-${i}-0123456789abcdef`));
      expect(wrong.slice(0, 3).map((r) => r.status)).toEqual([401, 401, 401]);
      const refused = wrong[3]!;
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await refused.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('rate_limited');
      expect(body.error.requestId).not.toBe('');
      // While the limit lasts the right token is refused too from there, or a guess would show when it hit.
      expect((await api(0, TOKEN)).status).toBe(429);
      expect((await api(1, TOKEN)).status).toBe(429);
      expect((await api(0, TOKEN, '192.0.2.45')).status).toBe(200);
      // /metrics takes the same token, and the same count.
      const metrics = await call(web[1]!, '/metrics', '192.0.2.44', {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(metrics.status).toBe(429);
    },
    STARTS,
  );

  it(
    'with Redis away, refuses sign-in and token calls (503, Retry-After) while intake still answers',
    async () => {
      const own = await startPrivateRedis();
      const [web] = await webProcesses(1, { ADMIN_TOKEN: TOKEN }, own.url);
      const service = web!;
      const link = new URL(service.signInLink!);
      await own.stop();
      try {
        await redisAway(service, link);
      } finally {
        // Back on its port, so the service stops as it does once Redis returns; stopped after everything else.
        const back = await startPrivateRedis(own.port);
        cleanups.unshift(() => back.stop());
      }
    },
    STARTS,
  );

  async function redisAway(service: RunningService, link: URL) {
    const signIn = await call(service, `${link.pathname}${link.search}`, '198.51.100.20');
    expect(signIn.status).toBe(503);
    expect(Number(signIn.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await signIn.text()).toContain('הכניסה אינה זמינה כרגע');
    const api = await call(service, '/admin/api/stats', '198.51.100.20', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(api.status).toBe(503);
    expect(Number(api.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unavailable');

    // The intake counts in this process meanwhile (its insurance limiter) and keeps taking applications.
    const intake = await call(service, '/api/cohorts/leading-team-2027/applications', '198.51.100.20', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validBody({ email: 'while-redis-is-away@example.org' })),
    });
    expect(intake.status).toBe(201);
  }
});
