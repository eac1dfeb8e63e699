import type { PipelineContext } from '../usecases/context.ts';
import { syncMeetings } from '../usecases/meeting-sync.ts';
import { applyRetention } from '../usecases/privacy.ts';
import { reconcile } from '../usecases/reconcile.ts';
import { type Processor, requireName } from './runtime.ts';

/** The maintenance queue: the reconciler every minute, the nightly retention run, and meeting syncs. */
export const maintenanceProcessor =
  (ctx: PipelineContext): Processor =>
  async (job) => {
    const name = requireName(job, ['reconcile', 'retention', 'meetings']);
    if (name === 'meetings') {
      await syncMeetings(ctx, { cohortId: String(job.data.cohortId), digest: String(job.data.digest) });
      return;
    }
    if (name === 'retention') {
      const erased = await applyRetention(ctx);
      ctx.logger.info({ erased }, 'retention applied');
      return;
    }
    await reconcile(ctx);
  };
