import { STEP_NAMES as STEPS } from '../domain/lifecycle.ts';
import type { PipelineContext } from '../usecases/context.ts';
import { markStepFailed, runStep } from '../usecases/steps.ts';
import type { ExhaustedHandler, Processor } from './runtime.ts';
import { requireName, targetId } from './runtime.ts';

/** The steps queue: one onboarding step (or notice) of one application, by name and generation. */
export const stepsProcessor =
  (ctx: PipelineContext): Processor =>
  async (job) => {
    const step = requireName(job, STEPS);
    await runStep(ctx, { applicationId: targetId(job), step, generation: Number(job.data.generation) });
  };

/** A step that failed for good is shown as failed, with its error, and waits for a staff retry. */
export const stepsExhausted =
  (ctx: PipelineContext): ExhaustedHandler =>
  async (job, error) => {
    await markStepFailed(ctx, {
      applicationId: targetId(job),
      step: requireName(job, STEPS),
      generation: Number(job.data.generation),
      error: error.message,
    });
  };
