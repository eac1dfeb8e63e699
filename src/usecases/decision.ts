import type { Kysely, Transaction } from 'kysely';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import { conflict, forbidden, notFound } from '../domain/errors.ts';
import { type Decision, stepsFor } from '../domain/lifecycle.ts';
import { PROPOSED_FROM_WAITLIST } from '../domain/review-policy.ts';
import { jobs } from '../storage/outbox.ts';
import type { ApplicationRow, Database } from '../storage/schema.ts';
import { lockApplication, openSteps, transition } from '../storage/transition.ts';
import { deciderKeys, findReviewer, type ReviewerIdentity, reviewerKey } from './review-view.ts';
import { groupCohorts, resolved, type UserGroupPort } from './reviewer-groups.ts';
import { cohortFullHe, lockPlaces, proposeFromWaitlist } from './waitlist.ts';

export interface ReviewContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  publicUrl: string;
  /** Called after a commit that wrote outbox rows, so the relay hands them to BullMQ at once. */
  poke?: () => void;
  /** Members of a cohort's reviewer user group; without it a cohort's reviewers are the ones it lists. */
  groups?: UserGroupPort | undefined;
}

const NOT_REVIEWER_HE = 'רק סוקרים שהוגדרו למחזור הזה יכולים להצביע. הניסיון נרשם.';
export const DECIDED_HE = 'כבר התקבלה החלטה בבקשה הזו, ולכן אי אפשר לשנות הצבעות.';
const NOT_DECIDER_HE =
  'קבלה מרשימת ההמתנה שמורה למכריעים שהוגדרו למחזור. אפשר להחליט גם בלוח הבקרה. הניסיון נרשם.';
const NOT_WAITLISTED_HE = 'הבקשה כבר אינה ברשימת ההמתנה.';

/** The application and its cohort, or a not-found error (erased counts as gone). */
export function found<T extends { erased_at: unknown; cohort: string }>(
  ctx: ReviewContext,
  app: T | undefined,
) {
  const cohort = app && !app.erased_at ? ctx.workflows.cohorts.get(app.cohort) : undefined;
  if (!app || !cohort) throw notFound('application');
  return { app, cohort };
}

/** The configured reviewer behind an identity, or a forbidden error: only listed reviewers vote. */
export function reviewerOf(cohort: Cohort, who: ReviewerIdentity) {
  const reviewer = findReviewer(cohort, who);
  if (!reviewer) throw forbidden('not a reviewer of this cohort', NOT_REVIEWER_HE);
  return reviewer;
}

/** What a decision did: the outcome may be the waitlist when votes would have accepted into a full cohort. */
export interface DecisionResult {
  outcome: Decision;
  reason?: 'capacity';
}

/**
 * Moves the application to the outcome and opens its steps, in the caller's transaction, under the caller's
 * lock on the application row. An acceptance counts the cohort's places first: a person's explicit
 * acceptance into a full cohort is refused, while votes that reach the accept quorum waitlist instead, so
 * the quorum is never lost and the place is never overfilled.
 */
export async function applyDecision(
  trx: Transaction<Database>,
  app: ApplicationRow,
  cohort: Cohort,
  wanted: Decision,
  meta: { actor: string; byName: string; at: Date; via: 'votes' | 'direct' | 'waitlist'; reason?: string },
): Promise<DecisionResult> {
  let outcome = wanted;
  let reason = meta.reason;
  if (wanted === 'accepted' && cohort.capacity !== undefined) {
    const taken = await lockPlaces(trx, cohort.id);
    if (taken >= cohort.capacity) {
      if (meta.via !== 'votes') throw conflict('the cohort is full', cohortFullHe(taken, cohort.capacity));
      outcome = 'waitlisted';
      reason = 'capacity';
    }
  }
  // A proposal from the waitlist is answered by any decision on it.
  const flags = app.flags.filter((f) => f !== PROPOSED_FROM_WAITLIST);
  const moved = await transition(trx, {
    applicationId: app.id,
    from: [app.status as 'in_review' | 'waitlisted'],
    to: outcome,
    actor: meta.actor,
    at: meta.at,
    event: 'decided',
    data: { outcome, by: meta.byName, via: meta.via, ...(reason ? { reason } : {}) },
    set: {
      decided_at: meta.at,
      decided_by: meta.byName,
      ...(flags.length < app.flags.length ? { flags: JSON.stringify(flags) as never } : {}),
    },
    next: [jobs.card(app.id, `decided-${outcome}`)],
  });
  // A waitlisted person who is later accepted or declined gets the notice again, as a new generation.
  if (moved) await openSteps(trx, app.id, stepsFor(outcome), meta.at);
  return { outcome, ...(reason === 'capacity' ? { reason } : {}) };
}

/** A staff or decider decision, bypassing the vote count (also moves a waitlisted person on). */
export async function decide(
  ctx: ReviewContext,
  input: { applicationId: string; outcome: Decision; actor: string; byName: string; reason?: string },
): Promise<{ kind: 'decided' }> {
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const { app, cohort } = found(ctx, await lockApplication(trx, input.applicationId));
    const from = app.status === 'waitlisted' && input.outcome !== 'waitlisted' ? 'waitlisted' : 'in_review';
    if (app.status !== from) throw conflict('the application is already decided', DECIDED_HE);
    await applyDecision(trx, app, cohort, input.outcome, {
      actor: input.actor,
      byName: input.byName,
      at: now,
      via: 'direct',
      ...(input.reason ? { reason: input.reason } : {}),
    });
    // Declining the person a freed place was offered to leaves that place open: it goes to the next in line,
    // in this transaction, as a withdrawal's would.
    if (
      app.status === 'waitlisted' &&
      app.flags.includes(PROPOSED_FROM_WAITLIST) &&
      input.outcome === 'declined'
    )
      await proposeFromWaitlist(trx, { cohort: app.cohort, openedBy: app.id, at: now });
  });
  ctx.poke?.();
  return { kind: 'decided' };
}

/** A decider's one click on a waitlisted applicant's card: accepted, if the cohort has a place. */
export async function acceptFromWaitlist(
  ctx: ReviewContext,
  input: { applicationId: string; reviewer: ReviewerIdentity },
): Promise<{ kind: 'decided' }> {
  const now = ctx.clock();
  const early = await groupCohorts(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const { app, cohort: listed } = found(ctx, await lockApplication(trx, input.applicationId));
    const cohort = resolved(listed, early);
    const reviewer = reviewerOf(cohort, input.reviewer);
    const key = reviewerKey(reviewer);
    if (!deciderKeys(cohort).has(key)) throw forbidden('not a decider of this cohort', NOT_DECIDER_HE);
    if (app.status !== 'waitlisted') throw conflict('the application is not waitlisted', NOT_WAITLISTED_HE);
    await applyDecision(trx, app, cohort, 'accepted', {
      actor: `reviewer:${key}`,
      byName: reviewer.name,
      at: now,
      via: 'waitlist',
    });
  });
  ctx.poke?.();
  return { kind: 'decided' };
}
