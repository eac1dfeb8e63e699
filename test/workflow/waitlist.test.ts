import { afterEach, describe, expect, it } from 'vitest';
import { ENROLLED } from '../../src/domain/lifecycle.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { withdraw } from '../../src/usecases/onboarding.ts';
import { cardView, castVote, decide, type ReviewContext } from '../../src/usecases/review.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { backends } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';

const COHORT = 'leading-team-2027';

/** The test review settings with a capacity on the cohort. */
function withCapacity(capacity: unknown, review: Record<string, unknown> = {}) {
  const base = reviewSettings(review);
  return { cohorts: { [COHORT]: { ...base.cohorts[COHORT], capacity } } };
}

describe('a cohort capacity in the workflow', () => {
  it('is an optional positive whole number', () => {
    expect(loadWorkflows(withCapacity(12)).cohorts.get(COHORT)).toMatchObject({ capacity: 12 });
    expect(loadWorkflows(reviewSettings()).cohorts.get(COHORT)).not.toHaveProperty('capacity');
    for (const bad of [0, -1, 2.5, 'ten']) expect(() => loadWorkflows(withCapacity(bad))).toThrow();
  });
});

describe.each(backends)('capacity and the waitlist on $name', (backend) => {
  const open: OpenedDatabase[] = [];
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
  });

  /** A fresh database (capacity counts the whole cohort) and a clock that moves a second per call. */
  async function engine(settings: unknown) {
    const database = await backend.open();
    open.push(database);
    let now = Date.parse('2027-01-03T08:00:00Z');
    const clock = () => {
      now += 1000;
      return new Date(now);
    };
    const ctx: ReviewContext = {
      db: database.db,
      workflows: loadWorkflows(settings),
      clock,
      publicUrl: 'http://localhost:3000',
    };
    let seq = 0;
    const inReview = async () => {
      seq += 1;
      const body = createdBody(
        await submitApplication(
          { db: database.db, workflows: ctx.workflows, clock },
          {
            cohortId: COHORT,
            source: 'api',
            body: {
              fullName: `מועמדת ${seq}`,
              email: `c${seq}@example.org`,
              phone: `+97250${String(7_100_000 + seq)}`,
              organisation: 'עיריית ירוחם',
              roleTitle: 'מנהלת',
              sector: 'local-authority',
              region: 'south',
              motivation: 'רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
              consent: true,
            },
          },
        ),
      );
      await transition(database.db, {
        applicationId: body.id,
        from: ['submitted'],
        to: 'in_review',
        actor: 'system',
        at: clock(),
      });
      return body.id;
    };
    const accept = (id: string) =>
      decide(ctx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    const waitlist = (id: string) =>
      decide(ctx, { applicationId: id, outcome: 'waitlisted', actor: 'staff', byName: 'Staff' });
    const row = (id: string) =>
      database.db
        .selectFrom('applications')
        .select(['status', 'flags'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const events = (id: string, type: string) =>
      database.db
        .selectFrom('application_events')
        .select(['actor', 'data'])
        .where('application_id', '=', id)
        .where('type', '=', type)
        .orderBy('id')
        .execute();
    return { ctx, db: database.db, inReview, accept, waitlist, row, events };
  }

  it('refuses an explicit acceptance beyond capacity, from review and from the waitlist', async () => {
    const e = await engine(withCapacity(1));
    await e.accept(await e.inReview());
    const next = await e.inReview();
    const refused = await e.accept(next).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'conflict', status: 409 });
    expect((refused as { staffText: string }).staffText).toContain('המחזור מלא');
    expect((await e.row(next)).status).toBe('in_review');

    await e.waitlist(next);
    await expect(e.accept(next)).rejects.toMatchObject({ code: 'conflict' });
    expect((await e.row(next)).status).toBe('waitlisted');
  });

  it('waitlists, with the reason, an applicant whose approvals meet the quorum in a full cohort', async () => {
    const e = await engine(withCapacity(1));
    await e.accept(await e.inReview());
    const id = await e.inReview();
    await castVote(e.ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' });
    const last = await castVote(e.ctx, {
      applicationId: id,
      reviewer: { slackId: 'URINA0001' },
      vote: 'approve',
    });
    expect(last.kind).toBe('decided');
    expect((await e.row(id)).status).toBe('waitlisted');
    expect((await e.events(id, 'decided'))[0]?.data).toMatchObject({
      outcome: 'waitlisted',
      via: 'votes',
      reason: 'capacity',
    });
  });

  it('never enrols more than the capacity, however many acceptances race', async () => {
    const e = await engine(withCapacity(3));
    const ids = await Promise.all(Array.from({ length: 8 }, () => e.inReview()));
    const results = await Promise.allSettled(ids.map((id) => e.accept(id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    const enrolled = await e.db
      .selectFrom('applications')
      .select('id')
      .where('cohort', '=', COHORT)
      .where('status', 'in', ENROLLED)
      .execute();
    expect(enrolled).toHaveLength(3);
  });

  it('proposes the earliest waitlisted applicant when a member withdraws, and accepts nobody by itself', async () => {
    const e = await engine(withCapacity(2, { deciders: ['URINA0001'] }));
    const members = [await e.inReview(), await e.inReview()];
    for (const m of members) await e.accept(m);
    const [first, second, third] = [await e.inReview(), await e.inReview(), await e.inReview()];
    for (const w of [first!, second!, third!]) await e.waitlist(w);

    await withdraw(e.ctx, { applicationId: members[0]!, actor: 'staff' });
    expect(await e.row(first!)).toMatchObject({ status: 'waitlisted' });
    expect((await e.row(first!)).flags).toContain('proposed_from_waitlist');
    expect(await e.events(first!, 'proposed_from_waitlist')).toHaveLength(1);
    expect((await e.row(second!)).flags).not.toContain('proposed_from_waitlist');
    expect((await cardView(e.ctx, first!))?.flags).toContain('proposed_from_waitlist');
    // The card shows the proposal through its one writer, the card job, queued with the withdrawal.
    const cardJobs = await e.db
      .selectFrom('outbox')
      .select('job_id')
      .where('application_id', '=', first!)
      .where('job_id', 'like', 'card-%')
      .execute();
    expect(cardJobs.length).toBeGreaterThanOrEqual(2);

    // A second place opens: the next in line is proposed, not the one already proposed again.
    await withdraw(e.ctx, { applicationId: members[1]!, actor: 'staff' });
    expect((await e.row(second!)).flags).toContain('proposed_from_waitlist');
    expect(await e.events(first!, 'proposed_from_waitlist')).toHaveLength(1);
    expect((await e.row(third!)).flags).not.toContain('proposed_from_waitlist');
    for (const w of [first!, second!, third!]) expect((await e.row(w)).status).toBe('waitlisted');

    await e.accept(first!);
    expect(await e.row(first!)).toMatchObject({ status: 'accepted' });
    expect((await e.row(first!)).flags).not.toContain('proposed_from_waitlist');
  });

  it('proposes nobody when someone who held no place withdraws', async () => {
    const e = await engine(withCapacity(1));
    const waiting = await e.inReview();
    await e.waitlist(waiting);
    await withdraw(e.ctx, { applicationId: await e.inReview(), actor: 'staff' });
    expect((await e.row(waiting)).flags).not.toContain('proposed_from_waitlist');
    expect(await e.events(waiting, 'proposed_from_waitlist')).toHaveLength(0);
  });

  it('offers the place to the next in line when the person it was offered to is declined', async () => {
    const e = await engine(withCapacity(1, { deciders: ['URINA0001'] }));
    const member = await e.inReview();
    await e.accept(member);
    const [first, second] = [await e.inReview(), await e.inReview()];
    for (const w of [first!, second!]) await e.waitlist(w);
    await withdraw(e.ctx, { applicationId: member, actor: 'staff' });
    expect((await e.row(first!)).flags).toContain('proposed_from_waitlist');

    await decide(e.ctx, { applicationId: first!, outcome: 'declined', actor: 'staff', byName: 'Staff' });
    expect(await e.row(first!)).toMatchObject({ status: 'declined' });
    expect((await e.row(second!)).flags).toContain('proposed_from_waitlist');
    expect(await e.events(second!, 'proposed_from_waitlist')).toEqual([
      expect.objectContaining({ data: { opening: first } }),
    ]);

    // Declining someone who was never offered a place opens none.
    const third = await e.inReview();
    await e.waitlist(third);
    await decide(e.ctx, { applicationId: third, outcome: 'declined', actor: 'staff', byName: 'Staff' });
    expect(await e.events(second!, 'proposed_from_waitlist')).toHaveLength(1);
  });
});
