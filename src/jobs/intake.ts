import type { PipelineContext } from '../usecases/context.ts';
import { screenApplication } from '../usecases/intake.ts';
import { type Processor, requireName, targetId } from './runtime.ts';

/** The intake queue: screen a submitted application and move it into review. */
export const intakeProcessor =
  (ctx: PipelineContext): Processor =>
  async (job) => {
    requireName(job, ['intake']);
    await screenApplication(ctx, targetId(job));
  };
