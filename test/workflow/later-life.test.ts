import { describe, expect, it } from 'vitest';
import { retryStep, withdraw } from '../../src/usecases/onboarding.ts';
import { castVote, decide } from '../../src/usecases/review.ts';
import { runStep } from '../../src/usecases/steps.ts';
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

  it('a calendar step whose worker died after a withdrawal cancelled it takes back what landed late', async () => {
    const calendar = recordingCalendar();
    const t = await setup({ calendar, slack: recordingSlack() });
    const email = 'late@example.org';
    const { id } = await t.submit({ email });
    await until(
      () => t.status(id),
      (s) => s === 'in_review',
    );
    await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    await until(
      () => t.status(id),
      (s) => s === 'onboarded',
    );
    // The calendar step as a worker leaves it when it dies halfway through the meetings.
    const step = await t.db
      .updateTable('steps')
      .set({ status: 'running' })
      .where('application_id', '=', id)
      .where('step', '=', 'calendar')
      .returning(['generation', 'attempts'])
      .executeTakeFirstOrThrow();
    expect(step.attempts).toBeGreaterThan(0);
    await withdraw(t.reviewCtx, { applicationId: id, actor: 'staff' });
    const onMeetings = async () => [...calendar.attendees.values()].flat().filter((e) => e === email).length;
    expect(await until(onMeetings, (n) => n === 0)).toBe(0);
    const unenrolled = () => t.stepStatus(id, 'unenroll');
    expect(await until(unenrolled, (s) => s === 'done')).toBe('done');

    // Its last call lands after the removals; then BullMQ runs the stalled job again.
    const cohort = t.workflows.cohorts.get('leading-team-2027');
    const meeting = cohort?.meetings.at(-1);
    if (!cohort || !meeting) throw new Error('the test cohort has meetings');
    await calendar.addAttendees(cohort, meeting, [{ email, name: 'Late' }]);
    expect(await onMeetings()).toBe(1);
    await runStep(t.pipeline.context, { applicationId: id, step: 'calendar', generation: step.generation });

    expect(await until(onMeetings, (n) => n === 0)).toBe(0);
    expect(await t.status(id)).toBe('withdrawn');
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
    const calendarStep = () => t.stepStatus(id, 'calendar');
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
