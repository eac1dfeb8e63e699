import type { Kysely } from 'kysely';
import { AppError, conflict, notFound } from '../domain/errors.ts';
import { ENROLLED, type StepName, stepsOnWithdrawal } from '../domain/lifecycle.ts';
import { PROPOSED_FROM_WAITLIST } from '../domain/review-policy.ts';
import { auditChange, type StaffAudit } from '../storage/audit.ts';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { addEvent, cancelOpenSteps, openSteps, transition } from '../storage/transition.ts';
import { proposeFromWaitlist } from './waitlist.ts';

export interface StepsContext {
  db: Kysely<Database>;
  clock: () => Date;
  poke?: () => void;
}

/**
 * A staff retry of a failed (or stuck waiting) step: a new generation, so the job gets a new id and runs
 * even though BullMQ still holds the failed one.
 */
export async function retryStep(
  ctx: StepsContext,
  input: { applicationId: string; step: StepName; actor: string; audit?: StaffAudit },
): Promise<{ kind: 'retried' }> {
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('steps')
      .set((eb) => ({
        status: 'pending',
        generation: eb('generation', '+', 1),
        last_error: null,
        updated_at: now,
      }))
      .where('application_id', '=', input.applicationId)
      .where('step', '=', input.step)
      .where('status', 'in', ['failed', 'waiting'])
      .returning(['generation'])
      .executeTakeFirst();
    if (!row) {
      const exists = await trx
        .selectFrom('steps')
        .select('status')
        .where('application_id', '=', input.applicationId)
        .where('step', '=', input.step)
        .executeTakeFirst();
      if (!exists) throw notFound('step');
      throw conflict('only a failed or waiting step can be retried', 'אפשר לנסות שוב רק שלב שנכשל או ממתין.');
    }
    await addEvent(trx, input.applicationId, input.actor, 'step_retried', { step: input.step }, now);
    await enqueue(trx, [jobs.step(input.applicationId, input.step, row.generation)], now);
    await auditChange(trx, now, input.applicationId, input.audit, 'retried');
  });
  ctx.poke?.();
  return { kind: 'retried' };
}

/**
 * The one withdrawal, whoever asks (staff on the dashboard, the admin API, the applicant from their page):
 * the person's unfinished steps are cancelled, someone who held a place is taken off every meeting and out
 * of the cohort's channels, and they are told. Each effect is its own idempotent, retried, visible step.
 */
export async function withdraw(
  ctx: StepsContext,
  input: { applicationId: string; actor: string; reason?: string; audit?: StaffAudit },
): Promise<{ kind: 'withdrawn' }> {
  const now = ctx.clock();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select(['status', 'cohort', 'flags'])
      .where('id', '=', input.applicationId)
      .forUpdate()
      .executeTakeFirst();
    if (!app) throw notFound('application');
    const wasEnrolled = ENROLLED.includes(app.status);
    const moved = await transition(trx, {
      applicationId: input.applicationId,
      to: 'withdrawn',
      actor: input.actor,
      at: now,
      data: input.reason ? { reason: input.reason } : {},
      next: [jobs.card(input.applicationId, 'withdrawn')],
    });
    if (!moved) return false;
    // Nothing still to do may put the person back: a pending, failed or waiting step is cancelled for good
    // (a retry is refused), and a running one finds its row cancelled when it ends (see `runStep`).
    await cancelOpenSteps(trx, input.applicationId, now);
    await openSteps(trx, input.applicationId, stepsOnWithdrawal(wasEnrolled), now);
    // A place opened (or the person it was offered to left it): the next on the waitlist is proposed to the
    // deciders, in this transaction, so the proposal is never lost between the two.
    const offeredPlace = app.status === 'waitlisted' && app.flags.includes(PROPOSED_FROM_WAITLIST);
    if (wasEnrolled || offeredPlace)
      await proposeFromWaitlist(trx, { cohort: app.cohort, openedBy: input.applicationId, at: now });
    await auditChange(trx, now, input.applicationId, input.audit, 'withdrawn');
    return true;
  });
  if (!done)
    throw conflict('cannot withdraw in this status', 'אי אפשר לבטל את ההשתתפות במצב הנוכחי של הבקשה.');
  ctx.poke?.();
  return { kind: 'withdrawn' };
}

/** Someone joined the Slack workspace: their waiting channel step runs again and now finds them. */
export async function onTeamJoin(ctx: StepsContext, input: { email: string }): Promise<number> {
  const waiting = await ctx.db
    .selectFrom('steps')
    .innerJoin('applications', 'applications.id', 'steps.application_id')
    .select(['steps.application_id'])
    .where('steps.step', '=', 'slack')
    .where('steps.status', '=', 'waiting')
    .where('applications.email', '=', input.email.toLowerCase())
    .execute();
  for (const w of waiting) {
    // Another join event or a staff retry may have taken the step first: that is success too.
    await retryStep(ctx, { applicationId: w.application_id, step: 'slack', actor: 'slack:team_join' }).catch(
      (error: unknown) => {
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      },
    );
  }
  return waiting.length;
}
