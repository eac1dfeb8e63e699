import { describe, expect, it } from 'vitest';
import { noCalendar } from '../../integrations/noop.ts';
import { cohortView } from '../../src/usecases/cohort-view.ts';
import { withdraw } from '../../src/usecases/onboarding.ts';
import { decide } from '../../src/usecases/review.ts';
import { backends, eventually } from '../helpers/backends.ts';
import { recordingCalendar } from '../helpers/fakes.ts';
import { pipelinesOn, reviewSettings } from '../helpers/pipeline.ts';

const COHORT = 'leading-team-2027';
const NEEDS = 'כיסא גלגלים ומקום חניה קרוב';
const withCapacity = (capacity: number) => {
  const settings = reviewSettings();
  return { cohorts: { [COHORT]: { ...settings.cohorts[COHORT], capacity } } };
};

describe.each(backends)('the cohort view, on $name', (backend) => {
  const setup = pipelinesOn(backend);
  const until = <T>(check: () => Promise<T>, ok: (v: T) => boolean) => eventually(check, ok, 15_000);

  async function cohortOf(t: Awaited<ReturnType<typeof setup>>) {
    const inReview = async (overrides: Record<string, unknown>) => {
      const { id } = await t.submit(overrides);
      await until(
        () => t.status(id),
        (s) => s === 'in_review',
      );
      return id;
    };
    const accept = async (id: string, until_: string) => {
      await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
      await until(
        () => t.status(id),
        (s) => s === until_,
      );
    };
    const member = await inReview({ fullName: 'נועה לוי', accessibilityNeeds: NEEDS });
    await accept(member, 'onboarded');
    const partial = await inReview({ fullName: 'סאמי חורי', confirmedMeetings: ['opening-day'] });
    await accept(partial, 'onboarded');
    const leaver = await inReview({ fullName: 'דנה כץ', accessibilityNeeds: 'תרגום לשפת הסימנים' });
    await accept(leaver, 'onboarded');
    await withdraw(t.reviewCtx, { applicationId: leaver, actor: 'staff' });
    const waiting = await inReview({ fullName: 'אור רשימה' });
    await decide(t.reviewCtx, {
      applicationId: waiting,
      outcome: 'waitlisted',
      actor: 'staff',
      byName: 'Staff',
    });
    const undecided = await inReview({ fullName: 'עוד במיון' });
    return { member, partial, leaver, waiting, undecided };
  }

  it('names who is coming to each meeting, the arrangements for coordinators, the places and who left', async () => {
    const t = await setup({ calendar: recordingCalendar(), settings: withCapacity(10) });
    const ids = await cohortOf(t);
    const unenrolled = async () =>
      (await cohortView(t.reviewCtx, { cohortId: COHORT, actor: 'email:c@example.org', showNeeds: true }))
        .withdrawn[0]?.removed;
    expect(await until(unenrolled, (r) => r === true)).toBe(true);

    const view = await cohortView(t.reviewCtx, {
      cohortId: COHORT,
      actor: 'email:c@example.org',
      showNeeds: true,
    });
    expect(view.places).toEqual({ accepted: 0, onboarding: 0, onboarded: 2, waitlisted: 1, capacity: 10 });
    expect(view.meetings.map((m) => m.meeting.id)).toEqual(
      t.workflows.cohorts.get(COHORT)!.meetings.map((m) => m.id),
    );
    for (const m of view.meetings) {
      expect(m.coming.map((p) => p.id).sort()).toEqual([ids.member, ids.partial].sort());
      expect(m.coming.every((p) => p.invitation === 'calendar')).toBe(true);
      expect(m.awaiting).toEqual([]);
      expect(m.arrangements.map((p) => [p.id, p.needs])).toEqual([[ids.member, NEEDS]]);
    }
    expect(view.meetings[0]!.coming.find((p) => p.id === ids.partial)!.confirmed).toEqual(['opening-day']);
    expect(view.withdrawn.map((p) => p.id)).toEqual([ids.leaver]);
    // The leaver's arrangements are not to be prepared: they are not coming.
    expect(JSON.stringify(view.meetings)).not.toContain('תרגום לשפת הסימנים');
  });

  it('tells someone who may not read the arrangements only how many there are, and audits every view', async () => {
    const t = await setup({ calendar: noCalendar });
    const ids = await cohortOf(t);
    const view = await cohortView(t.reviewCtx, {
      cohortId: COHORT,
      actor: 'email:v@example.org',
      showNeeds: false,
    });
    expect(view.needsShown).toBe(false);
    expect(JSON.stringify(view)).not.toContain(NEEDS);
    expect(view.meetings[0]!.arrangements.map((p) => [p.id, p.needs])).toEqual([[ids.member, true]]);
    // Without Google the acceptance notice carries the .ics invitation.
    expect(view.meetings[0]!.coming.map((p) => p.invitation)).toEqual(['ics', 'ics']);
    expect(view.places.capacity).toBeUndefined();
    const audits = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'detail'])
      .where('action', '=', 'view_cohort')
      .execute();
    expect(audits).toEqual([
      {
        actor: 'email:v@example.org',
        action: 'view_cohort',
        target: COHORT,
        detail: { accessibilityNeeds: false },
      },
    ]);
  });

  it('refuses a cohort that does not exist, and audits nothing for it', async () => {
    const t = await setup();
    await expect(
      cohortView(t.reviewCtx, { cohortId: 'no-such-cohort', actor: 'email:c@example.org', showNeeds: true }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.db.selectFrom('audit_log').selectAll().execute()).toEqual([]);
  });
});
