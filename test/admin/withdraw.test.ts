import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { recordedSlackId, recordingCalendar, recordingSlack } from '../helpers/fakes.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-withdrawal-tests-01';
const ORIGIN = 'http://localhost:3000';
const CHANNELS = ['CCOHORT01', 'CCOHORT02', 'CCOHORT03'];

describe('withdrawal from the dashboard and the admin API', () => {
  let service: RunningService;
  let dir: string;
  let cookie = '';
  const calendar = recordingCalendar();
  const slack = recordingSlack();
  const mail = memoryMailer();
  const workflows = loadWorkflows(reviewSettings());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-withdraw-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, ADMIN_TOKEN: TOKEN }),
      logger: pino({ level: 'silent' }),
      settings: reviewSettings(),
      role: 'all',
      overrides: { mail, calendar, slack, redisPrefix: randomPrefix('wd') },
    });
    cookie = await staffCookie(service.app!, { db: service.database.db, clock: () => new Date() });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (id: string) =>
    (
      await service.database.db
        .selectFrom('applications')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst()
    )?.status;

  async function onboardedMember(email: string): Promise<string> {
    const body = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock: () => new Date() },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody({ email, phone: '052-5550101' }) },
      ),
    );
    service.pipeline.relay.poke();
    await eventually(
      () => status(body.id),
      (s) => s === 'in_review',
    );
    const decided = await service.app!.request(`/admin/api/applications/${body.id}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'accepted', byName: 'Staff', reason: 'strong fit' }),
    });
    expect(decided.status).toBe(200);
    await eventually(
      () => status(body.id),
      (s) => s === 'onboarded',
    );
    return body.id;
  }

  const page = (path: string, form: Record<string, string>) =>
    service.app!.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie },
      body: new URLSearchParams(form).toString(),
    });

  it('offers the withdrawal with a reason and a confirmation, and refuses it unconfirmed', async () => {
    const id = await onboardedMember('dashboard-leaver@example.org');
    const detail = await service.app!.request(`/admin/applications/${id}`, { headers: { cookie } });
    const html = await detail.text();
    expect(html).toContain(`/admin/applications/${id}/withdraw`);
    expect(html).toMatch(/name="confirm"[^>]*required/);

    expect((await page(`/admin/applications/${id}/withdraw`, { reason: 'no' })).status).toBe(400);
    expect(await status(id)).toBe('onboarded');

    const done = await page(`/admin/applications/${id}/withdraw`, {
      confirm: 'yes',
      reason: 'עברה לתפקיד אחר\nבמשרד החינוך',
    });
    expect(done.status).toBe(303);
    expect(await status(id)).toBe('withdrawn');
    const member = recordedSlackId('dashboard-leaver@example.org');
    expect(
      await eventually(
        async () => CHANNELS.filter((c) => slack.members.get(c)?.has(member)).length,
        (n) => n === 0,
      ),
    ).toBe(0);
    expect([...calendar.attendees.values()].flat()).not.toContain('dashboard-leaver@example.org');
    const event = await service.database.db
      .selectFrom('application_events')
      .select(['actor', 'data'])
      .where('application_id', '=', id)
      .where('type', '=', 'status_withdrawn')
      .executeTakeFirstOrThrow();
    expect(event.data).toMatchObject({ reason: 'עברה לתפקיד אחר\nבמשרד החינוך' });
  });

  it('withdraws through the admin API with no reason, and answers 409 the second time', async () => {
    const id = await onboardedMember('api-leaver@example.org');
    const call = () =>
      service.app!.request(`/admin/api/applications/${id}/withdraw`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await call()).status).toBe(200);
    expect(await status(id)).toBe('withdrawn');
    const again = await call();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect(await eventually(async () => mail.sent.has(`withdrawn-${id}`), Boolean)).toBe(true);
  });

  it('answers a call without the token 401 in the error shape, and says how to authenticate', async () => {
    const res = await service.app!.request('/admin/api/applications');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.requestId).not.toBe('');
  });
});
