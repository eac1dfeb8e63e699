import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { issueSignInLink } from '../../src/usecases/staff-sessions.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { cookieFrom } from '../helpers/staff.ts';

const ORIGIN = 'http://localhost:3000';
const TOKEN = 'admin-token-for-console-link-0123';
const MINUTE = 60_000;

describe('the one-time sign-in link printed at start, with no provider configured', () => {
  let service: RunningService;
  let dir: string;
  let now = new Date('2027-01-10T08:00:00Z');
  const clock = () => now;
  const open = (link: string) => service.app!.request(link.replace(/^https?:\/\/[^/]+/, ORIGIN));
  const board = (cookie: string) =>
    service.app!.request(`${ORIGIN}/admin`, { headers: { cookie, accept: 'text/html' } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-link-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, ADMIN_TOKEN: TOKEN }),
      logger: pino({ level: 'silent' }),
      settings: {},
      role: 'web',
      clock,
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('link') },
    });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the dashboard once; the second visit is refused', async () => {
    expect(service.signInLink).toMatch(/\/admin\/signin\/link\?token=[\w-]{43}$/);
    const first = await open(service.signInLink!);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin');
    expect((await board(cookieFrom(first))).status).toBe(200);
    const again = await open(service.signInLink!);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('הקישור כבר נוצל');
    const stored = await service.database.db.selectFrom('sign_in_links').select('token_hash').execute();
    const token = new URL(service.signInLink!).searchParams.get('token');
    expect(stored.some((r) => r.token_hash === token)).toBe(false);
  });

  it('lasts 15 minutes, on the injected clock', async () => {
    const db = service.database.db;
    const late = await issueSignInLink({ db, clock }, 'console');
    const inTime = await issueSignInLink({ db, clock }, 'console');
    now = new Date(now.getTime() + 15 * MINUTE - 1000);
    expect((await open(`${ORIGIN}/admin/signin/link?token=${inTime}`)).status).toBe(303);
    now = new Date(now.getTime() + 1000);
    expect((await open(`${ORIGIN}/admin/signin/link?token=${late}`)).status).toBe(401);
  });

  it('keeps a session for 12 hours, on the same clock', async () => {
    const db = service.database.db;
    const res = await open(
      `${ORIGIN}/admin/signin/link?token=${await issueSignInLink({ db, clock }, 'console')}`,
    );
    const cookie = cookieFrom(res);
    now = new Date(now.getTime() + 12 * 60 * MINUTE - 1000);
    expect((await board(cookie)).status).toBe(200);
    now = new Date(now.getTime() + 1000);
    expect((await board(cookie)).status).toBe(302);
  });

  it('records what the admin API does under the api-token identity, and what staff do under their own', async () => {
    const workflows = loadWorkflows({});
    const body = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody({ email: 'api-token@example.org' }) },
      ),
    );
    const res = await service.app!.request(`${ORIGIN}/admin/api/applications/${body.id}/withdraw`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'asked by phone' }),
    });
    expect(res.status).toBe(200);
    const events = await service.database.db
      .selectFrom('application_events')
      .select('actor')
      .where('application_id', '=', body.id)
      .execute();
    expect(events.map((e) => e.actor)).toContain('api-token');
    expect(events.map((e) => e.actor)).not.toContain('staff');

    const link = await issueSignInLink({ db: service.database.db, clock }, 'console');
    const cookie = cookieFrom(await open(`${ORIGIN}/admin/signin/link?token=${link}`));
    await service.app!.request(`${ORIGIN}/admin/applications/${body.id}`, { headers: { cookie } });
    const audits = await service.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('target', '=', body.id)
      .execute();
    expect(audits).toContainEqual({ actor: 'console', action: 'view_application' });
    expect(audits.map((a) => a.actor)).not.toContain('staff');
  });
});
