import { enqueue, type JobSpec } from '../storage/outbox.ts';
import type { PipelineContext } from './context.ts';

/**
 * Hands jobs the database says are due to the queues again: their outbox rows are reset to pending (so the
 * relay re-adds them; BullMQ ignores an id it still holds, so a healthy job is never doubled) and a job that
 * BullMQ gave up on outside our own error handling is put back in line.
 */
export async function requeue(
  ctx: Pick<PipelineContext, 'db' | 'poke' | 'revive'>,
  specs: JobSpec[],
  now: Date,
): Promise<void> {
  if (specs.length === 0) return;
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
  await ctx.revive?.(specs);
}
