import { describe, expect, it } from 'vitest';
import { retryStep, withdraw } from '../../src/usecases/onboarding.ts';
import { castVote, decide } from '../../src/usecases/review.ts';
import { backends, eventually } from '../helpers/backends.ts';
import { FaultPlan, recordedSlackId, recordingCalendar, recordingSlack } from '../helpers/fakes.ts';
import { pipelinesOn, reviewSettings } from '../helpers/pipeline.ts';

const CHANNELS = ['CCOHORT01', 'CCOHORT02', 'CCOHORT03'];

describe.each(backends)('the membership after the first decision, on $name', (backend) => {
  const setup = pipelinesOn(backend);

  const until = <T>(check: () => Promise<T>, ok: (v: T) => boolean) => eventually(check, ok, 10_000);

  it('waitlisted by votes, then accepted by a decider: onboarded within seconds, one acceptance notice', async () => {
    const calendar = recordingCalendar();
    const slack = recordingSlack();
    const t = await setup({ calendar, slack, settings: reviewSettings({ deciders: ['URINA0001'] }) });
    const { id } = await t.submit({ email: 'waiting@example.org' });
    await until(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    const vote = await castVote(t.reviewCtx, {
      applicationId: id,
      reviewer: { slackId: 'URINA0001' },
      vote: 'waitlist',
    });
    expect(vote.kind).toBe('decided');
    const waitlistNotice = () => [...t.mail.sent.keys()].filter((k) => k === `waitlisted-${id}`).length;
    expect(
      await until(
        async () => waitlistNotice(),
        (n) => n === 1,
      ),
    ).toBe(1);

    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    expect(
      await until(
        () => t.status(id),
        (s) => s === 'onboarded',
      ),
    ).toBe('onboarded');
    expect([...t.mail.sent.keys()].filter((k) => k === `accepted-${id}`)).toHaveLength(1);
    for (const list of calendar.attendees.values()) expect(list).toContain('waiting@example.org');
    for (const c of CHANNELS) expect(slack.members.get(c)).toContain(recordedSlackId('waiting@example.org'));
  });

  it('withdrawal takes the person off all five meetings and out of every cohort channel, and tells them', async () => {
    const calendar = recordingCalendar();
    const slack = recordingSlack();
    const t = await setup({ calendar, slack });
    const { id } = await t.submit({ email: 'leaver@example.org' });
    await until(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    await until(
      () => t.status(id),
      (s) => s === 'onboarded',
    );
    expect(calendar.attendees.size).toBe(5);

    await withdraw(t.reviewCtx, { applicationId: id, actor: 'staff', reason: 'moved abroad' });
    const member = recordedSlackId('leaver@example.org');
    const inChannels = async () => CHANNELS.filter((c) => slack.members.get(c)?.has(member)).length;
    expect(await until(inChannels, (n) => n === 0)).toBe(0);
    expect([...calendar.attendees.values()].flat()).not.toContain('leaver@example.org');
    expect(await until(async () => t.mail.sent.has(`withdrawn-${id}`), Boolean)).toBe(true);
    const withdrawn = (await t.events(id)).find((e) => e.type === 'status_withdrawn');
    expect(withdrawn).toMatchObject({ actor: 'staff', data: { reason: 'moved abroad' } });
  });

  it('a failed calendar step cannot be retried after a withdrawal, so nobody is added back', async () => {
    const faults = new FaultPlan(100, true);
    const calendar = recordingCalendar(faults);
    const t = await setup({ calendar, slack: recordingSlack() });
    const { id } = await t.submit({ email: 'halfway@example.org' });
    await until(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    const calendarStep = async () =>
      (
        await t.db
          .selectFrom('steps')
          .select('status')
          .where('application_id', '=', id)
          .where('step', '=', 'calendar')
          .executeTakeFirst()
      )?.status;
    expect(await until(calendarStep, (s) => s === 'failed')).toBe('failed');

    await withdraw(t.reviewCtx, { applicationId: id, actor: 'staff' });
    faults.times = 0;
    await expect(
      retryStep(t.reviewCtx, { applicationId: id, step: 'calendar', actor: 'staff' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await calendarStep()).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 500));
    expect([...calendar.attendees.values()].flat()).not.toContain('halfway@example.org');
  });
});
