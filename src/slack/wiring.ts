import { onTeamJoin } from '../usecases/onboarding.ts';
import {
  addNote,
  cardView,
  castVote,
  pendingFor,
  type ReviewContext,
  recordRefusal,
} from '../usecases/review.ts';
import type { SlackReviewDeps } from './app.ts';

/** The review engine's use cases, as the Slack transport calls them. */
export function slackReviewDeps(
  ctx: ReviewContext,
  logger: { warn(obj: object, msg?: string): void },
): SlackReviewDeps {
  return {
    castVote: (i) =>
      castVote(ctx, { applicationId: i.applicationId, reviewer: { slackId: i.slackUserId }, vote: i.vote }),
    addNote: (i) =>
      addNote(ctx, { applicationId: i.applicationId, reviewer: { slackId: i.slackUserId }, note: i.note }),
    cardView: (id) => cardView(ctx, id),
    async cardRef(id) {
      const row = await ctx.db
        .selectFrom('applications')
        .select(['card_channel', 'card_ts'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.card_channel && row.card_ts ? { channel: row.card_channel, ts: row.card_ts } : null;
    },
    pendingFor: (user) => pendingFor(ctx, { slackId: user }),
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
