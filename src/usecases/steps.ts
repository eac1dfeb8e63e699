import type { Cohort } from '../../workflows/index.ts';
import { notFound } from '../domain/errors.ts';
import {
  ENROLMENT_STEPS,
  isFinished,
  ONBOARDING_STEPS,
  type StepName,
  type StepStatus,
  stepsOnWithdrawal,
} from '../domain/lifecycle.ts';
import { maskPersonalData } from '../domain/text.ts';
import type { ApplicationRow } from '../storage/schema.ts';
import { addEvent, openSteps, transition } from '../storage/transition.ts';
import type { PipelineContext } from './context.ts';
import { noticeFor, sendNotice } from './notices.ts';

type StepOutcome = {
  status: Extract<StepStatus, 'done' | 'skipped' | 'waiting'>;
  detail?: Record<string, unknown>;
};

/**
 * Stage 3 (קליטה) and the notices: one idempotent step per job. The step row says what is left to do; a
 * step already finished, failed, or superseded by a staff retry (another generation) is left alone.
 */
export async function runStep(
  ctx: PipelineContext,
  data: { applicationId: string; step: StepName; generation: number },
): Promise<void> {
  const { applicationId, step, generation } = data;
  const row = await ctx.db
    .selectFrom('steps')
    .selectAll()
    .where('application_id', '=', applicationId)
    .where('step', '=', step)
    .executeTakeFirst();
  if (!row || row.generation !== generation) return;
  if (!['pending', 'running'].includes(row.status)) {
    // A worker may have died between finishing the step and completing the application.
    if (isFinished(row.status)) await completeIfFinished(ctx, applicationId);
    // Or it died inside an enrolment step that a withdrawal then cancelled: what it added may have landed
    // after the withdrawal's removals, and the run that would have taken it back never reached its end.
    else if (row.status === 'cancelled' && row.attempts > 0)
      await undoIfWithdrawn(ctx, applicationId, step, ctx.clock());
    return;
  }
  const app = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app || app.erased_at) return;
  const cohort = ctx.workflows.cohorts.get(app.cohort);
  if (!cohort) throw notFound(`cohort ${app.cohort}`);

  const now = ctx.clock();
  await ctx.db
    .updateTable('steps')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('application_id', '=', applicationId)
    .where('step', '=', step)
    .where('generation', '=', generation)
    .execute();
  if (app.status === 'accepted' && step !== 'received') {
    await transition(ctx.db, {
      applicationId,
      to: 'onboarding',
      actor: 'system',
      at: now,
    });
  }

  const outcome = await perform(ctx, step, app, cohort);
  const finished = ctx.clock();
  const updated = await ctx.db
    .updateTable('steps')
    .set({
      status: outcome.status,
      last_error: null,
      detail: JSON.stringify(outcome.detail ?? {}) as never,
      updated_at: finished,
    })
    .where('application_id', '=', applicationId)
    .where('step', '=', step)
    .where('generation', '=', generation)
    .where('status', '=', 'running')
    .returning('step')
    .executeTakeFirst();
  if (!updated) {
    await undoIfWithdrawn(ctx, applicationId, step, finished);
    return;
  }
  await addEvent(
    ctx.db,
    applicationId,
    'system',
    `step_${outcome.status}`,
    { step, ...outcome.detail },
    finished,
  );
  await completeIfFinished(ctx, applicationId);
}

/** When every onboarding step of an accepted person is finished, they are onboarded (exactly once). */
export async function completeIfFinished(ctx: Pick<PipelineContext, 'db' | 'clock'>, applicationId: string) {
  const steps = await ctx.db
    .selectFrom('steps')
    .select(['step', 'status'])
    .where('application_id', '=', applicationId)
    .where('step', 'in', [...ONBOARDING_STEPS])
    .execute();
  if (steps.length < ONBOARDING_STEPS.length || !steps.every((s) => isFinished(s.status))) return false;
  return transition(ctx.db, {
    applicationId,
    to: 'onboarded',
    actor: 'system',
    at: ctx.clock(),
  });
}

