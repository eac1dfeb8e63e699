import { notFound } from '../domain/errors.ts';
import { jobs } from '../storage/outbox.ts';
import type { ApplicationAnswers } from '../storage/schema.ts';
import { openSteps, transition } from '../storage/transition.ts';
import type { PipelineContext } from './context.ts';

/**
 * Stage 1 (הרשמה): screen by the workflow's rules, flag what staff should see, then move into review with
 * the review deadline set, the card to publish, the reminder and escalation, and the "received" notice.
 * Flags never reject: a person who cannot attend one meeting is still reviewed.
 */
export async function screenApplication(ctx: PipelineContext, applicationId: string): Promise<void> {
  const app = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (app?.status !== 'submitted' || app.erased_at) return;
  const cohort = ctx.workflows.cohorts.get(app.cohort);
  // Retrying cannot make a cohort appear: the job fails for good and the reconciler will not revive it.
  if (!cohort) throw notFound(`cohort ${app.cohort}`);

  const flags = new Set(app.flags);
  const screening: Record<string, unknown> = {};
  const answers = app.answers as ApplicationAnswers;
  const missing = cohort.meetings.filter((m) => !answers.confirmedMeetings?.includes(m.id)).map((m) => m.id);
  if (cohort.attendanceRequired && missing.length > 0) {
    flags.add('attendance');
    screening.unconfirmedMeetings = missing;
  }
  if (app.phone) {
    const twin = await ctx.db
      .selectFrom('applications')
      .select('reference')
      .where('cohort', '=', app.cohort)
      .where('phone', '=', app.phone)
      .where('id', '!=', app.id)
      .where('erased_at', 'is', null)
      .executeTakeFirst();
    if (twin) {
      flags.add('possible_duplicate');
      screening.duplicateOf = twin.reference;
    }
  }

  const now = ctx.clock();
  const deadline = new Date(now.getTime() + cohort.review.deadlineDays * 86_400_000);
  const remindAt = new Date(deadline.getTime() - cohort.review.reminderHoursBeforeDeadline * 3_600_000);
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await transition(trx, {
      applicationId,
      to: 'in_review',
      actor: 'system',
      at: now,
      event: 'screened',
      data: { flags: [...flags], ...screening },
      set: { flags: JSON.stringify([...flags]) as never, review_deadline: deadline },
      next: [
        jobs.card(applicationId),
        jobs.remind(applicationId, remindAt > now ? remindAt : now),
        jobs.escalate(applicationId, deadline),
      ],
    });
    if (moved) await openSteps(trx, applicationId, ['received'], now);
  });
  ctx.observeStage?.('intake', (now.getTime() - new Date(app.created_at).getTime()) / 1000);
  ctx.poke();
}
