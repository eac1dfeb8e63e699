import type { PipelineContext } from '../usecases/context.ts';
import { resumeLinks } from '../usecases/draft-links.ts';
import { purgeDrafts, sendDraftLink } from '../usecases/drafts.ts';
import { syncMeetings } from '../usecases/meeting-sync.ts';
import { applyRetention } from '../usecases/privacy.ts';
import { reconcile } from '../usecases/reconcile.ts';
import { type Processor, requireName } from './runtime.ts';

/**
 * The maintenance queue: the reconciler every minute, the nightly retention run (expired drafts go with it),
 * meeting syncs and the resume links of saved forms.
 */
export const maintenanceProcessor = (ctx: PipelineContext): Processor => {
  const links = resumeLinks(ctx.db);
  return async (job) => {
    const name = requireName(job, ['reconcile', 'retention', 'meetings', 'draft-link']);
    if (name === 'meetings') {
      await syncMeetings(ctx, { cohortId: String(job.data.cohortId), digest: String(job.data.digest) });
      return;
    }
    if (name === 'draft-link') {
      await sendDraftLink({ ...ctx, links }, String(job.data.draftId));
      return;
    }
    if (name === 'retention') {
      const erased = await applyRetention(ctx);
      const drafts = await purgeDrafts(ctx);
      ctx.logger.info({ erased, drafts }, 'retention applied');
      return;
    }
    await reconcile(ctx);
  };
};
