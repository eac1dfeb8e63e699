import type { PipelineContext } from '../usecases/context.ts';
import { applyRetention } from '../usecases/privacy.ts';
import { reconcile } from '../usecases/reconcile.ts';
import { type Processor, requireName } from './runtime.ts';

/** The maintenance queue: the reconciler every minute and the nightly retention run. */
export const maintenanceProcessor =
  (ctx: PipelineContext): Processor =>
  async (job) => {
    const name = requireName(job, ['reconcile', 'retention']);
    if (name === 'retention') {
      const erased = await applyRetention(ctx);
      ctx.logger.info({ erased }, 'retention applied');
      return;
    }
    await reconcile(ctx);
  };
