import { addEvent } from '../storage/transition.ts';
import type { PipelineContext } from './context.ts';
import { cardView } from './review.ts';
import {
  asRecipient,
  escalationRecipients,
  mailReviewers,
  requestReviewByMail,
  reviewersOwingVote,
} from './review-mail.ts';
import { withGroupReviewers } from './reviewer-groups.ts';

/** Stage 2 (מיון): publishes the review card, or updates it in place; stores where it is. */
export async function refreshCard(ctx: PipelineContext, applicationId: string): Promise<void> {
  // Without Slack there is no card: the reviewers are asked by e-mail instead, once.
  if (!ctx.cards.configured) return requestReviewByMail(ctx, applicationId);
  const app = await ctx.db
    .selectFrom('applications')
    .select(['cohort', 'card_channel', 'card_ts'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  const channel = app ? ctx.workflows.cohorts.get(app.cohort)?.review.channel : undefined;
  if (!app || !channel) return;
  const view = await cardView(ctx, applicationId);
  if (!view) return;
  if (app.card_channel && app.card_ts) {
    await ctx.cards.update({ channel: app.card_channel, ts: app.card_ts }, view);
    return;
  }
  // publish() finds a card an earlier attempt posted before crashing, so this never posts twice. Whether
  // there was an earlier attempt is written down under the card's lock: the first of all need not look.
  const ref = await ctx.cards.publish(view, channel, {
    claimFirstAttempt: async () =>
      (await ctx.db
        .updateTable('applications')
        .set({ card_attempted_at: ctx.clock() })
        .where('id', '=', applicationId)
        .where('card_attempted_at', 'is', null)
        .returning('id')
        .executeTakeFirst()) !== undefined,
  });
  const stored = await ctx.db
    .updateTable('applications')
    .set({ card_channel: ref.channel, card_ts: ref.ts })
    .where('id', '=', applicationId)
    .where('card_ts', 'is', null)
    .returning('id')
    .executeTakeFirst();
  // A refresh that raced the first post found the card another job had just posted: it brings that card
  // up to date instead of announcing it again.
  if (!stored) return ctx.cards.update(ref, view);
  await addEvent(ctx.db, applicationId, 'system', 'card_posted', { channel: ref.channel }, ctx.clock());
}

async function reviewersWithoutVote(ctx: PipelineContext, applicationId: string) {
  const app = await ctx.db
    .selectFrom('applications')
    .select(['id', 'cohort', 'status', 'reference', 'flags', 'organisation', 'review_deadline'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (app?.status !== 'in_review') return null;
  const listed = ctx.workflows.cohorts.get(app.cohort);
  if (!listed) return null;
  // Members of the cohort's reviewer group owe a vote as the listed reviewers do.
  const cohort = await withGroupReviewers(ctx, listed);
  const voted = new Set(
    (
      await ctx.db
        .selectFrom('votes')
        .select('reviewer')
        .where('application_id', '=', applicationId)
        .execute()
    ).map((v) => v.reviewer),
  );
  const missing = reviewersOwingVote(cohort, app.organisation, voted);
  return { app, cohort, missing };
}

// Reviewer ids come from the deployment's settings, never from applicants, so mentioning them is safe.
const mention = (r: { slackId?: string | undefined; name: string }) =>
  r.slackId ? `<@${r.slackId}>` : r.name;

/** Before the deadline: a reminder to the reviewers who have not voted yet. */
export async function remindReviewers(ctx: PipelineContext, applicationId: string): Promise<void> {
  const found = await reviewersWithoutVote(ctx, applicationId);
  if (!found || found.missing.length === 0) return;
  const { app, cohort, missing } = found;
  await addEvent(
    ctx.db,
    applicationId,
    'system',
    'review_reminder',
    { reviewers: missing.length },
    ctx.clock(),
  );
  if (ctx.cards.configured && cohort.review.channel) {
    await ctx.cards.notifyStaff(
      cohort.review.channel,
      `תזכורת: הבקשה ${app.reference} ממתינה להצבעה של ${missing.map(mention).join(', ')}.`,
    );
  } else {
    await mailReviewers(ctx, 'reminder', app, cohort, missing.map(asRecipient));
  }
}

/** At the deadline: still undecided, so the application is flagged overdue and staff are told. */
export async function escalateReview(ctx: PipelineContext, applicationId: string): Promise<void> {
  const found = await reviewersWithoutVote(ctx, applicationId);
  if (!found) return;
  const { app, cohort } = found;
  if (!app.flags.includes('review_overdue')) {
    await ctx.db
      .updateTable('applications')
      .set({ flags: JSON.stringify([...app.flags, 'review_overdue']) as never })
      .where('id', '=', applicationId)
      .execute();
  }
  await addEvent(ctx.db, applicationId, 'system', 'review_overdue', {}, ctx.clock());
  if (ctx.cards.configured && cohort.review.channel) {
    const deciders = cohort.review.deciders.map((d) => (d.startsWith('U') ? `<@${d}>` : d)).join(', ');
    await ctx.cards.notifyStaff(
      cohort.review.channel,
      `הבקשה ${app.reference} עברה את מועד ההחלטה בלי הכרעה.${deciders ? ` ${deciders}, נא להכריע.` : ''}`,
    );
    await refreshCard(ctx, applicationId);
  } else {
    await mailReviewers(ctx, 'overdue', app, cohort, escalationRecipients(ctx, cohort));
  }
}
