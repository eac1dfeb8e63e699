import { describe, expect, it } from 'vitest';
import { retryStep, withdraw } from '../../src/usecases/onboarding.ts';
import { castVote, decide } from '../../src/usecases/review.ts';
import { backends, eventually } from '../helpers/backends.ts';
import { FaultPlan, recordingCalendar, recordingCards, recordingSlack } from '../helpers/fakes.ts';
import { pipelinesOn } from '../helpers/pipeline.ts';

describe.each(backends)('the pipeline on $name and real Redis', (backend) => {
  const setup = pipelinesOn(backend);

  it('takes an application from submitted to onboarded, every step on its timeline, each effect once', async () => {
    const calendar = recordingCalendar();
    const slack = recordingSlack();
    const cards = recordingCards();
    const t = await setup({ calendar, slack, cards });
    const { id } = await t.submit();
    expect(
      await eventually(
        () => t.status(id),
        (s) => s === 'in_review',
      ),
    ).toBe('in_review');
    await eventually(
      async () => cards.cards.size,
      (n) => n === 1,
    );

    const first = await castVote(t.reviewCtx, {
      applicationId: id,
      reviewer: { slackId: 'UDANA0001' },
      vote: 'approve',
    });
    expect(first.kind).toBe('recorded');
    const second = await castVote(t.reviewCtx, {
      applicationId: id,
      reviewer: { slackId: 'URINA0001' },
      vote: 'approve',
    });
    expect(second.kind).toBe('decided');
    expect(
      await eventually(
        () => t.status(id),
        (s) => s === 'onboarded',
      ),
    ).toBe('onboarded');

    const types = (await t.events(id)).map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['submitted', 'screened']);
    for (const once of ['decided', 'status_onboarding', 'status_onboarded', 'card_posted']) {
      expect(types.filter((x) => x === once)).toHaveLength(1);
    }
    expect(types.filter((x) => x === 'vote_cast')).toHaveLength(2);
    // Five meetings, each with the person once; three channels; two notices; one card.
    expect([...calendar.attendees.values()].map((a) => a.length)).toEqual([1, 1, 1, 1, 1]);
    expect([...slack.members.values()].map((m) => m.size)).toEqual([1, 1, 1]);
    expect([...t.mail.sent.keys()].sort()).toEqual([`accepted-${id}`, `received-${id}`]);
    expect(cards.cards.size).toBe(1);
    const card = [...cards.cards.values()][0];
    // The card is refreshed by jobs that may run while onboarding is under way: the decision is what it shows.
    expect(card?.decision?.outcome).toBe('accepted');
    expect(['accepted', 'onboarding', 'onboarded']).toContain(card?.status);
    expect(JSON.stringify(card)).not.toContain('+9725');
  });

  it('flags missing meeting confirmations and a phone seen under another e-mail, without rejecting', async () => {
    const t = await setup();
    const a = await t.submit({ phone: '052-7654321' });
    const b = await t.submit({ phone: '+972 52 765 4321', confirmedMeetings: ['opening-day'] });
    await eventually(
      () => t.status(b.id),
      (s) => s === 'in_review',
    );
    const row = await t.db
      .selectFrom('applications')
      .select('flags')
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(row.flags.sort()).toEqual(['attendance', 'possible_duplicate']);
    const screened = (await t.events(b.id)).find((e) => e.type === 'screened');
    expect(screened?.data).toMatchObject({
      duplicateOf: a.reference,
      unconfirmedMeetings: ['online-1', 'online-2', 'online-3', 'closing-day'],
    });
  });

  it('sends declined and waitlisted people their notice, and nothing else', async () => {
    const calendar = recordingCalendar();
    const t = await setup({ calendar });
    const declined = await t.submit();
    const waitlisted = await t.submit();
    for (const a of [declined, waitlisted])
      await eventually(
        () => t.status(a.id),
        (s) => s === 'in_review',
      );
    await decide(t.reviewCtx, {
      applicationId: declined.id,
      outcome: 'declined',
      actor: 'staff',
      byName: 'Staff',
    });
    await decide(t.reviewCtx, {
      applicationId: waitlisted.id,
      outcome: 'waitlisted',
      actor: 'staff',
      byName: 'Staff',
    });
    // The reviewers' review requests go out too; what the two applicants receive is the question here.
    const toApplicants = () =>
      [...t.mail.sent.keys()].filter((key) => !key.startsWith('review-request-')).sort();
    await eventually(
      async () => toApplicants().length,
      (n) => n >= 4,
    );
    expect(toApplicants()).toEqual(
      [
        `received-${declined.id}`,
        `received-${waitlisted.id}`,
        `declined-${declined.id}`,
        `waitlisted-${waitlisted.id}`,
      ].sort(),
    );
    expect(calendar.calls).toBe(0);
    expect(await t.status(declined.id)).toBe('declined');
  });

  it('retries a step that fails three times, then succeeds; the other steps are not held up', async () => {
    const faults = new FaultPlan(3);
    const calendar = recordingCalendar(faults);
    const t = await setup({ calendar, slack: recordingSlack() });
    const { id } = await t.submit();
    await eventually(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    expect(
      await eventually(
        () => t.status(id),
        (s) => s === 'onboarded',
      ),
    ).toBe('onboarded');
    const step = await t.db
      .selectFrom('steps')
      .selectAll()
      .where('application_id', '=', id)
      .where('step', '=', 'calendar')
      .executeTakeFirstOrThrow();
    expect(step.status).toBe('done');
    expect(step.attempts).toBe(4);
  });

  it('shows a permanent failure as failed, keeps the rest going, and a staff retry finishes it', async () => {
    const faults = new FaultPlan(1, true);
    const calendar = recordingCalendar(faults);
    const t = await setup({ calendar, slack: recordingSlack() });
    const { id } = await t.submit();
    await eventually(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    const failed = await eventually(
      () => t.db.selectFrom('steps').selectAll().where('application_id', '=', id).execute(),
      (rows) =>
        rows.some((r) => r.status === 'failed') && rows.filter((r) => r.status === 'done').length >= 3,
    );
    expect(failed.find((r) => r.step === 'calendar')?.last_error).toContain('injected failure');
    expect(await t.status(id)).toBe('onboarding');
    expect((await t.events(id)).some((e) => e.type === 'step_failed')).toBe(true);

    expect((await retryStep(t.reviewCtx, { applicationId: id, step: 'calendar', actor: 'staff' })).kind).toBe(
      'retried',
    );
    expect(
      await eventually(
        () => t.status(id),
        (s) => s === 'onboarded',
      ),
    ).toBe('onboarded');
    await expect(
      retryStep(t.reviewCtx, { applicationId: id, step: 'calendar', actor: 'staff' }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('does not post a second review card after a crash between posting and storing', async () => {
    const cards = recordingCards();
    cards.crashAfterPost = 1;
    const t = await setup({ cards });
    const { id } = await t.submit();
    await eventually(
      () => t.db.selectFrom('applications').select('card_ts').where('id', '=', id).executeTakeFirstOrThrow(),
      (r) => r.card_ts !== null,
    );
    expect(cards.cards.size).toBe(1);
  });

  it('finishes channel invitations for someone who joins the workspace later', async () => {
    const slack = recordingSlack(new Set());
    const cards = recordingCards();
    const t = await setup({ slack, cards, calendar: recordingCalendar() });
    const { id } = await t.submit({ email: 'late@example.org' });
    await eventually(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    const outsiders = new Set(['late@example.org']);
    const gated = recordingSlack(outsiders);
    Object.assign(slack, { inviteToChannels: gated.inviteToChannels });
    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    await eventually(
      () =>
        t.db
          .selectFrom('steps')
          .select('status')
          .where('application_id', '=', id)
          .where('step', '=', 'slack')
          .executeTakeFirst(),
      (r) => r?.status === 'waiting',
    );
    expect(cards.notices.some((n) => n.includes('Slack'))).toBe(true);
    outsiders.delete('late@example.org');
    const { onTeamJoin } = await import('../../src/usecases/onboarding.ts');
    expect(await onTeamJoin(t.reviewCtx, { email: 'late@example.org' })).toBe(1);
    expect(
      await eventually(
        () => t.status(id),
        (s) => s === 'onboarded',
      ),
    ).toBe('onboarded');
  });

  it('withdrawal of an onboarded member takes them off every meeting', async () => {
    const calendar = recordingCalendar();
    const t = await setup({ calendar, slack: recordingSlack() });
    const { id } = await t.submit({ email: 'leaver@example.org' });
    await eventually(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    await eventually(
      () => t.status(id),
      (s) => s === 'onboarded',
    );
    expect((await withdraw(t.reviewCtx, { applicationId: id, actor: 'staff' })).kind).toBe('withdrawn');
    await eventually(
      async () => [...calendar.attendees.values()].flat().length,
      (n) => n === 0,
    );
    expect(await t.status(id)).toBe('withdrawn');
  });
});
