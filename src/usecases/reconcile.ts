import { sql } from 'kysely';
import { ONBOARDING_STEPS, STEP_FINISHED, type StepName } from '../domain/lifecycle.ts';
import { type JobSpec, jobs } from '../storage/outbox.ts';
import type { PipelineContext } from './context.ts';
import { meetingSyncSpecs } from './meeting-sync.ts';
import { requeue } from './requeue.ts';
import { completeIfFinished } from './steps.ts';

/** How long a state may sit before the reconciler assumes its job was lost. */
const STUCK_AFTER_MS = 60_000;

/**
 * Re-creates, from the database alone, the job every unfinished piece of work needs: intake for submitted
 * applications, the card for those in review, each pending or running step, the sync of a cohort whose
 * meetings differ from what its members were told. Outbox rows with the same job ids are reset to pending,
 * so the relay re-adds them; BullMQ ignores an id it still holds, so a healthy job is never doubled, and one
 * lost with Redis (a flush, a failover) comes back.
 */
export async function reconcile(ctx: PipelineContext): Promise<{ requeued: number }> {
  const now = ctx.clock();
  const before = new Date(now.getTime() - (ctx.stuckAfterMs ?? STUCK_AFTER_MS));
  const specs: JobSpec[] = [];

  const submitted = await ctx.db
    .selectFrom('applications')
    .select('id')
    .where('status', '=', 'submitted')
    .where('updated_at', '<', before)
    .where('erased_at', 'is', null)
    .limit(5000)
    .execute();
  for (const a of submitted) specs.push(jobs.intake(a.id));

  const inReview = await ctx.db
    .selectFrom('applications')
    .select(['id', 'review_deadline', 'card_ts', 'cohort'])
    .where('status', '=', 'in_review')
    // As for every other state: what changed within the lease has its jobs from that change's transaction.
    .where('updated_at', '<', before)
    .where('erased_at', 'is', null)
    .limit(5000)
    .execute();
  for (const a of inReview) {
    const cohort = ctx.workflows.cohorts.get(a.cohort);
    if (ctx.cards.configured && cohort?.review.channel && !a.card_ts) specs.push(jobs.card(a.id));
    // Only future reminders are restored: one that already ran must not run again a day later.
    if (a.review_deadline && cohort && new Date(a.review_deadline) > now) {
      const deadline = new Date(a.review_deadline);
      const remindAt = new Date(deadline.getTime() - cohort.review.reminderHoursBeforeDeadline * 3_600_000);
      if (remindAt > now) specs.push(jobs.remind(a.id, remindAt));
      specs.push(jobs.escalate(a.id, deadline));
    }
  }

  // A card whose job was lost while the application was in review and which staff then decided elsewhere
  // (the dashboard, the API): the card still belongs in the channel, showing the decision.
  if (ctx.cards.configured) {
    const decidedWithoutCard = await ctx.db
      .selectFrom('applications')
      .select(['id', 'cohort'])
      .where('decided_at', 'is not', null)
      .where('decided_at', '>', new Date(now.getTime() - 7 * 86_400_000))
      .where('decided_at', '<', before)
      .where('card_ts', 'is', null)
      .where('erased_at', 'is', null)
      .limit(1000)
      .execute();
    for (const a of decidedWithoutCard) {
      if (ctx.workflows.cohorts.get(a.cohort)?.review.channel) specs.push(jobs.card(a.id));
    }
  }

  const steps = await ctx.db
    .selectFrom('steps')
    .select(['application_id', 'step', 'generation'])
    .where('status', 'in', ['pending', 'running'])
    .where('updated_at', '<', before)
    .limit(5000)
    .execute();
  for (const s of steps) specs.push(jobs.step(s.application_id, s.step as StepName, s.generation));

  // Every step finished but the application never moved on: its last worker died in between.
  // Only those whose steps are all finished: a backlog still onboarding is not read one by one each round.
  const unfinished = await ctx.db
    .selectFrom('applications')
    .select('id')
    .where('status', 'in', ['accepted', 'onboarding'])
    .where('updated_at', '<', before)
    .where('id', 'in', (q) =>
      q
        .selectFrom('steps')
        .select('application_id')
        .where('step', 'in', [...ONBOARDING_STEPS])
        .groupBy('application_id')
        .having((eb) => eb.fn.countAll(), '=', ONBOARDING_STEPS.length)
        .having((eb) => eb.fn('bool_and', [eb('status', 'in', [...STEP_FINISHED])]), '=', true),
    )
    .limit(5000)
    .execute();
  for (const a of unfinished) await completeIfFinished(ctx, a.id);

  specs.push(...(await meetingSyncSpecs(ctx, ctx.startedAt ?? now)));

  await requeue(ctx, specs, now);
  // Dispatched rows are history once their jobs ran; a week is plenty to investigate an incident.
  await ctx.db
    .deleteFrom('outbox')
    .where('dispatched_at', '<', new Date(now.getTime() - 7 * 86_400_000))
    .execute();
  // Every outbox row is written twice (added, then marked dispatched), and every transition and step
  // rewrites its application's or step's row; each index keeps an entry for every old version until the
  // table is vacuumed. PGlite never vacuums by itself, nor does a server with autovacuum off, so the relay's
  // read and the count of a cohort's places (7–12 ms with 10,000 applications, 1.6 ms vacuumed) would slow
  // with every change ever made. Vacuumed here: a table vacuumed a round before is mostly skipped, and the
  // three cost about 30 ms a round with 10,000 applications in flight.
  await sql`VACUUM outbox, applications, steps`.execute(ctx.db).catch(() => {});
  return { requeued: specs.length };
}
