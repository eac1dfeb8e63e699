import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import {
  intakeLimits,
  sharedRateLimiter,
  strictFailureLimiter,
  strictRateLimiter,
} from '../../integrations/rate-limit.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';

const redis = new Redis(TEST_REDIS_URL, { protocol: 2, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
beforeAll(async () => {
  // Counted in Redis only once the connection is up; before that the per-process fallback counts.
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
});
afterAll(() => redis.disconnect());

describe('limits shared by every web process', () => {
  it('counts one limit across two limiters on one Redis, with Retry-After when over', async () => {
    const rule = { limit: 5, windowMs: 60_000, keyPrefix: randomPrefix('lim') };
    const processes = [sharedRateLimiter(redis, rule), sharedRateLimiter(redis, rule)];
    const verdicts = [];
    for (let i = 0; i < 8; i++) verdicts.push(await processes[i % 2]!.take('ip:203.0.113.9', Date.now()));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
    const refused = verdicts[5]!;
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect((await processes[0]!.take('ip:198.51.100.1', Date.now())).ok).toBe(true);
  });

  it('keeps limiting in this process when Redis cannot answer, and never throws', async () => {
    const away = new Redis('redis://127.0.0.1:1', {
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    away.on('error', () => {});
    const limiter = sharedRateLimiter(away, { limit: 2, windowMs: 60_000, keyPrefix: randomPrefix('lim') });
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await limiter.take('email:x@example.org', Date.now()));
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, false]);
    away.disconnect();
  });

  it('fails closed without insurance: with Redis away the strict limiters refuse, and never throw', async () => {
    const away = new Redis('redis://127.0.0.1:1', {
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    away.on('error', () => {});
    const rule = { limit: 5, windowMs: 60_000, keyPrefix: randomPrefix('lim') };
    const attempts = strictRateLimiter(away, rule);
    const failures = strictFailureLimiter(away, rule);
    for (const verdict of [
      await attempts.take('signin:198.51.100.1', Date.now()),
      await failures.check('token:198.51.100.1', Date.now()),
      await failures.fail('token:198.51.100.1', Date.now()),
    ]) {
      expect(verdict).toMatchObject({ ok: false, unavailable: true });
      if (!verdict.ok) expect(verdict.retryAfterSeconds).toBeGreaterThan(0);
    }
    away.disconnect();
  });

  it('counts failures only: a key is refused once it failed the limit, across two limiters on one Redis', async () => {
    const rule = { limit: 3, windowMs: 60_000, keyPrefix: randomPrefix('lim') };
    const processes = [strictFailureLimiter(redis, rule), strictFailureLimiter(redis, rule)];
    const key = 'token:192.0.2.1';
    for (let i = 0; i < 10; i++) expect((await processes[i % 2]!.check(key, Date.now())).ok).toBe(true);
    for (let i = 0; i < 3; i++) await processes[i % 2]!.fail(key, Date.now());
    const refused = await processes[1]!.check(key, Date.now());
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.unavailable).toBeUndefined();
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    expect((await processes[0]!.check('token:192.0.2.2', Date.now())).ok).toBe(true);
  });

  it('takes the intake limits from the settings, defaults 30 per address and 5 per e-mail', async () => {
    const config = parseConfig({ INTAKE_SUBMISSIONS_PER_ADDRESS: '3', INTAKE_SUBMISSIONS_PER_EMAIL: '1' });
    const limits = intakeLimits(redis, randomPrefix('set'), {
      perAddress: config.INTAKE_SUBMISSIONS_PER_ADDRESS,
      perEmail: config.INTAKE_SUBMISSIONS_PER_EMAIL,
    });
    const now = Date.now();
    for (let i = 0; i < 3; i++) expect((await limits.ip.take('203.0.113.7', now)).ok).toBe(true);
    expect((await limits.ip.take('203.0.113.7', now)).ok).toBe(false);
    expect((await limits.email.take('a@example.org', now)).ok).toBe(true);
    expect((await limits.email.take('a@example.org', now)).ok).toBe(false);
    const defaults = parseConfig({});
    expect([defaults.INTAKE_SUBMISSIONS_PER_ADDRESS, defaults.INTAKE_SUBMISSIONS_PER_EMAIL]).toEqual([30, 5]);
  });

  it('refuses the sixth submission of one e-mail spread over two web processes', async () => {
    const prefix = randomPrefix('web');
    const services: RunningService[] = [];
    const dirs: string[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const dir = await mkdtemp(join(tmpdir(), 'kehila-limits-'));
        dirs.push(dir);
        services.push(
          await startService({
            config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL }),
            logger: pino({ level: 'silent' }),
            settings: undefined,
            role: 'web',
            overrides: { mail: memoryMailer(), redisPrefix: prefix },
          }),
        );
      }
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await fetch(
          `http://127.0.0.1:${services[i % 2]!.port}/api/cohorts/leading-team-2027/applications`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(validBody({ email: 'twice-over@example.org' })),
          },
        );
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      expect(statuses.slice(0, 5).every((s) => s === 200 || s === 201)).toBe(true);
      expect(statuses[5]).toBe(429);
    } finally {
      for (const s of services) await s.stop();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });
});
