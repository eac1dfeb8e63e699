import type { Kysely } from 'kysely';
import type { Cohort, Meeting, Workflows } from '../../workflows/index.ts';
import { notFound } from '../domain/errors.ts';
import { ENROLLED } from '../domain/lifecycle.ts';
import type { Database } from '../storage/schema.ts';

export interface CohortViewContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
}

/**
 * How a member's place at the meetings stands, from their steps: on Google, the calendar step adds them to
 * every meeting (and a meeting added later gets everyone whose step is done); without Google, the acceptance
 * notice carries the .ics invitation.
 */
export type Invitation = 'calendar' | 'ics' | 'pending' | 'failed';

export interface CohortMember {
  id: string;
  reference: string;
  name: string;
  organisation: string;
  status: string;
  invitation: Invitation;
  /** The meeting ids they confirmed on the form. */
  confirmed: readonly string[];
  /** Their stated arrangements: only for a viewer allowed to read them, otherwise whether there are any. */
  needs: string | boolean;
}

export interface CohortMeetingView {
  meeting: Meeting;
  /** Members the system has put on the meeting: the calendar step done, or the .ics invitation sent. */
  coming: CohortMember[];
  /** Members holding a place whose invitation has not gone out yet (still to run, or failed). */
  awaiting: CohortMember[];
  /** The arrangements to prepare: every member holding a place who stated needs. */
  arrangements: CohortMember[];
}

export interface CohortView {
  cohort: Cohort;
  places: { accepted: number; onboarding: number; onboarded: number; capacity?: number; waitlisted: number };
  meetings: CohortMeetingView[];
  /** Members who withdrew after acceptance: off every meeting, not coming. */
  withdrawn: (Omit<CohortMember, 'invitation'> & { removed: boolean })[];
  /** Whether `needs` carries the text. */
  needsShown: boolean;
}

const invitationOf = (
  steps: Map<string, { status: string; detail: Record<string, unknown> }>,
): Invitation => {
  const calendar = steps.get('calendar');
  if (calendar?.status === 'done') return 'calendar';
  const notice = steps.get('notice');
  if (calendar?.status === 'skipped' && notice?.status === 'done' && notice.detail.kind === 'accepted')
    return 'ics';
  if (calendar?.status === 'failed' || notice?.status === 'failed') return 'failed';
  return 'pending';
};

/** Every cohort, with its places taken, for the staff list of cohorts. */
export async function cohortsSummary(ctx: CohortViewContext) {
  const rows = await ctx.db
    .selectFrom('applications')
    .select(['cohort', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', 'in', [...ENROLLED, 'waitlisted'])
    .groupBy(['cohort', 'status'])
    .execute();
  return [...ctx.workflows.cohorts.values()].map((cohort) => {
    const mine = rows.filter((r) => r.cohort === cohort.id);
    const count = (statuses: readonly string[]) =>
      mine.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
    return {
      cohort,
      taken: count(ENROLLED),
      waitlisted: count(['waitlisted']),
      ...(cohort.capacity !== undefined ? { capacity: cohort.capacity } : {}),
    };
  });
}

/**
 * One cohort as staff prepare its meetings: places taken, and for each meeting who is coming and the
 * accessibility arrangements to prepare. The arrangements are health information: their text is read only
 * for someone allowed to see it, and every view is audited in the transaction that reads it.
 */
export async function cohortView(
  ctx: CohortViewContext,
  input: { cohortId: string; actor: string; showNeeds: boolean },
): Promise<CohortView> {
  const cohort = ctx.workflows.cohorts.get(input.cohortId);
  if (!cohort) throw notFound('cohort');
  return ctx.db.transaction().execute(async (trx) => {
    const apps = await trx
      .selectFrom('applications')
      .select(['id', 'reference', 'full_name', 'organisation', 'status', 'answers', 'created_at'])
      .where('cohort', '=', cohort.id)
      .where('status', 'in', [...ENROLLED, 'waitlisted', 'withdrawn'])
      .where('erased_at', 'is', null)
      .orderBy('full_name')
      .orderBy('created_at')
      .execute();
    const ids = apps.map((a) => a.id);
    const steps =
      ids.length === 0
        ? []
        : await trx
            .selectFrom('steps')
            .select(['application_id', 'step', 'status', 'detail'])
            .where('application_id', 'in', ids)
            .execute();
    await trx
      .insertInto('audit_log')
      .values({
        at: ctx.clock(),
        actor: input.actor,
        action: 'view_cohort',
        target: cohort.id,
        detail: JSON.stringify({ accessibilityNeeds: input.showNeeds }) as never,
      })
      .execute();

    const stepsOf = (id: string) =>
      new Map(steps.filter((s) => s.application_id === id).map((s) => [s.step, s]));
    const member = (a: (typeof apps)[number]) => {
      const answers = a.answers as { confirmedMeetings?: string[]; accessibilityNeeds?: string };
      const stated = (answers.accessibilityNeeds ?? '').trim();
      return {
        id: a.id,
        reference: a.reference,
        name: a.full_name ?? '',
        organisation: a.organisation ?? '',
        status: a.status,
        confirmed: answers.confirmedMeetings ?? [],
        needs: input.showNeeds ? stated : stated.length > 0,
      };
    };
    const enrolled = apps
      .filter((a) => ENROLLED.includes(a.status))
      .map((a) => ({ ...member(a), invitation: invitationOf(stepsOf(a.id)) }));
    // Only someone who held a place leaves the meetings: a withdrawal from the waitlist or before the
    // decision opens no removal step.
    const withdrawn = apps
      .filter((a) => a.status === 'withdrawn' && stepsOf(a.id).has('unenroll'))
      .map((a) => ({
        ...member(a),
        removed: ['done', 'skipped'].includes(stepsOf(a.id).get('unenroll')?.status ?? ''),
      }));
    const count = (status: string) => apps.filter((a) => a.status === status).length;
    return {
      cohort,
      places: {
        accepted: count('accepted'),
        onboarding: count('onboarding'),
        onboarded: count('onboarded'),
        waitlisted: count('waitlisted'),
        ...(cohort.capacity !== undefined ? { capacity: cohort.capacity } : {}),
      },
      meetings: cohort.meetings.map((meeting) => ({
        meeting,
        coming: enrolled.filter((m) => m.invitation === 'calendar' || m.invitation === 'ics'),
        awaiting: enrolled.filter((m) => m.invitation === 'pending' || m.invitation === 'failed'),
        arrangements: enrolled.filter((m) => m.needs !== false && m.needs !== ''),
      })),
      withdrawn,
      needsShown: input.showNeeds,
    };
  });
}
