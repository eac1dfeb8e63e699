import type { Kysely } from 'kysely';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import type { Decision } from '../domain/lifecycle.ts';
import {
  conflictFor,
  PROPOSED_FROM_WAITLIST,
  type VoteChoice,
  votesHidden,
} from '../domain/review-policy.ts';
import type { Database } from '../storage/schema.ts';
import { type GroupsContext, withGroupReviewers } from './reviewer-groups.ts';
import { placesTaken } from './waitlist.ts';

interface ViewContext {
  db: Kysely<Database>;
  workflows: Workflows;
  publicUrl: string;
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
  /** Whether the applicant opened the link e-mailed to them (so the address is theirs and works). */
  emailConfirmed?: boolean;
  blind: boolean;
  /** How many have voted; in blind mode before the decision the only thing known of the votes. */
  voteCount: number;
  /** Who voted how; empty while the votes are hidden, so no renderer can show them. */
  votes: { reviewerName: string; reviewerSlackId?: string; vote: VoteChoice; note?: string; at: string }[];
  /** `full`: the votes would have accepted, but the cohort had no place left. */
  decision?: { outcome: Decision; byName: string; at: string; full?: boolean };
  /** Reviewers whose votes the policy sets aside for a conflict of interest (a number, never who). */
  excludedReviewers: number;
  /** Waitlisted and proposed to the deciders after a place opened. */
  proposed: boolean;
  places?: { taken: number; capacity: number };
  deadline?: string;
  dashboardUrl: string;
}

/** A reviewer as identified by a transport: a Slack user id, or an e-mail from the dashboard. */
export type ReviewerIdentity = { slackId: string } | { email: string };

type Reviewer = Cohort['review']['reviewers'][number];

/**
 * The reviewer a signed-in identity (`slack:U…`, `email:…`) would be. An identity of neither kind (the
 * console's bootstrap coordinator) names no one, so it matches no listed reviewer.
 */
export function reviewerIdentityOf(identity: string): ReviewerIdentity {
  const [kind, ...rest] = identity.split(':');
  const value = rest.join(':');
  if (kind === 'slack') return { slackId: value };
  return { email: kind === 'email' ? value : '' };
}
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** The configured reviewer behind an identity, or undefined: only listed reviewers vote. */
export function findReviewer(cohort: Cohort, who: ReviewerIdentity): Reviewer | undefined {
  return cohort.review.reviewers.find((r) =>
    'slackId' in who
      ? r.slackId !== undefined && r.slackId === who.slackId
      : r.email !== undefined && who.email !== '' && r.email.toLowerCase() === who.email.toLowerCase(),
  );
}

export const reviewerKey = (r: Reviewer) => r.slackId ?? r.email?.toLowerCase() ?? r.name;

/** The reviewer keys of the cohort's deciders (listed by Slack id or e-mail). */
export function deciderKeys(cohort: Cohort): Set<string> {
  return new Set(
    cohort.review.deciders.flatMap((d) => {
      const r = cohort.review.reviewers.find(
        (x) => x.slackId === d || x.email?.toLowerCase() === d.toLowerCase(),
      );
      return r ? [reviewerKey(r)] : [d];
    }),
  );
}

