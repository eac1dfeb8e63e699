import type { StepName } from '../domain/lifecycle.ts';
import type { QueueName } from '../storage/outbox.ts';
import { addEvent } from '../storage/transition.ts';
import type { PipelineContext } from '../usecases/context.ts';
import { intakeJob } from '../usecases/intake.ts';
import { applyRetention } from '../usecases/privacy.ts';
import { reconcile } from '../usecases/reconcile.ts';
import { cardJob, escalateJob, remindJob } from '../usecases/review-card.ts';
import { stepJob } from '../usecases/steps.ts';
import type { ExhaustedHandler, Processor } from './runtime.ts';

export type { PipelineContext } from '../usecases/context.ts';

const id = (data: Record<string, string | number>) => String(data.applicationId ?? '');

/** The processor of every queue, by job name. */
export function processors(ctx: PipelineContext): Record<QueueName, Processor> {
  return {
    intake: (job) => intakeJob(ctx, id(job.data)),
    review: async (job) => {
      if (job.name === 'card') return cardJob(ctx, id(job.data));
      if (job.name === 'remind') return remindJob(ctx, id(job.data));
      if (job.name === 'escalate') return escalateJob(ctx, id(job.data));
    },
    steps: (job) =>
      stepJob(ctx, {
        applicationId: id(job.data),
        step: job.name as StepName,
        generation: Number(job.data.generation),
      }),
    maintenance: async (job) => {
      if (job.name === 'retention') {
        const erased = await applyRetention(ctx);
        ctx.logger.info({ erased }, 'retention applied');
        return;
      }
      await reconcile(ctx);
    },
  };
}

/** A step that failed for good is shown as failed, with its error, and waits for a staff retry. */
export function onExhausted(ctx: PipelineContext): ExhaustedHandler {
  return async (job, error) => {
    if (!job.id.startsWith('step-')) {
      ctx.logger.error({ job: job.id, err: error.message }, 'job failed for good');
      return;
    }
    const applicationId = id(job.data);
    const now = ctx.clock();
    const failed = await ctx.db
      .updateTable('steps')
      .set({ status: 'failed', last_error: error.message.slice(0, 500), updated_at: now })
      .where('application_id', '=', applicationId)
      .where('step', '=', job.name)
      .where('generation', '=', Number(job.data.generation))
      .where('status', 'in', ['pending', 'running'])
      .returning('step')
      .executeTakeFirst();
    if (failed)
      await addEvent(
        ctx.db,
        applicationId,
        'system',
        'step_failed',
        { step: job.name, error: error.message.slice(0, 200) },
        now,
      );
  };
}
