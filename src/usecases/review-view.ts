import type { Kysely } from 'kysely';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import type { Decision } from '../domain/lifecycle.ts';
import type { VoteChoice } from '../domain/review-policy.ts';
import type { Database } from '../storage/schema.ts';

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
  blind: boolean;
  votes: { reviewerName: string; reviewerSlackId?: string; vote: VoteChoice; note?: string; at: string }[];
  decision?: { outcome: Decision; byName: string; at: string };
  deadline?: string;
  dashboardUrl: string;
}

/** A reviewer as identified by a transport: a Slack user id, or an e-mail from the dashboard. */
export type ReviewerIdentity = { slackId: string } | { email: string };

type Reviewer = Cohort['review']['reviewers'][number];

/** The configured reviewer behind an identity, or undefined: only listed reviewers vote. */
export function findReviewer(cohort: Cohort, who: ReviewerIdentity): Reviewer | undefined {
  return cohort.review.reviewers.find((r) =>
    'slackId' in who ? r.slackId === who.slackId : r.email?.toLowerCase() === who.email.toLowerCase(),
  );
}

export const reviewerKey = (r: Reviewer) => r.slackId ?? r.email?.toLowerCase() ?? r.name;

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
export async function pendingFor(ctx: Pick<ViewContext, 'db' | 'workflows'>, who: ReviewerIdentity) {
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
