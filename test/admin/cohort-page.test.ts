import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { decide } from '../../src/usecases/review.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { recordingCalendar } from '../helpers/fakes.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const ORIGIN = 'http://localhost:3000';
const COHORT = 'leading-team-2027';
const base = reviewSettings();
const SETTINGS = {
  cohorts: { [COHORT]: { ...base.cohorts[COHORT], capacity: 25 } },
  staff: [
    { name: 'צופה', email: 'viewer@example.org', roles: ['viewer'] },
    { name: 'מתאמת', email: 'coord@example.org', roles: ['coordinator'] },
  ],
};
const NEEDS = 'כיסא גלגלים <script>alert(1)</script>';

describe('the cohort page', () => {
  let service: RunningService;
  let dir: string;
  let id = '';
  const workflows = loadWorkflows(SETTINGS);
  const ctx = () => ({ db: service.database.db, clock: () => new Date() });
  const page = async (path: string, who: string) =>
    service.app!.request(`${ORIGIN}${path}`, {
      headers: { cookie: await staffCookie(service.app!, ctx(), who), accept: 'text/html' },
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-cohort-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL }),
      logger: pino({ level: 'silent' }),
      settings: SETTINGS,
      role: 'all',
      overrides: { mail: memoryMailer(), calendar: recordingCalendar(), redisPrefix: randomPrefix('coh') },
    });
    const submitted = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock: () => new Date() },
        {
          cohortId: COHORT,
          source: 'api',
          body: validBody({
            fullName: 'מיכל "בן" דוד',
            organisation: 'מועצה אזורית רמת נגב',
            accessibilityNeeds: NEEDS,
          }),
        },
      ),
    );
    id = submitted.id;
    service.pipeline.relay.poke();
    const status = async () =>
      (
        await service.database.db
          .selectFrom('applications')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst()
      )?.status;
    await eventually(status, (s) => s === 'in_review');
    await decide(
      { ...ctx(), workflows, publicUrl: ORIGIN, poke: service.pipeline.relay.poke },
      { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' },
    );
    await eventually(status, (s) => s === 'onboarded');
  }, 60_000);
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is linked from the staff navigation, and lists each cohort with its places', async () => {
    const board = await (await page('/admin/checkins', 'email:viewer@example.org')).text();
    expect(board).toContain('href="/admin/cohorts"');
    const list = await page('/admin/cohorts', 'email:viewer@example.org');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain(`href="/admin/cohorts/${COHORT}"`);
    expect(html).toContain('1 מתוך 25 מקומות תפוסים');
  });

  it('shows a coordinator each meeting in Israel time with who is coming and the arrangements, escaped', async () => {
    const res = await page(`/admin/cohorts/${COHORT}`, 'email:coord@example.org');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="he" dir="rtl">');
    expect(html).toContain('1 מתוך 25 מקומות תפוסים');
    // The opening day, 2027-03-11 09:00 in Israel (07:00 UTC), its times isolated left to right.
    expect(html).toMatch(
      /יום חמישי, 11 במרץ 2027, <time dir="ltr" datetime="2027-03-11T07:00:00.000Z">09:00–/,
    );
    expect(html).toContain('פנים אל פנים');
    expect(html).toContain('מקוון');
    expect(html).toContain(`href="/admin/applications/${id}"`);
    expect(html).toContain('<bdi>מיכל &quot;בן&quot; דוד</bdi>');
    expect(html).toContain('<bdi>מועצה אזורית רמת נגב</bdi>');
    expect(html).toContain('כיסא גלגלים &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const meetings = workflows.cohorts.get(COHORT)!.meetings.length;
    expect(html.split('משתתפים במפגש (1)').length - 1).toBe(meetings);
  });

  it('shows a viewer how many arrangements there are, never what they are, and audits each view', async () => {
    const res = await page(`/admin/cohorts/${COHORT}`, 'email:viewer@example.org');
    const html = await res.text();
    expect(html).not.toContain('כיסא גלגלים');
    expect(html).toContain('1 משתתפים ביקשו התאמות נגישות. הפרטים מוצגים לצוות התיאום בלבד.');
    const audits = await service.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'view_cohort')
      .where('target', '=', COHORT)
      .orderBy('id')
      .execute();
    expect(audits.map((a) => [a.actor, a.detail])).toEqual([
      ['coord@example.org', { accessibilityNeeds: true }],
      ['viewer@example.org', { accessibilityNeeds: false }],
    ]);
  });

  it('answers an unknown cohort with 404 and a malformed one with 400, never a 500', async () => {
    expect((await page('/admin/cohorts/no-such-cohort', 'email:coord@example.org')).status).toBe(404);
    expect((await page('/admin/cohorts/NOT%20A%20SLUG', 'email:coord@example.org')).status).toBe(400);
    expect((await page('/admin/cohorts/%00', 'email:coord@example.org')).status).toBe(400);
  });
});
