import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { type GoogleFake, startGoogleFake } from '../fakes/google.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { validBody } from '../helpers/app.ts';
import { eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-canary-tests-012345';
const CANARY = 'wheelchair-canary-4471';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('the accessibility needs a person gives reach staff and nobody else', () => {
  let service: RunningService;
  let dir: string;
  let slack: SlackFake;
  let google: GoogleFake;
  const lines: string[] = [];
  const mail = memoryMailer();
  const prefix = randomPrefix('a11y');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-a11y-'));
    slack = await startSlackFake();
    google = await startGoogleFake();
    slack.users.set('needs@example.org', 'UNEEDS001');
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    service = await startService({
      config: parseConfig({
        PORT: '0',
        DATA_DIR: dir,
        REDIS_URL: TEST_REDIS_URL,
        ADMIN_TOKEN: TOKEN,
        SLACK_BOT_TOKEN: 'xoxb-canary',
        SLACK_SIGNING_SECRET: 'canary-signing-secret-0123456789',
        SLACK_API_URL: slack.url,
        GOOGLE_CALENDAR_ID: 'programme@example.org',
        GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({
          client_email: 'kehila@example.iam.gserviceaccount.com',
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        }),
        GOOGLE_API_ROOT_URL: google.rootUrl,
        GOOGLE_TOKEN_URL: google.tokenUrl,
      }),
      logger: createLogger('debug', sink),
      settings: reviewSettings(),
      role: 'all',
      overrides: { mail, redisPrefix: prefix, cardPaceMs: 0 },
    });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await slack.close();
    await google.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is in PostgreSQL and on the staff page; in no Slack or Google call, Redis key, log line or e-mail', async () => {
    const base = `http://127.0.0.1:${service.port}`;
    const res = await fetch(`${base}/api/cohorts/leading-team-2027/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validBody({ email: 'needs@example.org', accessibilityNeeds: `נדרש ${CANARY}` })),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const admin = (path: string, body?: unknown) =>
      fetch(`${base}/admin/api${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const status = async () =>
      ((await (await admin(`/applications/${id}`)).json()) as { application: { status: string } }).application
        .status;
    await eventually(status, (s) => s === 'in_review');
    await eventually(
      async () => slack.count('chat.postMessage'),
      (n) => n >= 1,
    );
    expect((await admin(`/applications/${id}/decision`, { outcome: 'accepted', reason: 'fit' })).status).toBe(
      200,
    );
    expect(await eventually(status, (s) => s === 'onboarded')).toBe('onboarded');

    const stored = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM applications WHERE answers::text LIKE ${`%${CANARY}%`}`.execute(
      service.database.db,
    );
    expect(stored.rows[0]?.n).toBe('1');
    const cookie = await staffCookie(service.app!, { db: service.database.db, clock: () => new Date() });
    const page = await service.app!.request(`/admin/applications/${id}`, { headers: { cookie } });
    expect(await page.text()).toContain(CANARY);

    expect(slack.calls.length).toBeGreaterThan(3);
    expect(JSON.stringify(slack.calls)).not.toContain(CANARY);
    expect(google.calls.length).toBeGreaterThan(4);
    expect(JSON.stringify(google.calls)).not.toContain(CANARY);
    expect(JSON.stringify([...google.events.values()])).not.toContain(CANARY);
    expect(mail.sent.size).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify([...mail.sent.values()])).not.toContain(CANARY);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(CANARY);
    const redis = new Redis(TEST_REDIS_URL, { protocol: 2 });
    try {
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        if ((await redis.type(key)) !== 'hash') continue;
        expect(JSON.stringify(await redis.hgetall(key)), key).not.toContain(CANARY);
      }
    } finally {
      redis.disconnect();
    }
  });
});
