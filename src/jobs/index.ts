import type { QueueName } from '../storage/outbox.ts';
import type { PipelineContext } from '../usecases/context.ts';
import { intakeProcessor } from './intake.ts';
import { maintenanceProcessor } from './maintenance.ts';
import { reviewProcessor } from './review.ts';
import type { ExhaustedHandler, Processor } from './runtime.ts';
import { stepsExhausted, stepsProcessor } from './steps.ts';

export type { PipelineContext } from '../usecases/context.ts';

/** The processor of every queue. */
export function processors(ctx: PipelineContext): Record<QueueName, Processor> {
  return {
    intake: intakeProcessor(ctx),
    review: reviewProcessor(ctx),
    steps: stepsProcessor(ctx),
    maintenance: maintenanceProcessor(ctx),
  };
}

/** What each queue records when one of its jobs has failed for good; only steps show it to staff. */
export function onExhausted(ctx: PipelineContext): ExhaustedHandler {
  const steps = stepsExhausted(ctx);
  return async (job, error) => {
    if (job.queue === 'steps') return steps(job, error);
    ctx.logger.error({ job: job.id, err: error.message }, 'job failed for good');
  };
}
