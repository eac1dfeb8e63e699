import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationStatus } from '../../src/domain/lifecycle.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import {
  applicationDetail,
  boardColumns,
  listApplications,
  type StaffQueryContext,
} from '../../src/usecases/staff-queries.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';

const COHORT = 'leading-team-2027';
// The lifecycle trigger refuses a jump, so each fixture walks the path an application really takes.
const PATH: Record<string, ApplicationStatus[]> = {
  submitted: [],
  in_review: ['in_review'],
  accepted: ['in_review', 'accepted'],
  onboarding: ['in_review', 'accepted', 'onboarding'],
  waitlisted: ['in_review', 'waitlisted'],
  withdrawn: ['withdrawn'],
};
const page = { limit: 50, offset: 0 };
const DANA = { actor: 'email:dana@example.org', reviewer: { slackId: 'UDANA0001' } };
const RINA = { actor: 'email:rina@example.org', reviewer: { email: 'rina@example.org' } };
const STRANGER = { actor: 'email:someone@example.org', reviewer: { email: 'someone@example.org' } };
const TOKEN = { actor: 'api-token' };

describe.each(backends)('the staff queries on $name', (backend) => {
  let database: OpenedDatabase;
  let now = new Date('2026-12-10T10:00:00Z');
  let ctx: StaffQueryContext;
  const ids: Record<string, string> = {};

  async function seed(
    key: string,
    status: string,
    body: Record<string, unknown>,
    extra: { deadline?: string; flags?: string[] } = {},
  ) {
    const made = createdBody(
      await submitApplication(
        { db: database.db, workflows: ctx.workflows, clock: () => now },
        { cohortId: COHORT, source: 'api', body: validBody({ email: `${key}@example.org`, ...body }) },
      ),
    );
    const id = made.id as string;
    for (const to of PATH[status] ?? [])
      await database.db.updateTable('applications').set({ status: to }).where('id', '=', id).execute();
    await database.db
      .updateTable('applications')
      .set({
        flags: JSON.stringify(extra.flags ?? []) as never,
        ...(extra.deadline ? { review_deadline: new Date(extra.deadline) } : {}),
      })
      .where('id', '=', id)
      .execute();
    ids[key] = id;
    return id;
  }
  const vote = (id: string, reviewer: string, choice: string, counted = true) =>
    database.db
      .insertInto('votes')
      .values({
        application_id: id,
        reviewer,
        reviewer_name: reviewer,
        vote: choice,
        note: null,
        counted,
        at: now,
      })
      .execute();
  const step = (id: string, name: string, status: string) =>
    database.db
      .insertInto('steps')
      .values({
        application_id: id,
        step: name,
        status,
        generation: 1,
        attempts: 1,
        last_error: status === 'failed' ? 'boom' : null,
        detail: '{}' as never,
        updated_at: now,
      })
      .execute();
  const refs = (rows: { id: string }[]) =>
    rows.map((r) => Object.entries(ids).find(([, v]) => v === r.id)?.[0]).sort();
  const audits = () =>
    database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'detail'])
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    database = await backend.open();
    ctx = { db: database.db, workflows: loadWorkflows(reviewSettings()), clock: () => now };
    await seed('fresh', 'submitted', { fullName: 'יעל ברק', organisation: 'מועצה אזורית מרחבים' });
    const early = await seed(
      'early',
      'in_review',
      { fullName: 'אורי לוי', organisation: 'עיריית באר שבע' },
      { deadline: '2026-12-09T10:00:00Z', flags: ['attendance'] },
    );
    const late = await seed(
      'late',
      'in_review',
      { fullName: 'סמיר חלבי', organisation: 'עיריית ירוחם' },
      { deadline: '2026-12-12T10:00:00Z' },
    );
    await seed('accepted', 'accepted', { fullName: 'דנה שמיר' });
    const onboarding = await seed('onboarding', 'onboarding', { fullName: 'מאיה רון' });
    await seed('waiting', 'waitlisted', { fullName: 'רועי גל' }, { flags: ['proposed_from_waitlist'] });
    await seed('gone', 'withdrawn', { fullName: 'תמר אבן', organisation: 'רשת אורט' });
    await vote(early, 'UDANA0001', 'approve');
    await vote(early, 'UAVI00001', 'approve', false);
    // A reviewer listed with a Slack id votes under it, wherever they signed in.
    await vote(late, 'URINA0001', 'reject');
    await step(onboarding, 'calendar', 'failed');
    await step(onboarding, 'slack', 'done');
    await step(ids.accepted as string, 'notice', 'failed');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('searches by name, e-mail, reference and organisation, and filters by cohort, status and flag', async () => {
    const list = async (filter: Parameters<typeof listApplications>[2]) =>
      refs((await listApplications(ctx, TOKEN, filter, page)).applications);
    expect(await list({ q: 'לוי' })).toEqual(['early']);
    expect(await list({ q: 'GONE@EXAMPLE' })).toEqual(['gone']);
    const ref = (await applicationDetail(ctx, TOKEN, ids.late as string)).application.reference;
    expect(await list({ q: ref.toLowerCase() })).toEqual(['late']);
    expect(await list({ q: 'אורט' })).toEqual(['gone']);
    // A LIKE wildcard in the search is a character to find, not a pattern.
    expect(await list({ q: '%' })).toEqual([]);
    expect(await list({ cohort: COHORT })).toHaveLength(7);
    expect(await list({ cohort: 'another-cohort' })).toEqual([]);
    expect(await list({ status: 'in_review' })).toEqual(['early', 'late']);
    expect(await list({ status: 'no-such-status' })).toEqual([]);
    expect(await list({ flag: 'attendance' })).toEqual(['early']);
    expect(await list({ status: 'in_review', q: 'סמיר' })).toEqual(['late']);
  });

  it('finds a failed step by its name, or any failed step', async () => {
    const list = async (failedStep: 'any' | 'calendar' | 'slack' | 'notice') =>
      refs((await listApplications(ctx, TOKEN, { failedStep }, page)).applications);
    expect(await list('calendar')).toEqual(['onboarding']);
    expect(await list('slack')).toEqual([]);
    expect(await list('notice')).toEqual(['accepted']);
    expect(await list('any')).toEqual(['accepted', 'onboarding']);
  });

  it('says a deadline passed by the injected clock', async () => {
    const passed = async () =>
      refs((await listApplications(ctx, TOKEN, { deadlinePassed: true }, page)).applications);
    expect(await passed()).toEqual(['early']);
    const before = now;
    now = new Date('2026-12-13T00:00:00Z');
    try {
      expect(await passed()).toEqual(['early', 'late']);
      const review = (await boardColumns(ctx, TOKEN, {}, 10)).find((c) => c.status === 'in_review');
      expect(review?.cards.map((c) => c.review?.overdue)).toEqual([true, true]);
    } finally {
      now = before;
    }
    now = new Date('2026-12-01T00:00:00Z');
    try {
      expect(await passed()).toEqual([]);
    } finally {
      now = before;
    }
  });

  it("shows each reviewer the applications missing their own vote, and no one else's", async () => {
    const missing = async (viewer: Parameters<typeof listApplications>[1]) =>
      refs((await listApplications(ctx, viewer, { myVoteMissing: true }, page)).applications);
    expect(await missing(DANA)).toEqual(['late']);
    expect(await missing(RINA)).toEqual(['early']);
    // Neither a member of staff the cohort does not list nor the token owes a vote.
    expect(await missing(STRANGER)).toEqual([]);
    expect(await missing(TOKEN)).toEqual([]);
    const board = await boardColumns(ctx, DANA, { myVoteMissing: true }, 10);
    expect(board.map((c) => [c.status, c.count]).filter(([, n]) => n)).toEqual([['in_review', 1]]);
  });

  it('lays out the board by stage, with counts, votes against the quorum, conflicts and failed steps', async () => {
    const board = await boardColumns(ctx, RINA, {}, 10);
    expect(board.map((c) => c.status)).toEqual([
      'submitted',
      'in_review',
      'accepted',
      'onboarding',
      'onboarded',
      'waitlisted',
      'declined',
      'withdrawn',
    ]);
    expect(board.map((c) => c.count)).toEqual([1, 2, 1, 1, 0, 1, 0, 1]);
    const review = board[1]?.cards ?? [];
    // The soonest deadline first; a vote set aside for a conflict is not counted.
    expect(review.map((c) => c.id)).toEqual([ids.early, ids.late]);
    expect(review[0]?.review).toMatchObject({ votes: 1, quorum: 2, conflict: true, overdue: true });
    expect(review[1]?.review).toMatchObject({ votes: 1, quorum: 2, conflict: false, overdue: false });
    expect(review[0]?.review?.deadline).toBe('2026-12-09T10:00:00.000Z');
    expect(board[3]?.cards[0]?.failedSteps).toEqual(['calendar']);
    expect(board[2]?.cards[0]?.failedSteps).toEqual(['notice']);
    expect(board[4]?.cards).toEqual([]);
    const few = await boardColumns(ctx, RINA, {}, 1);
    expect(few[1]).toMatchObject({ count: 2 });
    expect(few[1]?.cards).toHaveLength(1);
    const searched = await boardColumns(ctx, RINA, { q: 'אורט' }, 10);
    expect(searched.map((c) => c.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('keeps the votes blind on the detail until the decision', async () => {
    const blind = { ...ctx, workflows: loadWorkflows(reviewSettings({ blind: true })) };
    const detail = await applicationDetail(blind, TOKEN, ids.early as string);
    expect(detail.votesHidden).toBe(true);
    expect(detail.votes.map((v) => v.vote)).toEqual([undefined, undefined]);
    const open = await applicationDetail(ctx, TOKEN, ids.early as string);
    expect(open.votes.map((v) => v.vote)).toEqual(['approve', 'approve']);
    await expect(applicationDetail(ctx, TOKEN, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject(
      {
        code: 'not_found',
      },
    );
  });

  it('writes an audit row with the actor for every read, never the search text', async () => {
    const before = (await audits()).length;
    await listApplications(ctx, TOKEN, { q: 'סמיר', status: 'in_review' }, page);
    await applicationDetail(ctx, DANA, ids.late as string);
    await boardColumns(ctx, RINA, { flag: 'attendance' }, 10);
    const rows = (await audits()).slice(before);
    expect(rows).toEqual([
      {
        actor: 'api-token',
        action: 'list_applications',
        target: null,
        detail: { filter: { status: 'in_review', search: true }, offset: 0, count: 1 },
      },
      { actor: DANA.actor, action: 'view_application', target: ids.late, detail: {} },
      {
        actor: RINA.actor,
        action: 'view_board',
        target: null,
        detail: { filter: { flag: 'attendance' }, count: 1 },
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('סמיר');
  });

  it('answers nothing when its audit row cannot be written: the read and the row are one transaction', async () => {
    const before = (await audits()).length;
    await sql`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused'; END $$`.execute(database.db);
    await sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`.execute(
      database.db,
    );
    try {
      await expect(listApplications(ctx, TOKEN, {}, page)).rejects.toThrow(/audit refused/);
      await expect(applicationDetail(ctx, TOKEN, ids.early as string)).rejects.toThrow(/audit refused/);
      await expect(boardColumns(ctx, TOKEN, {}, 10)).rejects.toThrow(/audit refused/);
    } finally {
      await sql`DROP TRIGGER refuse_audit ON audit_log`.execute(database.db);
      await sql`DROP FUNCTION refuse_audit()`.execute(database.db);
    }
    expect((await audits()).length).toBe(before);
    // The connection is usable again afterwards: nothing was left half-open.
    expect((await listApplications(ctx, TOKEN, {}, page)).applications).toHaveLength(7);
  });
});
