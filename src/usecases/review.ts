import type { Kysely, Transaction } from 'kysely';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import { conflict, forbidden, notFound } from '../domain/errors.ts';
import { type Decision, stepsFor } from '../domain/lifecycle.ts';
import { hasConflict, tally, type VoteChoice } from '../domain/review-policy.ts';
import { cleanText, isUuid } from '../domain/text.ts';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { ApplicationRow, Database } from '../storage/schema.ts';
import { addEvent, lockApplication, openSteps, transition } from '../storage/transition.ts';

import { findReviewer, type ReviewerIdentity, reviewerKey } from './review-view.ts';

export type { VoteChoice } from '../domain/review-policy.ts';
export {
  cardView,
  findReviewer,
  pendingFor,
  type ReviewCardView,
  type ReviewerIdentity,
} from './review-view.ts';

export interface ReviewContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  publicUrl: string;
  /** Called after a commit that wrote outbox rows, so the relay hands them to BullMQ at once. */
  poke?: () => void;
}

/** What a vote did; a refusal is thrown as a coded error (not found, forbidden, conflict). */
export interface VoteResult {
  kind: 'recorded' | 'changed' | 'unchanged' | 'decided';
}

const NOT_REVIEWER_HE = 'רק סוקרים שהוגדרו למחזור הזה יכולים להצביע. הניסיון נרשם.';
const DECIDED_HE = 'כבר התקבלה החלטה בבקשה הזו, ולכן אי אפשר לשנות הצבעות.';

/** The application and its cohort, or a not-found error (erased counts as gone). */
function found<T extends { erased_at: unknown; cohort: string }>(ctx: ReviewContext, app: T | undefined) {
  const cohort = app && !app.erased_at ? ctx.workflows.cohorts.get(app.cohort) : undefined;
  if (!app || !cohort) throw notFound('application');
  return { app, cohort };
}

/** The configured reviewer behind an identity, or a forbidden error: only listed reviewers vote. */
function reviewerOf(cohort: Cohort, who: ReviewerIdentity) {
  const reviewer = findReviewer(cohort, who);
  if (!reviewer) throw forbidden('not a reviewer of this cohort', NOT_REVIEWER_HE);
  return reviewer;
}

/**
 * Records (or changes) a reviewer's vote and, when the policy is met, decides — all under a lock on the
 * application row, so concurrent votes end in exactly one decision.
 */
export async function castVote(
  ctx: ReviewContext,
  input: { applicationId: string; reviewer: ReviewerIdentity; vote: VoteChoice; note?: string },
): Promise<VoteResult> {
  const now = ctx.clock();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const { app, cohort } = found(ctx, await lockApplication(trx, input.applicationId));
    const reviewer = reviewerOf(cohort, input.reviewer);
    if (app.status !== 'in_review') throw conflict('the application is already decided', DECIDED_HE);
    const key = reviewerKey(reviewer);
    const conflicted = hasConflict(reviewer.organisation, app.organisation);
    const counted = !(conflicted && cohort.review.conflictOfInterest === 'exclude');
    const existing = await trx
      .selectFrom('votes')
      .selectAll()
      .where('application_id', '=', app.id)
      .where('reviewer', '=', key)
      .executeTakeFirst();
    const note = input.note ?? existing?.note ?? null;
    if (existing && existing.vote === input.vote && existing.note === note)
      return { kind: 'unchanged' as const };
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
      })
      .onConflict((oc) =>
        oc.columns(['application_id', 'reviewer']).doUpdateSet({ vote: input.vote, note, counted, at: now }),
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
    const deciders = new Set(
      cohort.review.deciders.flatMap((d) => {
        const r = cohort.review.reviewers.find(
          (x) => x.slackId === d || x.email?.toLowerCase() === d.toLowerCase(),
        );
        return r ? [reviewerKey(r)] : [d];
      }),
    );
    const decision = tally(
      cohort.review,
      votes.map((v) => ({ reviewer: v.reviewer, vote: v.vote as VoteChoice, counted: v.counted })),
      deciders,
    );
    if (decision) {
      await applyDecision(trx, app, decision, {
        actor: `reviewer:${key}`,
        byName: reviewer.name,
        at: now,
        via: 'votes',
      });
      return { kind: 'decided' as const };
    }
    // The card's one writer is its job, queued with the vote so a failed update is retried, not lost (a
    // decision queues its own).
    await enqueue(trx, [jobs.cardRefresh(app.id)], now);
    return { kind: existing ? ('changed' as const) : ('recorded' as const) };
  });
  if (outcome.kind !== 'unchanged') ctx.poke?.();
  return outcome;
}

/** Adds or replaces the reviewer's note without changing the vote; a note alone is not a vote. */
export async function addNote(
  ctx: ReviewContext,
  input: { applicationId: string; reviewer: ReviewerIdentity; note: string },
): Promise<VoteResult> {
  const { app, cohort } = found(
    ctx,
    await ctx.db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', input.applicationId)
      .executeTakeFirst(),
  );
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

/** A staff or decider decision, bypassing the vote count (also moves a waitlisted person on). */
export async function decide(
  ctx: ReviewContext,
  input: { applicationId: string; outcome: Decision; actor: string; byName: string; reason?: string },
): Promise<{ kind: 'decided' }> {
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const { app } = found(ctx, await lockApplication(trx, input.applicationId));
    const from = app.status === 'waitlisted' && input.outcome !== 'waitlisted' ? 'waitlisted' : 'in_review';
    if (app.status !== from) throw conflict('the application is already decided', DECIDED_HE);
    await applyDecision(trx, app, input.outcome, {
      actor: input.actor,
      byName: input.byName,
      at: now,
      via: 'direct',
      ...(input.reason ? { reason: input.reason } : {}),
    });
  });
  ctx.poke?.();
  return { kind: 'decided' };
}

async function applyDecision(
  trx: Transaction<Database>,
  app: ApplicationRow,
  outcome: Decision,
  meta: { actor: string; byName: string; at: Date; via: string; reason?: string },
): Promise<void> {
  const moved = await transition(trx, {
    applicationId: app.id,
    from: [app.status as 'in_review' | 'waitlisted'],
    to: outcome,
    actor: meta.actor,
    at: meta.at,
    event: 'decided',
    data: { outcome, by: meta.byName, via: meta.via, ...(meta.reason ? { reason: meta.reason } : {}) },
    set: { decided_at: meta.at, decided_by: meta.byName },
    next: [jobs.card(app.id, `decided-${outcome}`)],
  });
  // A waitlisted person who is later accepted or declined gets the notice again, as a new generation.
  if (moved) await openSteps(trx, app.id, stepsFor(outcome), meta.at);
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
