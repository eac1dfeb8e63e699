import type { Kysely, Transaction } from 'kysely';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import { type Decision, stepsFor } from '../domain/lifecycle.ts';
import { hasConflict, tally, type VoteChoice } from '../domain/review-policy.ts';
import { cleanText } from '../domain/text.ts';
import { jobs } from '../storage/outbox.ts';
import type { ApplicationRow, Database } from '../storage/schema.ts';
import { addEvent, lockApplication, openSteps, transition } from '../storage/transition.ts';

export type { VoteChoice } from '../domain/review-policy.ts';

export interface ReviewContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  publicUrl: string;
  /** Called after a commit that wrote outbox rows, so the relay hands them to BullMQ at once. */
  poke?: () => void;
}

/** What a review card shows: allow-listed fields only (never phone, never accessibility needs). */
export interface ReviewCardView {
  applicationId: string;
  reference: string;
  cohortId: string;
  cohortName: string;
  fullName: string;
  organisation: string;
  roleTitle: string;
  sector: string;
  region: string;
  motivation: string;
  flags: string[];
  status: string;
  blind: boolean;
  votes: { reviewerName: string; reviewerSlackId?: string; vote: VoteChoice; note?: string; at: string }[];
  decision?: { outcome: Decision; byName: string; at: string };
  deadline?: string;
  dashboardUrl: string;
}

/** A reviewer as identified by a transport: a Slack user id, or an e-mail from the dashboard. */
export type ReviewerIdentity = { slackId: string } | { email: string };

export type VoteResult =
  | { kind: 'recorded' | 'changed' | 'unchanged' | 'decided'; card: ReviewCardView }
  | { kind: 'not_reviewer' | 'already_decided' | 'not_found' };

type Reviewer = Cohort['review']['reviewers'][number];

/** The configured reviewer behind an identity, or undefined: only listed reviewers vote. */
export function findReviewer(cohort: Cohort, who: ReviewerIdentity): Reviewer | undefined {
  return cohort.review.reviewers.find((r) =>
    'slackId' in who ? r.slackId === who.slackId : r.email?.toLowerCase() === who.email.toLowerCase(),
  );
}

const reviewerKey = (r: Reviewer) => r.slackId ?? r.email?.toLowerCase() ?? r.name;

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
    const app = await lockApplication(trx, input.applicationId);
    if (!app || app.erased_at) return { kind: 'not_found' as const };
    const cohort = ctx.workflows.cohorts.get(app.cohort);
    if (!cohort) return { kind: 'not_found' as const };
    const reviewer = findReviewer(cohort, input.reviewer);
    if (!reviewer) return { kind: 'not_reviewer' as const };
    if (app.status !== 'in_review') return { kind: 'already_decided' as const };
    const key = reviewerKey(reviewer);
    const conflict = hasConflict(reviewer.organisation, app.organisation);
    const counted = !(conflict && cohort.review.conflictOfInterest === 'exclude');
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
      { vote: input.vote, counted, ...(conflict ? { conflict: true } : {}) },
      now,
    );
    if (conflict && !app.flags.includes('conflict_of_interest')) {
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
    return { kind: existing ? ('changed' as const) : ('recorded' as const) };
  });
  if (outcome.kind === 'decided') ctx.poke?.();
  if (outcome.kind === 'not_found' || outcome.kind === 'not_reviewer' || outcome.kind === 'already_decided') {
    return outcome;
  }
  const card = await cardView(ctx, input.applicationId);
  return card ? { kind: outcome.kind, card } : { kind: 'not_found' };
}

/** Adds or replaces the reviewer's note without changing the vote; a note alone is not a vote. */
export async function addNote(
  ctx: ReviewContext,
  input: { applicationId: string; reviewer: ReviewerIdentity; note: string },
): Promise<VoteResult> {
  const app = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', input.applicationId)
    .executeTakeFirst();
  const cohort = app ? ctx.workflows.cohorts.get(app.cohort) : undefined;
  if (!app || !cohort || app.erased_at) return { kind: 'not_found' };
  const reviewer = findReviewer(cohort, input.reviewer);
  if (!reviewer) return { kind: 'not_reviewer' };
  const key = reviewerKey(reviewer);
  const now = ctx.clock();
  const note = cleanText(input.note).slice(0, 2000);
  const updated = await ctx.db
    .updateTable('votes')
    .set({ note, at: now })
    .where('application_id', '=', app.id)
    .where('reviewer', '=', key)
    .returning('reviewer')
    .executeTakeFirst();
  await addEvent(ctx.db, app.id, `reviewer:${key}`, 'note_added', { withVote: Boolean(updated) }, now);
  const card = await cardView(ctx, app.id);
  return card ? { kind: 'changed', card } : { kind: 'not_found' };
}

