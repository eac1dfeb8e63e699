import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noSlack } from '../../integrations/noop.ts';
import { canTransition, sourcesOf } from '../../src/domain/lifecycle.ts';
import { hasConflict, tally } from '../../src/domain/review-policy.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { cardView, castVote, decide, pendingFor, type ReviewContext } from '../../src/usecases/review.ts';
import { escalateReview, remindReviewers } from '../../src/usecases/review-card.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { backends } from '../helpers/backends.ts';
import { recordingCards } from '../helpers/fakes.ts';
import { reviewSettings } from '../helpers/pipeline.ts';

const policy = loadWorkflows(reviewSettings()).cohorts.get('leading-team-2027')!.review;

describe('the review policy (pure)', () => {
  const v = (reviewer: string, vote: 'approve' | 'reject' | 'waitlist', counted = true) => ({
    reviewer,
    vote,
    counted,
  });
  it('needs the quorum of approvals or rejections', () => {
    expect(tally(policy, [v('a', 'approve')], new Set())).toBeNull();
    expect(tally(policy, [v('a', 'approve'), v('b', 'approve')], new Set())).toBe('accepted');
    expect(tally(policy, [v('a', 'reject'), v('b', 'reject')], new Set())).toBe('declined');
    expect(tally(policy, [v('a', 'approve'), v('b', 'reject')], new Set())).toBeNull();
    expect(tally(policy, [v('a', 'waitlist'), v('b', 'waitlist')], new Set())).toBe('waitlisted');
  });
  it('lets a decider decide alone, and ignores uncounted votes', () => {
    expect(tally(policy, [v('boss', 'reject')], new Set(['boss']))).toBe('declined');
    expect(tally(policy, [v('a', 'approve'), v('b', 'approve', false)], new Set())).toBeNull();
    expect(tally(policy, [v('boss', 'approve', false)], new Set(['boss']))).toBeNull();
  });
  it('sees a conflict of interest across spelling differences', () => {
    expect(hasConflict('עיריית באר שבע', 'עיריית באר-שבע')).toBe(true);
    expect(hasConflict('Ort Israel', 'ORT Israel (network)')).toBe(true);
    expect(hasConflict('עיריית באר שבע', 'עיריית ירוחם')).toBe(false);
    expect(hasConflict(undefined, 'x')).toBe(false);
  });
  it('allows only the transitions of the state machine', () => {
    expect(canTransition('submitted', 'in_review')).toBe(true);
    expect(canTransition('submitted', 'accepted')).toBe(false);
    expect(canTransition('declined', 'accepted')).toBe(false);
    expect(canTransition('waitlisted', 'accepted')).toBe(true);
    expect(sourcesOf('onboarded')).toEqual(['onboarding']);
  });
});

