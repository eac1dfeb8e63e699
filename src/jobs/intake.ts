import type { PipelineContext } from '../usecases/context.ts';
import { screenApplication } from '../usecases/intake.ts';
import { sendRepeatNotice } from '../usecases/repeat-notice.ts';
import { type Processor, requireName, targetId } from './runtime.ts';

/** The intake queue: screen a submitted application and move it into review; tell the owner of a repeat. */
export const intakeProcessor =
  (ctx: PipelineContext): Processor =>
  async (job) => {
    const name = requireName(job, ['intake', 'repeat']);
    if (name === 'repeat') return sendRepeatNotice(ctx, targetId(job), job.id);
    await screenApplication(ctx, targetId(job));
  };
