import { mailMyLink } from '../usecases/applicant-link.ts';
import type { PipelineContext } from '../usecases/context.ts';
import { escalateReview, refreshCard, remindReviewers } from '../usecases/review-card.ts';
import { type Processor, requireName, targetId } from './runtime.ts';

/** The review queue: the card, the reminder before the deadline, the escalation at it, the applicant's link. */
export const reviewProcessor =
  (ctx: PipelineContext): Processor =>
  async (job) => {
    const name = requireName(job, ['card', 'remind', 'escalate', 'my-link']);
    const id = targetId(job);
    if (name === 'card') return refreshCard(ctx, id);
    if (name === 'my-link') return mailMyLink(ctx, id, job.id);
    if (name === 'remind') return remindReviewers(ctx, id);
    return escalateReview(ctx, id);
  };
