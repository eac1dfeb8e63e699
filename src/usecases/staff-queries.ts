import type { Cohort } from '../../workflows/index.ts';
import { notFound } from '../domain/errors.ts';
import { audit, exportPerson } from './privacy.ts';
import { staffReviewView } from './review-view.ts';
import {
  type ApplicationFilter,
  auditedFilter,
  filterConditions,
  reviewerKeys,
  type StaffQueryContext,
  type Viewer,
} from './staff-filter.ts';

export { boardColumns } from './staff-board.ts';
export type { ApplicationFilter, StaffQueryContext, Viewer } from './staff-filter.ts';

// The dashboard and the admin API read applications through these functions only, so both show the same
// thing under the same blind-voting rules, and every read of personal data is in the audit log. The audit
// row is written in the read's own transaction: if it cannot be written, the read answers nothing.

const SUMMARY = [
  'id',
  'reference',
  'cohort',
  'full_name',
  'email',
  'organisation',
  'status',
  'flags',
  'created_at',
] as const;

/** Applications matching the filter, newest first, one page of them; `more` when another page follows. */
export async function listApplications(
  ctx: StaffQueryContext,
  viewer: Viewer,
  filter: ApplicationFilter,
  page: { limit: number; offset: number },
) {
  const mine = filter.myVoteMissing ? await reviewerKeys(ctx, viewer) : [];
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('applications')
      .select(SUMMARY)
      .where((eb) => eb.and(filterConditions(eb, filter, now, mine)))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit + 1)
      .offset(page.offset)
      .execute();
    const shown = rows.slice(0, page.limit);
    await audit(trx, now, viewer.actor, 'list_applications', null, {
      filter: auditedFilter(filter),
      offset: page.offset,
      count: shown.length,
    });
    return { applications: shown, more: rows.length > page.limit };
  });
}

/** One application with its votes (per the blind policy), steps and timeline; not found is a coded error. */
export async function applicationDetail(ctx: StaffQueryContext, viewer: Viewer, id: string) {
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const application = await trx
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!application) throw notFound('application', 'הבקשה לא נמצאה.');
    const votes = await trx
      .selectFrom('votes')
      .selectAll()
      .where('application_id', '=', id)
      .orderBy('at')
      .execute();
    const steps = await trx
      .selectFrom('steps')
      .selectAll()
      .where('application_id', '=', id)
      .orderBy('step')
      .execute();
    const events = await trx
      .selectFrom('application_events')
      .selectAll()
      .where('application_id', '=', id)
      .orderBy('id')
      .execute();
    const cohort: Cohort | undefined = ctx.workflows.cohorts.get(application.cohort);
    // Blind voting holds for every face: until the decision, who voted and when, never how.
    const review = staffReviewView(cohort, application.status, votes, events);
    await audit(trx, now, viewer.actor, 'view_application', id);
    return {
      application,
      cohort,
      votes: review.votes,
      votesHidden: review.hidden,
      steps,
      events: review.events,
    };
  });
}

/** Everything held about the person behind one application (the right of access), audited by `exportPerson`. */
export async function exportApplicant(ctx: StaffQueryContext, viewer: Viewer, id: string) {
  const row = await ctx.db.selectFrom('applications').select('email').where('id', '=', id).executeTakeFirst();
  if (!row?.email) throw notFound('application', 'לא נשמר מידע אישי על הבקשה הזו.');
  return exportPerson(ctx, { email: row.email, actor: viewer.actor });
}

/** How many applications stand where, per cohort: counts only, no one's data. */
export async function applicationCounts(ctx: Pick<StaffQueryContext, 'db'>) {
  const rows = await ctx.db
    .selectFrom('applications')
    .select(['cohort', 'status', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy(['cohort', 'status'])
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}
