import type { Transaction } from 'kysely';
import { conflict, forbidden } from '../domain/errors.ts';
import type { Decision } from '../domain/lifecycle.ts';
import { conflictFor, tally, type VoteChoice } from '../domain/review-policy.ts';
import { cleanText, isUuid } from '../domain/text.ts';
import { auditChange, type StaffAudit } from '../storage/audit.ts';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { addEvent, lockApplication } from '../storage/transition.ts';
import { applyDecision, DECIDED_HE, found, type ReviewContext, reviewerOf } from './decision.ts';
import { deciderKeys, type ReviewerIdentity, reviewerKey } from './review-view.ts';
import { groupCohorts, resolved, withGroupReviewers } from './reviewer-groups.ts';

export type { VoteChoice } from '../domain/review-policy.ts';
export { acceptFromWaitlist, decide, type ReviewContext } from './decision.ts';
export {
  cardView,
  findReviewer,
  pendingFor,
  type ReviewCardView,
  type ReviewerIdentity,
  reviewQueue,
  staffReviewView,
} from './review-view.ts';

/** What a vote did; a refusal is thrown as a coded error (not found, forbidden, conflict). */
export interface VoteResult {
  kind: 'recorded' | 'changed' | 'unchanged' | 'decided';
  /** The decision the vote led to, when it led to one. */
  outcome?: Decision;
  /** Why the outcome is not what the votes asked: the votes would have accepted into a full cohort. */
  reason?: 'capacity';
  /** The vote counts, flagged for the reviewer's conflict of interest (the `flag` policy). */
  conflicted?: boolean;
}

const CONFLICT_HE =
  'יש לך ניגוד עניינים בבקשה הזו (הפונה מהארגון או מהרשות שלך), ולכן ההצבעה שלך לא נרשמה. הבקשה תוכרע בלי הקול שלך.';

/**
 * Records (or changes) a reviewer's vote and, when the policy is met, decides — all under a lock on the
 * application row, so concurrent votes end in exactly one decision.
 */