/** A staff or decider decision, bypassing the vote count (also moves a waitlisted person on). */
export async function decide(
  ctx: ReviewContext,
  input: { applicationId: string; outcome: Decision; actor: string; byName: string; reason?: string },
): Promise<{ kind: 'decided' | 'already_decided' | 'not_found' }> {
  const now = ctx.clock();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const app = await lockApplication(trx, input.applicationId);
    if (!app || app.erased_at) return 'not_found' as const;
    const from = app.status === 'waitlisted' && input.outcome !== 'waitlisted' ? 'waitlisted' : 'in_review';
    if (app.status !== from) return 'already_decided' as const;
    await applyDecision(trx, app, input.outcome, {
      actor: input.actor,
      byName: input.byName,
      at: now,
      via: 'direct',
      ...(input.reason ? { reason: input.reason } : {}),
    });
    return 'decided' as const;
  });
  if (result === 'decided') ctx.poke?.();
  return { kind: result };
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
  // A waitlisted person who is later accepted gets a fresh notice step; their earlier one stays as it was.
  if (moved) {
    if (app.status === 'waitlisted') {
      await trx
        .deleteFrom('steps')
        .where('application_id', '=', app.id)
        .where('step', '=', 'notice')
        .execute();
    }
    await openSteps(trx, app.id, stepsFor(outcome), meta.at);
  }
}

/** The review card's data for one application, or null when it does not exist or was erased. */
export async function cardView(ctx: Pick<ReviewContext, 'db' | 'workflows' | 'publicUrl'>, id: string) {
  const app = await ctx.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!app) return null;
  const cohort = ctx.workflows.cohorts.get(app.cohort);
  if (!cohort) return null;
  const votes = await ctx.db
    .selectFrom('votes')
    .selectAll()
    .where('application_id', '=', id)
    .orderBy('at')
    .execute();
  const label = (list: { id: string; he: string }[], v: string | null) =>
    list.find((c) => c.id === v)?.he ?? '';
  const answers = app.answers as { motivation?: string };
  const decided = ['accepted', 'declined', 'waitlisted', 'onboarding', 'onboarded'].includes(app.status);
  const outcome = (
    app.status === 'onboarding' || app.status === 'onboarded' ? 'accepted' : app.status
  ) as Decision;
  const view: ReviewCardView = {
    applicationId: app.id,
    reference: app.reference,
    cohortId: cohort.id,
    cohortName: cohort.name.he,
    fullName: app.full_name ?? '',
    organisation: app.organisation ?? '',
    roleTitle: app.role_title ?? '',
    sector: label(cohort.form.sectors, app.sector),
    region: label(cohort.form.regions, app.region),
    motivation: answers.motivation ?? '',
    flags: app.erased_at ? ['erased'] : app.flags,
    status: app.erased_at ? 'erased' : app.status,
    blind: cohort.review.blind,
    votes: votes.map((v) => {
      const reviewer = cohort.review.reviewers.find((r) => reviewerKey(r) === v.reviewer);
      return {
        reviewerName: v.reviewer_name,
        ...(reviewer?.slackId ? { reviewerSlackId: reviewer.slackId } : {}),
        vote: v.vote as VoteChoice,
        ...(v.note ? { note: v.note } : {}),
        at: new Date(v.at).toISOString(),
      };
    }),
    ...(decided && app.decided_at
      ? { decision: { outcome, byName: app.decided_by ?? '', at: new Date(app.decided_at).toISOString() } }
      : {}),
    ...(app.review_deadline ? { deadline: new Date(app.review_deadline).toISOString() } : {}),
    dashboardUrl: `${ctx.publicUrl}/admin/applications/${app.id}`,
  };
  return view;
}

/** Applications in review that this reviewer has not voted on yet, soonest deadline first. */
export async function pendingFor(ctx: Pick<ReviewContext, 'db' | 'workflows'>, who: ReviewerIdentity) {
  const cohorts = [...ctx.workflows.cohorts.values()].filter((c) => findReviewer(c, who));
  if (cohorts.length === 0) return [];
  const keys = cohorts.map((c) => reviewerKey(findReviewer(c, who) as Reviewer));
  const rows = await ctx.db
    .selectFrom('applications')
    .select(['id', 'reference', 'full_name', 'cohort', 'review_deadline'])
    .where('status', '=', 'in_review')
    .where('erased_at', 'is', null)
    .where(
      'cohort',
      'in',
      cohorts.map((c) => c.id),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('votes')
            .select('votes.reviewer')
            .whereRef('votes.application_id', '=', 'applications.id')
            .where('votes.reviewer', 'in', keys),
        ),
      ),
    )
    .orderBy('review_deadline')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    applicationId: r.id,
    reference: r.reference,
    fullName: r.full_name ?? '',
    cohortName: ctx.workflows.cohorts.get(r.cohort)?.name.he ?? r.cohort,
    ...(r.review_deadline ? { deadline: new Date(r.review_deadline).toISOString() } : {}),
  }));
}

/** A refused or unauthorised attempt, kept on the application's timeline (who and why, nothing else). */
export async function recordRefusal(
  ctx: Pick<ReviewContext, 'db' | 'clock'>,
  input: { applicationId?: string; actor: string; reason: string },
): Promise<boolean> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!input.applicationId || !uuid.test(input.applicationId)) return false;
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
