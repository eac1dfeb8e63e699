import { cohortCalendar } from '../../integrations/ics/index.ts';
import type { Cohort } from '../../workflows/index.ts';
import { AppError } from '../domain/errors.ts';
import { STEP_FINISHED, type StepName, type StepStatus } from '../domain/lifecycle.ts';
import { type NoticeKind, renderNotice } from '../mail/notices.ts';
import type { ApplicationRow } from '../storage/schema.ts';
import { addEvent, transition } from '../storage/transition.ts';
import type { PipelineContext } from './context.ts';

type StepOutcome = {
  status: Extract<StepStatus, 'done' | 'skipped' | 'waiting'>;
  detail?: Record<string, unknown>;
};

/**
 * Stage 3 (קליטה) and the notices: one idempotent step per job. The step row says what is left to do; a
 * step already finished, failed, or superseded by a staff retry (another generation) is left alone.
 */
export async function stepJob(
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
    if (STEP_FINISHED.includes(row.status as StepStatus)) await completeIfFinished(ctx, applicationId);
    return;
  }
  const app = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app || app.erased_at) return;
  const cohort = ctx.workflows.cohorts.get(app.cohort);
  if (!cohort) throw new AppError('not_found', `unknown cohort ${app.cohort}`, { retryable: false });

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
      from: ['accepted'],
      to: 'onboarding',
      actor: 'system',
      at: now,
    });
  }

  const outcome = await runStep(ctx, step, app, cohort);
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
  if (!updated) return;
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
    .where('step', 'in', ['calendar', 'slack', 'notice'])
    .execute();
  if (steps.length < 3 || !steps.every((s) => STEP_FINISHED.includes(s.status as StepStatus))) return false;
  return transition(ctx.db, {
    applicationId,
    from: ['onboarding', 'accepted'],
    to: 'onboarded',
    actor: 'system',
    at: ctx.clock(),
  });
}

async function runStep(
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
      const kind = (
        app.status === 'onboarding' || app.status === 'onboarded' ? 'accepted' : app.status
      ) as NoticeKind;
      if (!['accepted', 'declined', 'waitlisted'].includes(kind))
        return { status: 'skipped', detail: { status: app.status } };
      await sendNotice(ctx, app, cohort, kind);
      return { status: 'done', detail: { kind } };
    }
    case 'calendar': {
      if (!ctx.calendar) return { status: 'skipped', detail: { reason: 'calendar_not_configured' } };
      for (const meeting of cohort.meetings) {
        await ctx.calendar.ensureMeeting(cohort, meeting);
        await ctx.calendar.addAttendees(cohort, meeting, [person]);
      }
      return { status: 'done', detail: { meetings: cohort.meetings.length } };
    }
    case 'slack': {
      const channels = cohort.onboarding.slackChannels;
      if (!ctx.slack || channels.length === 0)
        return { status: 'skipped', detail: { reason: 'slack_not_configured' } };
      const result = await ctx.slack.inviteToChannels(person, channels);
      if (result.status === 'joined') return { status: 'done', detail: { channels: channels.length } };
      if (ctx.cards && cohort.review.channel) {
        await ctx.cards.notifyStaff(
          cohort.review.channel,
          `${app.reference} התקבל/ה אך עדיין אינו/ה חבר/ה ב-Slack. יש להזמין אותו/ה לסביבת העבודה (הזמנה בדואר דורשת את ה-Admin API של Slack Enterprise); הצירוף לערוצים יושלם אוטומטית עם ההצטרפות.`,
        );
      }
      return { status: 'waiting', detail: { reason: 'not_in_workspace' } };
    }
    case 'unenroll': {
      if (ctx.calendar && person.email) {
        for (const meeting of cohort.meetings)
          await ctx.calendar.removeAttendee(cohort, meeting, person.email);
      }
      return { status: ctx.calendar ? 'done' : 'skipped' };
    }
  }
}

async function sendNotice(ctx: PipelineContext, app: ApplicationRow, cohort: Cohort, kind: NoticeKind) {
  if (!app.email) return;
  const notice = renderNotice({
    kind,
    cohort,
    fullName: app.full_name ?? '',
    reference: app.reference,
    publicUrl: ctx.publicUrl,
    calendarInvites: Boolean(ctx.calendar),
  });
  const person = { email: app.email, name: app.full_name ?? '' };
  await ctx.mail.send({
    to: person,
    ...notice,
    idempotencyKey: `${kind}-${app.id}`,
    ...(kind === 'accepted' && !ctx.calendar
      ? {
          attachments: [
            {
              filename: `${cohort.id}.ics`,
              contentType: 'text/calendar; method=REQUEST; charset=utf-8',
              content: cohortCalendar(cohort, { publicUrl: ctx.publicUrl, attendee: person }),
            },
          ],
        }
      : {}),
  });
}
