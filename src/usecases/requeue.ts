import { enqueue, type JobSpec } from '../storage/outbox.ts';
import type { PipelineContext } from './context.ts';

/**
 * Hands jobs the database says are due to the queues again: their outbox rows are reset to pending (so the
 * relay re-adds them; BullMQ ignores an id it still holds, so a healthy job is never doubled) and a job that
 * BullMQ gave up on outside our own error handling is put back in line.
 */
export async function requeue(
  ctx: Pick<PipelineContext, 'db' | 'poke' | 'revive' | 'jobStates'>,
  specs: JobSpec[],
  now: Date,
): Promise<void> {
  if (specs.length === 0) return;
  // A job BullMQ still holds would be ignored when added again, so only the missing go back through the
  // outbox, and only the failed are revived. When Redis cannot answer, everything goes, as it always did.
  const states = await ctx.jobStates?.(specs).catch(() => undefined);
  const missing = states ? specs.filter((s) => states.get(s.jobId) === 'absent') : specs;
  const failed = states ? specs.filter((s) => states.get(s.jobId) === 'failed') : specs;
  if (missing.length > 0) await handBack(ctx, missing, now);
  if (failed.length > 0) await ctx.revive?.(failed);
}

async function handBack(ctx: Pick<PipelineContext, 'db' | 'poke'>, specs: JobSpec[], now: Date) {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('outbox')
      .set({ dispatched_at: null })
      .where(
        'job_id',
        'in',
        specs.map((s) => s.jobId),
      )
      .execute();
    await enqueue(trx, specs, now);
  });
  ctx.poke();
}