export async function castVote(
  ctx: ReviewContext,
  input: {
    applicationId: string;
    reviewer: ReviewerIdentity;
    vote: VoteChoice;
    note?: string;
    /** When the person clicked (Slack's `action_ts`): a click older than the vote on record changes nothing. */
    clickedAt?: Date;
    audit?: StaffAudit;
  },
): Promise<VoteResult> {
  const now = ctx.clock();
  const early = await groupCohorts(ctx);
  const record = async (trx: Transaction<Database>) => {
    const { app, cohort: listed } = found(ctx, await lockApplication(trx, input.applicationId));
    const cohort = resolved(listed, early);
    const reviewer = reviewerOf(cohort, input.reviewer);
    if (app.status !== 'in_review') throw conflict('the application is already decided', DECIDED_HE);
    const key = reviewerKey(reviewer);
    // The reviewer learns of the conflict before anything is recorded: under `exclude` there is no vote to
    // count, so none is written; under `flag` the vote counts and the application carries the flag.
    const policy = conflictFor(cohort.review, reviewer.organisation, app.organisation);
    if (policy === 'exclude') throw forbidden('conflict of interest', CONFLICT_HE);
    const conflicted = policy === 'flag';
    // Every vote written counts; `counted` stays false only on votes an older policy set aside.
    const counted = true;
    const existing = await trx
      .selectFrom('votes')
      .selectAll()
      .where('application_id', '=', app.id)
      .where('reviewer', '=', key)
      .executeTakeFirst();
    const note = input.note ?? existing?.note ?? null;
    const stale = input.clickedAt && existing?.clicked_at && input.clickedAt <= new Date(existing.clicked_at);
    if (stale || (existing && existing.vote === input.vote && existing.note === note))
      return { kind: 'unchanged' as const, ...(conflicted ? { conflicted } : {}) };
    await trx
      .insertInto('votes')
      .values({
        application_id: app.id,
        reviewer: key,
        reviewer_name: reviewer.name,
        vote: input.vote,
        note,
        counted,
        at: now,
        clicked_at: input.clickedAt ?? null,
      })
      .onConflict((oc) =>
        oc
          .columns(['application_id', 'reviewer'])
          .doUpdateSet({ vote: input.vote, note, counted, at: now, clicked_at: input.clickedAt ?? null }),
      )
      .execute();
    await addEvent(
      trx,
      app.id,
      `reviewer:${key}`,
      existing ? 'vote_changed' : 'vote_cast',
      { vote: input.vote, counted, ...(conflicted ? { conflict: true } : {}) },
      now,
    );
    if (conflicted && !app.flags.includes('conflict_of_interest')) {
      await trx
        .updateTable('applications')
        .set({ flags: JSON.stringify([...app.flags, 'conflict_of_interest']) as never })
        .where('id', '=', app.id)
        .execute();
    }
    const votes = await trx.selectFrom('votes').selectAll().where('application_id', '=', app.id).execute();
    const decision = tally(
      cohort.review,
      votes.map((v) => ({ reviewer: v.reviewer, vote: v.vote as VoteChoice, counted: v.counted })),
      deciderKeys(cohort),
    );
    if (decision) {
      const decided = await applyDecision(trx, app, cohort, decision, {
        actor: `reviewer:${key}`,
        byName: reviewer.name,
        at: now,
        via: 'votes',
      });
      return { kind: 'decided' as const, ...decided, ...(conflicted ? { conflicted } : {}) };
    }
    // The card's one writer is its job, queued with the vote so a failed update is retried, not lost (a
    // decision queues its own).
    await enqueue(trx, [jobs.cardRefresh(app.id)], now);
    return {
      kind: existing ? ('changed' as const) : ('recorded' as const),
      ...(conflicted ? { conflicted } : {}),
    };
  };
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const result = await record(trx);
    await auditChange(trx, now, input.applicationId, input.audit, result.kind);
    return result;
  });
  if (outcome.kind !== 'unchanged') ctx.poke?.();
  return outcome;
}

/** Adds or replaces the reviewer's note without changing the vote; a note alone is not a vote. */
export async function addNote(
  ctx: ReviewContext,
  input: { applicationId: string; reviewer: ReviewerIdentity; note: string },
): Promise<VoteResult> {
  // A note's modal carries the id back from Slack; one that is not a UUID names no application.
  const { app, cohort: listed } = found(
    ctx,
    isUuid(input.applicationId)
      ? await ctx.db
          .selectFrom('applications')
          .selectAll()
          .where('id', '=', input.applicationId)
          .executeTakeFirst()
      : undefined,
  );
  const cohort = await withGroupReviewers(ctx, listed);
  const key = reviewerKey(reviewerOf(cohort, input.reviewer));
  const now = ctx.clock();
  const note = cleanText(input.note).slice(0, 2000);
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('votes')
      .set({ note, at: now })
      .where('application_id', '=', app.id)
      .where('reviewer', '=', key)
      .returning('reviewer')
      .executeTakeFirst();
    await addEvent(trx, app.id, `reviewer:${key}`, 'note_added', { withVote: Boolean(updated) }, now);
    await enqueue(trx, [jobs.cardRefresh(app.id)], now);
  });
  ctx.poke?.();
  return { kind: 'changed' };
}

/** A refused or unauthorised attempt, kept on the application's timeline (who and why, nothing else). */
export async function recordRefusal(
  ctx: Pick<ReviewContext, 'db' | 'clock'>,
  input: { applicationId?: string; actor: string; reason: string },
): Promise<boolean> {
  if (!input.applicationId || !isUuid(input.applicationId)) return false;
  const exists = await ctx.db
    .selectFrom('applications')
    .select('id')
    .where('id', '=', input.applicationId)
    .executeTakeFirst();
  if (!exists) return false;
  await addEvent(
    ctx.db,
    input.applicationId,
    input.actor,
    'action_refused',
    { reason: input.reason.slice(0, 100) },
    ctx.clock(),
  );
  return true;
}
