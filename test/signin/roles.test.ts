import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { transition } from '../../src/storage/transition.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const ORIGIN = 'http://localhost:3000';
const SETTINGS = {
  ...reviewSettings(),
  staff: [{ name: 'צופה', email: 'viewer@example.org', roles: ['viewer'] }],
};

describe('roles on the dashboard', () => {
  let service: RunningService;
  let dir: string;
  let id = '';
  const ctx = () => ({ db: service.database.db, clock: () => new Date() });
  const post = (path: string, cookie: string, fields: Record<string, string>) =>
    service.app!.request(`${ORIGIN}/admin${path}`, {
      method: 'POST',
      headers: {
        cookie,
        origin: ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      body: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-roles-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL }),
      logger: pino({ level: 'silent' }),
      settings: SETTINGS,
      role: 'web',
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('role') },
    });
    const body = createdBody(
      await submitApplication(
        { db: service.database.db, workflows: loadWorkflows(SETTINGS), clock: () => new Date() },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody({ email: 'roles@example.org' }) },
      ),
    );
    id = body.id;
    await transition(service.database.db, {
      applicationId: id,
      from: ['submitted'],
      to: 'in_review',
      actor: 'system',
      at: new Date(),
    });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets a viewer read but change nothing', async () => {
    const cookie = await staffCookie(service.app!, ctx(), 'email:viewer@example.org');
    const page = await service.app!.request(`${ORIGIN}/admin/applications/${id}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect((await post(`/applications/${id}/withdraw`, cookie, { confirm: 'yes', reason: '' })).status).toBe(
      403,
    );
    expect((await post(`/applications/${id}/vote`, cookie, { vote: 'approve', note: '' })).status).toBe(403);
  });

  it('lets no coordinator vote, neither as themselves when not a reviewer nor as someone else', async () => {
    const cookie = await staffCookie(service.app!, ctx());
    const page = await (
      await service.app!.request(`${ORIGIN}/admin/applications/${id}`, { headers: { cookie } })
    ).text();
    expect(page).not.toContain(`action="/admin/applications/${id}/vote"`);
    const res = await post(`/applications/${id}/vote`, cookie, {
      reviewer: 'slack:UDANA0001',
      vote: 'approve',
      note: '',
    });
    expect(res.status).toBe(403);
    const votes = await service.database.db
      .selectFrom('votes')
      .select('reviewer')
      .where('application_id', '=', id)
      .execute();
    expect(votes).toEqual([]);
  });

  it('lets a configured reviewer vote in their own name only, recorded under their Slack id', async () => {
    const cookie = await staffCookie(service.app!, ctx(), 'slack:UDANA0001');
    // A form that names someone else (as the old "vote as" picker did) still votes as the signed-in person.
    const own = await post(`/applications/${id}/vote`, cookie, {
      reviewer: 'slack:UAVI00001',
      vote: 'approve',
      note: '',
    });
    expect(own.status).toBe(303);
    const votes = await service.database.db
      .selectFrom('votes')
      .select('reviewer')
      .where('application_id', '=', id)
      .execute();
    expect(votes).toEqual([{ reviewer: 'UDANA0001' }]);
    const audits = await service.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('target', '=', id)
      .execute();
    expect(audits).toContainEqual({ actor: 'dana@example.org', action: 'vote' });
    expect(
      (await post(`/applications/${id}/decide`, cookie, { outcome: 'accepted', reason: 'x', confirm: 'yes' }))
        .status,
    ).toBe(403);
  });

  it('asks a coordinator to confirm a decision and give its reason, and records both in their name', async () => {
    const cookie = await staffCookie(service.app!, ctx());
    const page = await (
      await service.app!.request(`${ORIGIN}/admin/applications/${id}`, { headers: { cookie } })
    ).text();
    expect(page).toMatch(/name="confirm" value="yes" required/);
    expect(page).toMatch(/<textarea id="reason" name="reason" required/);
    const unconfirmed = await post(`/applications/${id}/decide`, cookie, {
      outcome: 'declined',
      reason: 'לא מתאים',
    });
    expect(unconfirmed.status).toBe(400);
    const noReason = await post(`/applications/${id}/decide`, cookie, {
      outcome: 'declined',
      reason: '  ',
      confirm: 'yes',
    });
    expect(noReason.status).toBe(400);
    const row = () =>
      service.database.db
        .selectFrom('applications')
        .select(['status', 'decided_by'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await row()).status).toBe('in_review');
    const decided = await post(`/applications/${id}/decide`, cookie, {
      outcome: 'declined',
      reason: 'המחזור הזה מיועד לרשויות בדרום',
      confirm: 'yes',
    });
    expect(decided.status).toBe(303);
    expect(await row()).toEqual({ status: 'declined', decided_by: 'צוות התוכנית' });
    const event = await service.database.db
      .selectFrom('application_events')
      .select(['actor', 'data'])
      .where('application_id', '=', id)
      .where('type', '=', 'decided')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor: 'console', data: { reason: 'המחזור הזה מיועד לרשויות בדרום' } });
  });
});
