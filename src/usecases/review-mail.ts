import type { Cohort } from '../../workflows/index.ts';
import { conflictFor } from '../domain/review-policy.ts';
import { type ReviewMailKind, renderReviewMail } from '../mail/review-texts.ts';
import type { ApplicationRow } from '../storage/schema.ts';
import { addEvent } from '../storage/transition.ts';
import type { PipelineContext } from './context.ts';
import { reviewerKey } from './review-view.ts';

type Reviewer = Cohort['review']['reviewers'][number];

/** The timeline entry that says a kind of review mail went (the request is sent only while it is absent). */
const MAILED_EVENT = {
  request: 'review_request_mailed',
  reminder: 'review_reminder_mailed',
  overdue: 'review_overdue_mailed',
} as const satisfies Record<ReviewMailKind, string>;
type MailedApp = Pick<ApplicationRow, 'id' | 'reference' | 'organisation' | 'review_deadline'>;

/**
 * Without Slack, the review request, the reminder and the escalation go by e-mail to the people who would
 * have been mentioned on the card, each with a link to the application on the dashboard. One message per
 * person and kind: its idempotency key is its Message-ID, so a retried job is recognised downstream.
 */
export async function mailReviewers(
  ctx: PipelineContext,
  kind: ReviewMailKind,
  app: MailedApp,
  cohort: Cohort,
  people: readonly { name: string; email?: string | undefined; key: string }[],
): Promise<number> {
  const link = `${ctx.publicUrl}/admin/applications/${app.id}`;
  const deadline = app.review_deadline ? new Date(app.review_deadline) : null;
  let sent = 0;
  for (const person of people) {
    if (!person.email) continue;
    const mail = renderReviewMail({
      kind,
      name: person.name,
      reference: app.reference,
      cohortName: cohort.name.he,
      link,
      deadline,
    });
    await ctx.mail.send({
      to: { email: person.email, name: person.name },
      ...mail,
      idempotencyKey: `review-${kind}-${person.key}-${app.id}`,
    });
    sent++;
  }
  if (sent > 0) await addEvent(ctx.db, app.id, 'system', MAILED_EVENT[kind], { people: sent }, ctx.clock());
  return sent;
}

/**
 * The cohort's reviewers who still owe a vote on this application: less those who voted, and less those
 * the policy sets aside for a conflict of interest (they owe none, so are neither asked nor chased).
 */
export function reviewersOwingVote(
  cohort: Cohort,
  organisation: string | null,
  voted: ReadonlySet<string> = new Set(),
): Reviewer[] {
  return cohort.review.reviewers.filter(
    (r) =>
      !voted.has(reviewerKey(r)) && conflictFor(cohort.review, r.organisation, organisation) !== 'exclude',
  );
}

/** Who an overdue application goes to: its deciders, else the coordinators in the staff list. */
export function escalationRecipients(ctx: PipelineContext, cohort: Cohort) {
  const deciders = cohort.review.reviewers.filter((r) =>
    cohort.review.deciders.some((d) => d === r.slackId || d.toLowerCase() === r.email?.toLowerCase()),
  );
  if (deciders.length > 0) return deciders.map(asRecipient);
  return ctx.workflows.staff
    .filter((s) => s.roles.includes('coordinator') && s.email)
    .map((s) => ({ name: s.name, email: s.email, key: (s.email ?? '').toLowerCase() }));
}

/** A listed reviewer as a recipient: their name, address, and the key their votes are stored under. */
export const asRecipient = (r: Reviewer) => ({ name: r.name, email: r.email, key: reviewerKey(r) });

/** The review request, once per application: the timeline says whether it went. */
export async function requestReviewByMail(ctx: PipelineContext, applicationId: string): Promise<void> {
  const app = await ctx.db
    .selectFrom('applications')
    .select(['id', 'reference', 'organisation', 'review_deadline', 'cohort', 'status'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  const cohort = app ? ctx.workflows.cohorts.get(app.cohort) : undefined;
  if (!app || !cohort || app.status !== 'in_review') return;
  const asked = await ctx.db
    .selectFrom('application_events')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('type', '=', 'review_request_mailed')
    .executeTakeFirst();
  if (asked) return;
  await mailReviewers(
    ctx,
    'request',
    app,
    cohort,
    reviewersOwingVote(cohort, app.organisation).map(asRecipient),
  );
}
