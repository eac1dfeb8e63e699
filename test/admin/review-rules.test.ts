import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
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

const TOKEN = 'admin-token-for-tests-0123456789';
const ORIGIN = 'http://localhost:3000';
const COHORT = 'leading-team-2027';
const SECRET_NOTE = 'הערה חסויה לבדיקה';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A web service of its own (capacity counts the whole cohort), with the dashboard and the admin API. */
async function serve(opts: { capacity?: number; review?: Record<string, unknown> } = {}) {
  const base = reviewSettings(opts.review);
  const settings = { cohorts: { [COHORT]: { ...base.cohorts[COHORT], capacity: opts.capacity } } };
  const dir = await mkdtemp(join(tmpdir(), 'kehila-rules-'));
  const service: RunningService = await startService({
    config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, ADMIN_TOKEN: TOKEN }),
    logger: pino({ level: 'silent' }),
    settings,
    role: 'web',
    overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('rul') },
  });
  cleanups.push(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const workflows = loadWorkflows(settings);
  const inReview = async (overrides: Record<string, unknown> = {}) => {
    const body = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock: () => new Date() },
        {
          cohortId: COHORT,
          source: 'api',
          body: validBody({ email: `r${Math.random().toString(36).slice(2)}@example.org`, ...overrides }),
        },
      ),
    );
    await transition(service.database.db, {
      applicationId: body.id,
      from: ['submitted'],
      to: 'in_review',
      actor: 'system',
      at: new Date(),
    });
    return body.id;
  };
  const api = (method: string, path: string, body?: unknown) =>
    service.app!.request(`${ORIGIN}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const cookie = await staffCookie(service.app!, { db: service.database.db, clock: () => new Date() });
  const page = (path: string) =>
    service.app!.request(`${ORIGIN}/admin${path}`, { headers: { cookie, accept: 'text/html' } });
  const form = (path: string, fields: Record<string, string>) =>
    service.app!.request(`${ORIGIN}/admin${path}`, {
      method: 'POST',
      headers: {
        cookie,
        accept: 'text/html',
        origin: ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
    });
  const ctx = { db: service.database.db, clock: () => new Date() };
  /** A page or a form post by a named reviewer, signed in as themselves. */
  const as = async (identity: string) => {
    const own = await staffCookie(service.app!, ctx, identity, ORIGIN);
    return {
      page: (path: string) =>
        service.app!.request(`${ORIGIN}/admin${path}`, { headers: { cookie: own, accept: 'text/html' } }),
      vote: (id: string, vote: string, note?: string) =>
        service.app!.request(`${ORIGIN}/admin/applications/${id}/vote`, {
          method: 'POST',
          headers: {
            cookie: own,
            accept: 'text/html',
            origin: ORIGIN,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ vote, note: note ?? '' }).toString(),
        }),
    };
  };
  return { service, db: service.database.db, inReview, api, page, form, as };
}

describe('blind voting for staff', () => {
  it('shows neither the votes nor their notes on the application page or in the API until the decision', async () => {
    const s = await serve({ review: { blind: true } });
    const id = await s.inReview();
    const dana = await s.as('slack:UDANA0001');
    expect((await dana.vote(id, 'reject', SECRET_NOTE)).status).toBe(303);
    // Still open to change before the decision.
    expect((await dana.vote(id, 'approve')).status).toBe(303);

    const before = await (await s.api('GET', `/applications/${id}`)).text();
    expect(before).not.toContain('"approve"');
    expect(before).not.toContain('"reject"');
    expect(before).not.toContain(SECRET_NOTE);
    expect(JSON.parse(before).votes).toHaveLength(1);
    const html = await (await s.page(`/applications/${id}`)).text();
    expect(html).toContain('הצבעה עיוורת');
    expect(html).not.toContain('Dana: בעד');
    expect(html).not.toContain(SECRET_NOTE);

    expect((await (await s.as('slack:URINA0001')).vote(id, 'approve')).status).toBe(303);
    const after = (await (await s.api('GET', `/applications/${id}`)).json()) as {
      application: { status: string };
      votes: { vote: string; note: string | null }[];
    };
    expect(after.application.status).toBe('accepted');
    expect(after.votes.map((v) => v.vote)).toEqual(['approve', 'approve']);
    expect(after.votes[0]?.note).toBe(SECRET_NOTE);
    expect(await (await s.page(`/applications/${id}`)).text()).toContain('Dana: בעד');
  });
});

describe('conflicts of interest on the dashboard', () => {
  it('marks the conflicted reviewer before the vote, and records no vote in their name', async () => {
    const s = await serve();
    const id = await s.inReview({ organisation: 'עיריית באר-שבע' });
    const avi = await s.as('slack:UAVI00001');
    const html = await (await avi.page(`/applications/${id}`)).text();
    expect(html).toContain('ניגוד עניינים (הקול לא ייספר)');
    expect(html).not.toContain(`action="/admin/applications/${id}/vote"`);
    const dana = await (await (await s.as('slack:UDANA0001')).page(`/applications/${id}`)).text();
    expect(dana).toContain('ההצבעה שלי (Dana)');
    expect(dana).not.toContain('ניגוד עניינים');

    const refused = await avi.vote(id, 'approve');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('לא נרשמה');
    const votes = await s.db
      .selectFrom('votes')
      .select('reviewer')
      .where('application_id', '=', id)
      .execute();
    expect(votes).toEqual([]);
  });
});

describe('capacity for staff', () => {
  it('refuses an acceptance beyond capacity: 409 on the API, the reason on the dashboard', async () => {
    const s = await serve({ capacity: 1 });
    const first = await s.inReview();
    expect(
      (await s.api('POST', `/applications/${first}/decision`, { outcome: 'accepted', reason: 'מתאימה' }))
        .status,
    ).toBe(200);
    const second = await s.inReview();
    const res = await s.api('POST', `/applications/${second}/decision`, {
      outcome: 'accepted',
      reason: 'מתאים',
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('conflict');

    const page = await s.form(`/applications/${second}/decide`, {
      outcome: 'accepted',
      reason: 'מתאים',
      confirm: 'yes',
    });
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('המחזור מלא');
    const row = await s.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', second)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('in_review');
  });

  it('shows the applicant proposed from the waitlist with a one-click acceptance', async () => {
    const s = await serve({ capacity: 1 });
    const member = await s.inReview();
    await s.api('POST', `/applications/${member}/decision`, { outcome: 'accepted', reason: 'מתאימה' });
    const waiting = await s.inReview();
    await s.api('POST', `/applications/${waiting}/decision`, { outcome: 'waitlisted', reason: 'אין מקום' });
    expect(await (await s.page(`/applications/${waiting}`)).text()).not.toContain('מוצעת לקבלה');

    await s.api('POST', `/applications/${member}/withdraw`, { reason: 'moved' });
    const html = await (await s.page(`/applications/${waiting}`)).text();
    expect(html).toContain('מוצעת לקבלה');
    expect(html).toContain('קבלה מרשימת ההמתנה');
    expect(html).toMatch(/name="outcome" value="accepted"/);

    const accepted = await s.form(`/applications/${waiting}/decide`, {
      outcome: 'accepted',
      reason: 'התפנה מקום במחזור',
      confirm: 'yes',
    });
    expect(accepted.status).toBe(303);
    const row = await s.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', waiting)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('accepted');
  });
});
