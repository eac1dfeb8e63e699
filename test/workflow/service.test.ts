import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ical from 'node-ical';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { type GoogleFake, startGoogleFake } from '../fakes/google.ts';
import { validBody } from '../helpers/app.ts';
import { eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { dashboardVote } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const serviceAccount = JSON.stringify({
  type: 'service_account',
  client_email: 'kehila@example.iam.gserviceaccount.com',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});

describe('the whole service, as npm start wires it', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  async function start(env: Record<string, string>, google?: GoogleFake) {
    const dir = await mkdtemp(join(tmpdir(), 'kehila-service-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const mail = memoryMailer();
    const service: RunningService = await startService({
      config: parseConfig({
        PORT: '0',
        DATA_DIR: dir,
        REDIS_URL: TEST_REDIS_URL,
        ADMIN_TOKEN: TOKEN,
        ...(google
          ? {
              GOOGLE_CALENDAR_ID: 'programme@example.org',
              GOOGLE_SERVICE_ACCOUNT_JSON: serviceAccount,
              GOOGLE_IMPERSONATE: 'organiser@example.org',
              GOOGLE_API_ROOT_URL: google.rootUrl,
              GOOGLE_TOKEN_URL: google.tokenUrl,
            }
          : {}),
        ...env,
      }),
      logger: pino({ level: 'silent' }),
      settings: reviewSettings(),
      role: 'all',
      overrides: { mail, redisPrefix: randomPrefix('svc'), reconcileEveryMs: 60_000 },
    });
    cleanups.push(async () => {
      for (const q of Object.values(service.pipeline.queues.queues))
        await q.obliterate({ force: true }).catch(() => {});
      await service.stop();
    });
    const base = `http://127.0.0.1:${service.port}`;
    const admin = (path: string, body?: unknown) =>
      fetch(`${base}/admin/api${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    return { service, base, admin, mail };
  }

  async function applyAndAccept(s: Awaited<ReturnType<typeof start>>) {
    const res = await fetch(`${s.base}/api/cohorts/leading-team-2027/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validBody()),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const status = async () =>
      ((await (await s.admin(`/applications/${id}`)).json()) as { application: { status: string } })
        .application.status;
    await eventually(status, (x) => x === 'in_review');
    // The reviewers vote as themselves, signed in on the dashboard; the API token cannot vote.
    const ctx = { db: s.service.database.db, clock: () => new Date() };
    for (const identity of ['email:dana@example.org', 'email:rina@example.org']) {
      expect(await dashboardVote(s.service.app!, ctx, { identity, applicationId: id, vote: 'approve' })).toBe(
        303,
      );
    }
    expect(await eventually(status, (x) => x === 'onboarded')).toBe('onboarded');
    return id;
  }

  it('writes concurrent submissions over HTTP through the coalescer, and counts its commits', async () => {
    const s = await start({});
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${s.base}/api/cohorts/leading-team-2027/applications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(validBody({ email: `c${i}@example.org` })),
        }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(201));
    const metrics = await (
      await fetch(`${s.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    const figure = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(figure('kehila_intake_batch_size_sum')).toBe(12);
    expect(figure('kehila_intake_batch_size_count')).toBeLessThanOrEqual(12);
  });

  it('makes an accepted applicant an attendee of all five meetings exactly once, through Google', async () => {
    const google = await startGoogleFake();
    cleanups.push(() => google.close());
    const s = await start({}, google);
    await applyAndAccept(s);
    expect(google.events.size).toBe(5);
    for (const event of google.events.values()) {
      expect(event.attendees?.map((a) => a.email)).toEqual(['noa@example.org']);
    }
    const accepted = [...s.mail.sent.values()].find((m) => m.idempotencyKey.startsWith('accepted-'));
    expect(accepted?.attachments ?? []).toHaveLength(0);
    expect(google.tokenGrants.length).toBeGreaterThan(0);
  });

  it('without Google, sends the accepted person a valid invitation .ics and serves the feed', async () => {
    const s = await start({});
    const id = await applyAndAccept(s);
    const accepted = s.mail.sent.get(`accepted-${id}`);
    const ics = accepted?.attachments?.[0];
    expect(ics?.contentType).toContain('method=REQUEST');
    const events = Object.values(ical.sync.parseICS(ics?.content ?? '')).filter((c) => c?.type === 'VEVENT');
    expect(events).toHaveLength(5);
    expect(ics?.content).toContain('noa@example.org');
    const feed = await fetch(`${s.base}/cohorts/leading-team-2027/meetings.ics`);
    expect(
      Object.values(ical.sync.parseICS(await feed.text())).filter((c) => c?.type === 'VEVENT'),
    ).toHaveLength(5);
  });
});