describe.each(backends)('the review engine on $name', (backend) => {
  let database: OpenedDatabase;
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(async () => {
    await database.close();
  });

  let seq = 0;
  async function inReview(
    settings: unknown = reviewSettings(),
    clock = () => new Date(),
    organisation = 'עיריית ירוחם',
  ) {
    const workflows = loadWorkflows(settings);
    const ctx: ReviewContext = { db: database.db, workflows, clock, publicUrl: 'http://localhost:3000' };
    seq += 1;
    const body = createdBody(
      await submitApplication(
        { db: database.db, workflows, clock },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: {
            fullName: 'נועה',
            email: `n${seq}-${backend.name}@example.org`,
            phone: '050-7234567',
            organisation,
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
      set: { review_deadline: new Date(clock().getTime() + 7 * 86_400_000) },
    });
    return { ctx, id: body.id };
  }

  it('reaches exactly one decision in 100 trials of racing approve and reject', async () => {
    const settings = reviewSettings({ approvalsToAccept: 1, rejectionsToDecline: 1 });
    const outcomes = { accepted: 0, declined: 0 };
    for (let trial = 0; trial < 100; trial++) {
      const { ctx, id } = await inReview(settings);
      const results = await Promise.allSettled([
        castVote(ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' }),
        castVote(ctx, { applicationId: id, reviewer: { slackId: 'URINA0001' }, vote: 'reject' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'decided')).toHaveLength(1);
      // The vote that lost the race finds the decision made and is refused as a conflict.
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
      const decided = await database.db
        .selectFrom('application_events')
        .select('data')
        .where('application_id', '=', id)
        .where('type', '=', 'decided')
        .execute();
      expect(decided).toHaveLength(1);
      const row = await database.db
        .selectFrom('applications')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe((decided[0]!.data as { outcome: string }).outcome);
      outcomes[row.status as 'accepted' | 'declined'] += 1;
    }
    expect(outcomes.accepted + outcomes.declined).toBe(100);
  });

  it('lets votes change until the decision, then refuses them', async () => {
    const { ctx, id } = await inReview();
    expect(
      (await castVote(ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'reject' })).kind,
    ).toBe('recorded');
    expect(
      (await castVote(ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'reject' })).kind,
    ).toBe('unchanged');
    expect(
      (await castVote(ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' })).kind,
    ).toBe('changed');
    expect(
      (await castVote(ctx, { applicationId: id, reviewer: { email: 'RINA@example.org' }, vote: 'approve' }))
        .kind,
    ).toBe('decided');
    await expect(
      castVote(ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'reject' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const card = await cardView(ctx, id);
    expect(card?.decision).toMatchObject({ outcome: 'accepted', byName: 'Rina' });
    expect(card?.votes.map((x) => x.vote)).toEqual(['approve', 'approve']);
  });

  it('refuses anyone who is not a configured reviewer', async () => {
    const { ctx, id } = await inReview();
    await expect(
      castVote(ctx, { applicationId: id, reviewer: { slackId: 'UINTRUDER' }, vote: 'approve' }),
    ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(
      castVote(ctx, { applicationId: id, reviewer: { email: 'x@example.org' }, vote: 'approve' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lets a named decider decide alone', async () => {
    const { ctx, id } = await inReview(reviewSettings({ deciders: ['URINA0001'] }));
    expect(
      (await castVote(ctx, { applicationId: id, reviewer: { slackId: 'URINA0001' }, vote: 'waitlist' })).kind,
    ).toBe('decided');
    const row = await database.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('waitlisted');
    expect(
      (await decide(ctx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' })).kind,
    ).toBe('decided');
  });

  it("refuses, by policy, a reviewer from the applicant's own authority before any vote is written", async () => {
    const { ctx, id } = await inReview(reviewSettings(), () => new Date(), 'עיריית באר-שבע');
    await expect(
      castVote(ctx, { applicationId: id, reviewer: { slackId: 'UAVI00001' }, vote: 'approve' }),
    ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    const votes = () =>
      database.db
        .selectFrom('votes')
        .select(['reviewer', 'counted'])
        .where('application_id', '=', id)
        .execute();
    expect(await votes()).toEqual([]);
    const excluded = await cardView(ctx, id);
    expect(excluded?.excludedReviewers).toBe(1);
    expect(excluded?.flags).not.toContain('conflict_of_interest');

    const cards = recordingCards();
    const pctx = { ...ctx, logger: pino({ level: 'silent' }), mail: memoryMailer(), calendar: noCalendar };
    await remindReviewers({ ...pctx, slack: noSlack, cards, poke: () => {} }, id);
    expect(cards.notices[0]).toContain('<@UDANA0001>');
    expect(cards.notices[0]).not.toContain('<@UAVI00001>');

    const flagged = { ...ctx, workflows: loadWorkflows(reviewSettings({ conflictOfInterest: 'flag' })) };
    const counted = await castVote(flagged, {
      applicationId: id,
      reviewer: { slackId: 'UAVI00001' },
      vote: 'reject',
    });
    expect(counted).toMatchObject({ kind: 'recorded', conflicted: true });
    expect(await votes()).toEqual([{ reviewer: 'UAVI00001', counted: true }]);
    const card = await cardView(flagged, id);
    expect(card?.flags).toContain('conflict_of_interest');
    expect(card?.excludedReviewers).toBe(0);
  });

  it('marks the card blind and leaves the votes out of it until the decision', async () => {
    const { ctx, id } = await inReview(reviewSettings({ blind: true }));
    await castVote(ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' });
    const open = await cardView(ctx, id);
    expect(open).toMatchObject({ blind: true, voteCount: 1, votes: [] });
    await castVote(ctx, { applicationId: id, reviewer: { slackId: 'URINA0001' }, vote: 'approve' });
    const decided = await cardView(ctx, id);
    expect(decided?.votes.map((v) => v.reviewerName)).toEqual(['Dana', 'Rina']);
  });

  it('lists what waits for a reviewer, and reminds then escalates on the injected clock', async () => {
    let now = new Date('2027-01-03T08:00:00Z');
    const clock = () => now;
    const { ctx, id } = await inReview(reviewSettings({ deciders: ['URINA0001'] }), clock);
    await castVote(ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' });
    expect((await pendingFor(ctx, { slackId: 'UDANA0001' })).map((p) => p.applicationId)).not.toContain(id);
    expect((await pendingFor(ctx, { slackId: 'URINA0001' })).map((p) => p.applicationId)).toContain(id);

    const cards = recordingCards();
    const pctx = {
      ...ctx,
      logger: pino({ level: 'silent' }),
      mail: memoryMailer(),
      calendar: noCalendar,
      slack: noSlack,
      cards,
      poke: () => {},
    };
    now = new Date('2027-01-08T08:00:00Z');
    await remindReviewers(pctx, id);
    expect(cards.notices).toHaveLength(1);
    expect(cards.notices[0]).toContain('<@UAVI00001>');
    expect(cards.notices[0]).toContain('<@URINA0001>');
    expect(cards.notices[0]).not.toContain('<@UDANA0001>');
    now = new Date('2027-01-10T08:00:01Z');
    await escalateReview(pctx, id);
    const row = await database.db
      .selectFrom('applications')
      .select('flags')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.flags).toContain('review_overdue');
    expect(cards.notices[1]).toContain('<@URINA0001>');
  });
});
