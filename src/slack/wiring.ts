import { onTeamJoin } from '../usecases/onboarding.ts';
import {
  acceptFromWaitlist,
  addNote,
  castVote,
  type ReviewContext,
  recordRefusal,
  reviewQueue,
} from '../usecases/review.ts';
import type { SlackReviewDeps } from './app.ts';

/** The review engine's use cases, as the Slack transport calls them. */
export function slackReviewDeps(
  ctx: ReviewContext,
  logger: { warn(obj: object, msg?: string): void },
): SlackReviewDeps {
  return {
    castVote: (i) =>
      castVote(ctx, {
        applicationId: i.applicationId,
        reviewer: { slackId: i.slackUserId },
        vote: i.vote,
        ...(i.clickedAt ? { clickedAt: i.clickedAt } : {}),
      }),
    acceptFromWaitlist: (i) =>
      acceptFromWaitlist(ctx, { applicationId: i.applicationId, reviewer: { slackId: i.slackUserId } }),
    addNote: (i) =>
      addNote(ctx, { applicationId: i.applicationId, reviewer: { slackId: i.slackUserId }, note: i.note }),
    reviewQueue: (user) => reviewQueue(ctx, { slackId: user }),
    groupChanged: (groupId) => ctx.groups?.forget(groupId),
    onTeamJoin: (i) => onTeamJoin(ctx, i),
    async recordRefusal(i) {
      const recorded = await recordRefusal(ctx, {
        applicationId: i.applicationId,
        actor: `slack:${i.slackUserId}`,
        reason: i.reason,
      });
      logger.warn({ slackUser: i.slackUserId, reason: i.reason, recorded }, 'slack action refused');
    },
  };
}