async function perform(
  ctx: PipelineContext,
  step: StepName,
  app: ApplicationRow,
  cohort: Cohort,
): Promise<StepOutcome> {
  const person = { email: app.email ?? '', name: app.full_name ?? '' };
  switch (step) {
    case 'received':
      await sendNotice(ctx, app, cohort, 'received');
      return { status: 'done' };
    case 'notice': {
      const kind = noticeFor(app.status);
      if (!kind) return { status: 'skipped', detail: { status: app.status } };
      await sendNotice(ctx, app, cohort, kind);
      return { status: 'done', detail: { kind } };
    }
    case 'calendar': {
      if (!ctx.calendar.configured)
        return { status: 'skipped', detail: { reason: 'calendar_not_configured' } };
      for (const meeting of cohort.meetings) {
        await ctx.calendar.ensureMeeting(cohort, meeting);
        await ctx.calendar.addAttendees(cohort, meeting, [person]);
      }
      return { status: 'done', detail: { meetings: cohort.meetings.length } };
    }
    case 'slack': {
      const channels = cohort.onboarding.slackChannels;
      if (!ctx.slack.configured || channels.length === 0)
        return { status: 'skipped', detail: { reason: 'slack_not_configured' } };
      const result = await ctx.slack.inviteToChannels(person, channels);
      if (result.status === 'joined') return { status: 'done', detail: { channels: channels.length } };
      if (ctx.cards.configured && cohort.review.channel) {
        await ctx.cards.notifyStaff(
          cohort.review.channel,
          `${app.reference}: הבקשה התקבלה, אבל כתובת הדואר שבה עדיין אינה בסביבת העבודה של Slack. יש לשלוח לכתובת הזמנה לסביבת העבודה (הזמנה בדואר דורשת את ה-Admin API של Slack Enterprise); הצירוף לערוצים יושלם מעצמו עם ההצטרפות.`,
        );
      }
      return { status: 'waiting', detail: { reason: 'not_in_workspace' } };
    }
    case 'unenroll': {
      if (ctx.calendar.configured && person.email) {
        for (const meeting of cohort.meetings)
          await ctx.calendar.removeAttendee(cohort, meeting, person.email);
      }
      // Without Google the withdrawal notice carries the .ics cancellation instead.
      return { status: ctx.calendar.configured ? 'done' : 'skipped' };
    }
    case 'leave': {
      const channels = cohort.onboarding.slackChannels;
      if (!ctx.slack.configured || channels.length === 0 || !person.email)
        return { status: 'skipped', detail: { reason: 'slack_not_configured' } };
      const result = await ctx.slack.removeFromChannels({ email: person.email }, channels);
      return { status: 'done', detail: { removedFrom: result.removedFrom } };
    }
  }
}

/** A step whose job failed for good: shown as failed, with its error, until staff retry it. */
export async function markStepFailed(
  ctx: Pick<PipelineContext, 'db' | 'clock'>,
  input: { applicationId: string; step: StepName; generation: number; error: string },
): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const failed = await trx
      .updateTable('steps')
      .set({ status: 'failed', last_error: maskPersonalData(input.error).slice(0, 500), updated_at: now })
      .where('application_id', '=', input.applicationId)
      .where('step', '=', input.step)
      .where('generation', '=', input.generation)
      .where('status', 'in', ['pending', 'running'])
      .returning('step')
      .executeTakeFirst();
    if (failed)
      await addEvent(
        trx,
        input.applicationId,
        'system',
        'step_failed',
        { step: input.step, error: maskPersonalData(input.error).slice(0, 200) },
        now,
      );
  });
}

/**
 * An enrolment step that was running when the person withdrew ends with its row cancelled; its effect (an
 * attendee added, a channel joined) may have landed after the withdrawal's removal, so the removals run
 * once more, as a new generation, and leave nobody behind.
 */
async function undoIfWithdrawn(ctx: PipelineContext, applicationId: string, step: StepName, at: Date) {
  if (!ENROLMENT_STEPS.includes(step)) return;
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('applications')
      .select('status')
      .where('id', '=', applicationId)
      .forUpdate()
      .executeTakeFirst();
    if (row?.status !== 'withdrawn') return;
    await openSteps(
      trx,
      applicationId,
      stepsOnWithdrawal(true).filter((s) => s !== 'notice'),
      at,
    );
  });
  ctx.poke();
}
