import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { noCalendar, noCards, noSlack } from '../../integrations/noop.ts';
import type { PipelineContext } from '../../src/usecases/context.ts';
import { castVote } from '../../src/usecases/review.ts';
import { escalateReview, remindReviewers } from '../../src/usecases/review-card.ts';
import { backends, eventually } from '../helpers/backends.ts';
import { pipelinesOn, reviewSettings } from '../helpers/pipeline.ts';

describe.each(backends)('without Slack, reviewers are reached by e-mail, on $name', (backend) => {
  const setup = pipelinesOn(backend);

  async function inReview(settings: unknown, overrides: Record<string, unknown> = {}) {
    const t = await setup({ settings });
    const { id, reference } = await t.submit(overrides);
    await eventually(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    const ctx: PipelineContext = {
      db: t.db,
      workflows: t.workflows,
      clock: () => new Date(),
      publicUrl: 'http://localhost:3000',
      logger: pino({ level: 'silent' }),
      mail: t.mail,
      calendar: noCalendar,
      slack: noSlack,
      cards: noCards,
      poke: t.pipeline.relay.poke,
    };
    const review = (kind: string) =>
      [...t.mail.sent.values()].filter((m) => m.idempotencyKey.startsWith(`review-${kind}-`));
    return { t, id, reference, ctx, review };
  }

  it('asks every reviewer once, with a link to the application and nothing personal about the applicant', async () => {
    const { t, id, reference, review } = await inReview(reviewSettings());
    const asked = await eventually(
      async () => review('request'),
      (m) => m.length === 3,
    );
    expect(asked.map((m) => m.to.email).sort()).toEqual([
      'avi@example.org',
      'dana@example.org',
      'rina@example.org',
    ]);
    const dana = asked.find((m) => m.to.email === 'dana@example.org')!;
    expect(dana.subject).toBe(`בקשה חדשה לסקירה: ${reference}`);
    expect(dana.text).toContain(`http://localhost:3000/admin/applications/${id}`);
    expect(dana.text).toContain('שלום Dana');
    // The applicant's name, e-mail and phone stay behind the sign-in.
    for (const m of asked) {
      expect(`${m.text}${m.html}`).not.toMatch(/מועמדת|@example\.org.*person|\+9725/);
      expect(m.html).toContain(`<bdi dir="ltr">${reference}</bdi>`);
    }
    // A vote refreshes the (absent) card again: the request is not sent a second time.
    await castVote(
      {
        db: t.db,
        workflows: t.workflows,
        clock: () => new Date(),
        publicUrl: '',
        poke: t.pipeline.relay.poke,
      },
      { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(review('request')).toHaveLength(3);
    const events = (await t.events(id)).filter((e) => e.type === 'review_request_mailed');
    expect(events).toHaveLength(1);
  });

  it('reminds only the reviewers who have not voted, and skips one the policy excludes', async () => {
    // Avi works for the applicant's authority: under `exclude` he owes no vote.
    const { t, id, ctx, review } = await inReview(reviewSettings({ conflictOfInterest: 'exclude' }), {
      organisation: 'עיריית באר שבע',
    });
    await castVote(
      {
        db: t.db,
        workflows: t.workflows,
        clock: () => new Date(),
        publicUrl: '',
        poke: t.pipeline.relay.poke,
      },
      { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' },
    );
    await remindReviewers(ctx, id);
    expect(review('reminder').map((m) => m.to.email)).toEqual(['rina@example.org']);
    expect(review('reminder')[0]!.text).toContain('עדיין ממתינה להצבעה שלך');
    const asked = await eventually(
      async () => review('request').map((m) => m.to.email),
      (m) => m.length >= 2,
    );
    expect(asked.sort()).toEqual(['dana@example.org', 'rina@example.org']);
  });

  it('at the deadline, e-mails the deciders, or the coordinators when the cohort names none', async () => {
    const withDeciders = await inReview(reviewSettings({ deciders: ['URINA0001'] }));
    await escalateReview(withDeciders.ctx, withDeciders.id);
    expect(withDeciders.review('overdue').map((m) => m.to.email)).toEqual(['rina@example.org']);

    const settings = {
      ...reviewSettings(),
      staff: [{ name: 'מרכזת', email: 'coordinator@example.org', roles: ['coordinator'] }],
    };
    const none = await inReview(settings);
    await escalateReview(none.ctx, none.id);
    const overdue = none.review('overdue');
    expect(overdue.map((m) => m.to.email)).toEqual(['coordinator@example.org']);
    expect(overdue[0]!.text).toContain('עברה את מועד ההחלטה');
  });
});
