import type { Kysely } from 'kysely';
import type { StepName } from '../domain/lifecycle.ts';
import { jobs } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { addEvent, enqueue, openSteps, transition } from '../storage/transition.ts';

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
  input: { applicationId: string; step: StepName; actor: string },
): Promise<{ kind: 'retried' | 'not_retryable' | 'not_found' }> {
  const now = ctx.clock();
  const result = await ctx.db.transaction().execute(async (trx) => {
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
      return exists ? ('not_retryable' as const) : ('not_found' as const);
    }
    await addEvent(trx, input.applicationId, input.actor, 'step_retried', { step: input.step }, now);
    await enqueue(trx, [jobs.step(input.applicationId, input.step, row.generation)], now);
    return 'retried' as const;
  });
  if (result === 'retried') ctx.poke?.();
  return { kind: result };
}

/** The applicant (or staff for them) withdraws; someone already accepted is taken off the meetings. */
export async function withdraw(
  ctx: StepsContext,
  input: { applicationId: string; actor: string; reason?: string },
): Promise<{ kind: 'withdrawn' | 'not_allowed' }> {
  const now = ctx.clock();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select('status')
      .where('id', '=', input.applicationId)
      .forUpdate()
      .executeTakeFirst();
    if (!app) return false;
    const wasEnrolled = ['accepted', 'onboarding', 'onboarded'].includes(app.status);
    const moved = await transition(trx, {
      applicationId: input.applicationId,
      from: ['submitted', 'in_review', 'waitlisted', 'accepted', 'onboarding', 'onboarded'],
      to: 'withdrawn',
      actor: input.actor,
      at: now,
      data: input.reason ? { reason: input.reason } : {},
      next: [jobs.card(input.applicationId, 'withdrawn')],
    });
    if (moved && wasEnrolled) await openSteps(trx, input.applicationId, ['unenroll'], now);
    return moved;
  });
  if (done) ctx.poke?.();
  return { kind: done ? 'withdrawn' : 'not_allowed' };
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
    await retryStep(ctx, { applicationId: w.application_id, step: 'slack', actor: 'slack:team_join' });
  }
  return waiting.length;
}
