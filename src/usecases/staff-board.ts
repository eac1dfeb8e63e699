import type { StepName } from '../domain/lifecycle.ts';
import { conflictFor } from '../domain/review-policy.ts';
import { BOARD_COLUMNS } from '../domain/staff-labels.ts';
import { audit } from './privacy.ts';
import {
  type ApplicationFilter,
  auditedFilter,
  filterConditions,
  reviewerKeys,
  type StaffQueryContext,
  type Viewer,
} from './staff-filter.ts';

/** One application as a card on the board: what its column needs to be acted on, and nothing private. */
export interface BoardCard {
  id: string;
  reference: string;
  cohort: string;
  cohortName: string;
  fullName: string;
  organisation: string;
  flags: string[];
  createdAt: string;
  /** In review: counted votes so far against the votes that accept, the deadline, and a conflict of interest. */
  review?: { votes: number; quorum: number; deadline?: string; overdue: boolean; conflict: boolean };
  /** Steps that failed and wait for a retry. */
  failedSteps: StepName[];
}

export interface BoardColumn {
  status: (typeof BOARD_COLUMNS)[number]['status'];
  /** Every application of the column that matches the filter. */
  count: number;
  /** The first of them: in review, the soonest deadline first; elsewhere the newest. */
  cards: BoardCard[];
}

/** The board: one column per stage in the order of the lifecycle, each with its count and first cards. */
export async function boardColumns(
  ctx: StaffQueryContext,
  viewer: Viewer,
  filter: Omit<ApplicationFilter, 'status'>,
  perColumn: number,
): Promise<BoardColumn[]> {
  const mine = filter.myVoteMissing ? await reviewerKeys(ctx, viewer) : [];
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const counted = await trx
      .selectFrom('applications')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where((eb) => eb.and(filterConditions(eb, filter, now, mine)))
      .groupBy('status')
      .execute();
    const counts = new Map(counted.map((r) => [r.status, Number(r.n)]));
    const columns: BoardColumn[] = [];
    for (const { status } of BOARD_COLUMNS) {
      const count = counts.get(status) ?? 0;
      let query = trx
        .selectFrom('applications')
        .select([
          'id',
          'reference',
          'cohort',
          'full_name',
          'organisation',
          'flags',
          'created_at',
          'review_deadline',
        ])
        .where((eb) => eb.and([...filterConditions(eb, filter, now, mine), eb('status', '=', status)]))
        .limit(perColumn);
      query =
        status === 'in_review'
          ? query.orderBy('review_deadline', (o) => o.asc().nullsLast()).orderBy('created_at')
          : query.orderBy('created_at', 'desc');
      const rows = count > 0 ? await query.orderBy('id').execute() : [];
      columns.push({
        status,
        count,
        cards: rows.map((r) => ({
          id: r.id,
          reference: r.reference,
          cohort: r.cohort,
          cohortName: ctx.workflows.cohorts.get(r.cohort)?.name.he ?? r.cohort,
          fullName: r.full_name ?? '',
          organisation: r.organisation ?? '',
          flags: r.flags,
          createdAt: new Date(r.created_at).toISOString(),
          failedSteps: [],
          ...(status === 'in_review' ? { review: reviewOf(ctx, r, now) } : {}),
        })),
      });
    }
    const cards = columns.flatMap((c) => c.cards);
    const ids = cards.map((c) => c.id);
    if (ids.length > 0) {
      const votes = await trx
        .selectFrom('votes')
        .select(['application_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where('application_id', 'in', ids)
        .where('counted', '=', true)
        .groupBy('application_id')
        .execute();
      const failed = await trx
        .selectFrom('steps')
        .select(['application_id', 'step'])
        .where('application_id', 'in', ids)
        .where('status', '=', 'failed')
        .orderBy('step')
        .execute();
      for (const card of cards) {
        if (card.review) card.review.votes = Number(votes.find((v) => v.application_id === card.id)?.n ?? 0);
        card.failedSteps = failed.filter((s) => s.application_id === card.id).map((s) => s.step as StepName);
      }
    }
    await audit(trx, now, viewer.actor, 'view_board', null, {
      filter: auditedFilter(filter),
      count: cards.length,
    });
    return columns;
  });
}

function reviewOf(
  ctx: StaffQueryContext,
  r: { cohort: string; organisation: string | null; flags: string[]; review_deadline: Date | null },
  now: Date,
): NonNullable<BoardCard['review']> {
  const cohort = ctx.workflows.cohorts.get(r.cohort);
  const deadline = r.review_deadline ? new Date(r.review_deadline) : undefined;
  // A conflict shows before anyone votes: a listed reviewer from the applicant's organisation, or the flag a
  // flagged vote left.
  const conflict =
    r.flags.includes('conflict_of_interest') ||
    (cohort?.review.reviewers.some((x) => conflictFor(cohort.review, x.organisation, r.organisation)) ??
      false);
  return {
    votes: 0,
    quorum: cohort?.review.approvalsToAccept ?? 0,
    ...(deadline ? { deadline: deadline.toISOString() } : {}),
    overdue: deadline !== undefined && deadline < now,
    conflict,
  };
}
