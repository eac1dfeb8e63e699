import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import type { ApplicationStatus, StepName } from '../domain/lifecycle.ts';
import type { Database } from '../storage/schema.ts';
import { findReviewer, type ReviewerIdentity, reviewerKey } from './review-view.ts';
import { type GroupsContext, withGroupReviewers } from './reviewer-groups.ts';

/** What the staff reads need: the database, the cohorts, the clock that says whether a deadline passed. */
export interface StaffQueryContext extends GroupsContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
}

/** Who reads: the audit log's actor (a person or `api-token`), and the reviewer they are, if any. */
export interface Viewer {
  actor: string;
  reviewer?: ReviewerIdentity | undefined;
}

/** The filters the board, the list and the admin API share; each one given narrows the result. */
export interface ApplicationFilter {
  /** Part of the name, e-mail address, reference or organisation, any case. */
  q?: string | undefined;
  cohort?: string | undefined;
  /** A status code; one the lifecycle does not know matches nothing. */
  status?: string | undefined;
  flag?: string | undefined;
  /** A step that failed, or `any` for an application with any failed step. */
  failedStep?: StepName | 'any' | undefined;
  /** In review past its review deadline, by the context's clock. */
  deadlinePassed?: boolean | undefined;
  /** In review in a cohort the viewer reviews, and not voted on by them yet. */
  myVoteMissing?: boolean | undefined;
}

/** The viewer's reviewer key in each cohort they review (listed, or a member of its reviewer group). */
export type ReviewerKeys = { cohort: string; key: string }[];

/** Where the viewer reviews; resolved before a transaction opens, since a reviewer group may ask Slack. */
export async function reviewerKeys(ctx: StaffQueryContext, viewer: Viewer): Promise<ReviewerKeys> {
  const who = viewer.reviewer;
  if (!who) return [];
  const cohorts = await Promise.all(
    [...ctx.workflows.cohorts.values()].map((c) => withGroupReviewers(ctx, c)),
  );
  return cohorts.flatMap((cohort) => {
    const reviewer = findReviewer(cohort, who);
    return reviewer ? [{ cohort: cohort.id, key: reviewerKey(reviewer) }] : [];
  });
}

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
const NOTHING = sql<SqlBool>`false`;

/** The WHERE conditions of a filter, for any query on `applications`. */
export function filterConditions(
  eb: ExpressionBuilder<Database, 'applications'>,
  filter: ApplicationFilter,
  now: Date,
  mine: ReviewerKeys,
): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (filter.cohort) out.push(eb('applications.cohort', '=', filter.cohort));
  if (filter.status) out.push(eb('applications.status', '=', filter.status as ApplicationStatus));
  if (filter.flag) out.push(eb('applications.flags', '@>', JSON.stringify([filter.flag]) as never));
  if (filter.q) {
    const like = escapeLike(filter.q);
    out.push(
      eb.or([
        eb('applications.full_name', 'ilike', like),
        eb('applications.email', 'ilike', like),
        eb('applications.reference', 'ilike', like),
        eb('applications.organisation', 'ilike', like),
      ]),
    );
  }
  const step = filter.failedStep;
  if (step) {
    let failed = eb
      .selectFrom('steps')
      .select('steps.step')
      .whereRef('steps.application_id', '=', 'applications.id')
      .where('steps.status', '=', 'failed');
    if (step !== 'any') failed = failed.where('steps.step', '=', step);
    out.push(eb.exists(failed));
  }
  if (filter.deadlinePassed) {
    out.push(eb('applications.status', '=', 'in_review'));
    out.push(eb('applications.review_deadline', '<', now));
  }
  if (filter.myVoteMissing) {
    // Someone who reviews no cohort owes no vote anywhere: the filter then matches nothing.
    if (mine.length === 0) out.push(NOTHING);
    else {
      out.push(eb('applications.status', '=', 'in_review'));
      out.push(
        eb.or(
          mine.map(({ cohort, key }) =>
            eb.and([
              eb('applications.cohort', '=', cohort),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('votes')
                    .select('votes.reviewer')
                    .whereRef('votes.application_id', '=', 'applications.id')
                    .where('votes.reviewer', '=', key),
                ),
              ),
            ]),
          ),
        ),
      );
    }
  }
  return out;
}

/**
 * The filter as the audit log keeps it: codes only. The search text may be someone's name or address, so
 * the log says that there was one, never what it was.
 */
export function auditedFilter(filter: ApplicationFilter): Record<string, unknown> {
  const { q, ...codes } = filter;
  const kept = Object.fromEntries(Object.entries(codes).filter(([, v]) => v !== undefined && v !== false));
  return q ? { ...kept, search: true } : kept;
}