/** The review card's data for one application, or null when it does not exist or was erased. */
export async function cardView(ctx: ViewContext, id: string) {
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
  const hidden = votesHidden(cohort.review, app.status);
  const decidedEvent = decided
    ? await ctx.db
        .selectFrom('application_events')
        .select('data')
        .where('application_id', '=', id)
        .where('type', '=', 'decided')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const full = (decidedEvent?.data as { reason?: unknown } | undefined)?.reason === 'capacity';
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
    emailConfirmed: app.email_confirmed_at !== null,
    blind: cohort.review.blind,
    voteCount: votes.length,
    votes: hidden
      ? []
      : votes.map((v) => {
          const reviewer = cohort.review.reviewers.find((r) => reviewerKey(r) === v.reviewer);
          // A member of the reviewer group who is not listed votes under their Slack id.
          const slackId = reviewer?.slackId ?? (SLACK_USER.test(v.reviewer) ? v.reviewer : undefined);
          return {
            reviewerName: v.reviewer_name,
            ...(slackId ? { reviewerSlackId: slackId } : {}),
            vote: v.vote as VoteChoice,
            ...(v.note ? { note: v.note } : {}),
            at: new Date(v.at).toISOString(),
          };
        }),
    ...(decided && app.decided_at
      ? {
          decision: {
            outcome,
            byName: app.decided_by ?? '',
            at: new Date(app.decided_at).toISOString(),
            ...(full && outcome === 'waitlisted' ? { full } : {}),
          },
        }
      : {}),
    excludedReviewers: cohort.review.reviewers.filter(
      (r) => conflictFor(cohort.review, r.organisation, app.organisation) === 'exclude',
    ).length,
    proposed: app.status === 'waitlisted' && app.flags.includes(PROPOSED_FROM_WAITLIST),
    ...(cohort.capacity !== undefined
      ? { places: { taken: await placesTaken(ctx.db, cohort.id), capacity: cohort.capacity } }
      : {}),
    ...(app.review_deadline ? { deadline: new Date(app.review_deadline).toISOString() } : {}),
    dashboardUrl: `${ctx.publicUrl}/admin/applications/${app.id}`,
  };
  return view;
}

/** Applications in review that this reviewer has not voted on yet, soonest deadline first. */
export async function pendingFor(
  ctx: Pick<ViewContext, 'db' | 'workflows'> & GroupsContext,
  who: ReviewerIdentity,
) {
  return (await reviewQueue(ctx, who)) ?? [];
}

/** The reviewer's queue (as `pendingFor`), or null when they review no cohort, listed or through its group. */
export async function reviewQueue(
  ctx: Pick<ViewContext, 'db' | 'workflows'> & GroupsContext,
  who: ReviewerIdentity,
) {
  const all = await Promise.all([...ctx.workflows.cohorts.values()].map((c) => withGroupReviewers(ctx, c)));
  const cohorts = all.filter((c) => findReviewer(c, who));
  if (cohorts.length === 0) return null;
  const keys = cohorts.map((c) => reviewerKey(findReviewer(c, who) as Reviewer));
  const rows = await ctx.db
    .selectFrom('applications')
    .select(['id', 'reference', 'full_name', 'cohort', 'organisation', 'review_deadline'])
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
  return rows.map((r) => {
    const cohort = cohorts.find((c) => c.id === r.cohort);
    const reviewer = cohort && findReviewer(cohort, who);
    // Known before the vote: the reviewer sees on their queue where their vote will be set aside or flagged.
    const conflict = cohort ? conflictFor(cohort.review, reviewer?.organisation, r.organisation) : null;
    return {
      applicationId: r.id,
      reference: r.reference,
      fullName: r.full_name ?? '',
      cohortName: cohort?.name.he ?? r.cohort,
      ...(r.review_deadline ? { deadline: new Date(r.review_deadline).toISOString() } : {}),
      ...(conflict ? { conflict } : {}),
    };
  });
}

/** A vote as staff see it: how and why are left out while the policy hides the votes. */
export type StaffVote<V> = Omit<V, 'vote' | 'note'> &
  Partial<Pick<V & { vote: string; note: string | null }, 'vote' | 'note'>>;

/**
 * An application's votes and timeline for the dashboard and the admin API: in blind mode, before the
 * decision, who voted and when, never how nor with what note (a vote's timeline entry loses its choice too).
 */
export function staffReviewView<
  V extends { vote: string; note: string | null },
  E extends { type: string; data: Record<string, unknown> },
>(cohort: Cohort | undefined, status: string, votes: V[], events: E[]) {
  const hidden = cohort ? votesHidden(cohort.review, status) : false;
  if (!hidden) return { hidden, votes: votes as StaffVote<V>[], events };
  return {
    hidden,
    votes: votes.map(({ vote: _vote, note: _note, ...rest }): StaffVote<V> => rest as StaffVote<V>),
    events: events.map((e) => {
      if (e.type !== 'vote_cast' && e.type !== 'vote_changed') return e;
      const { vote: _vote, ...data } = e.data;
      return { ...e, data };
    }),
  };
}
