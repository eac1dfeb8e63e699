import type { Cohort, Workflows } from '../../workflows/index.ts';

/** Members of Slack user groups: a cohort's `reviewerUserGroup` counts its members as reviewers. */
export interface UserGroupPort {
  readonly configured: boolean;
  /**
   * The Slack user ids in the group, fresh within a few minutes; when Slack cannot answer, the last
   * membership known, and null when nothing is known of the group at all.
   */
  members(groupId: string): Promise<readonly string[] | null>;
  /** The group changed (Slack's `subteam_members_changed`): the next call asks Slack again. */
  forget(groupId: string): void;
}

/** What resolving a cohort's reviewers needs; without `groups` a cohort's reviewers are the ones it lists. */
export interface GroupsContext {
  groups?: UserGroupPort | undefined;
}

/**
 * The cohort with the members of its `reviewerUserGroup` among its reviewers, after the listed ones (a
 * listed reviewer keeps their name, e-mail and organisation). A member known only from the group is known
 * by their Slack id alone, so they vote in their own name and have no organisation to conflict with.
 */
export async function withGroupReviewers(ctx: GroupsContext, cohort: Cohort): Promise<Cohort> {
  const group = cohort.review.reviewerUserGroup;
  if (!group || !ctx.groups) return cohort;
  const members = await ctx.groups.members(group);
  if (!members) return cohort;
  const listed = new Set(cohort.review.reviewers.flatMap((r) => (r.slackId ? [r.slackId] : [])));
  const extra = members.filter((id) => !listed.has(id)).map((id) => ({ name: id, slackId: id }));
  if (extra.length === 0) return cohort;
  return { ...cohort, review: { ...cohort.review, reviewers: [...cohort.review.reviewers, ...extra] } };
}

/**
 * Every cohort that names a reviewer group, with its members among its reviewers, resolved before a
 * transaction takes its locks, so no call to Slack is made while a row is held (and none is made at all, nor
 * any query, when no cohort names a group).
 */
export async function groupCohorts(
  ctx: GroupsContext & { workflows: Workflows },
): Promise<Map<string, Cohort>> {
  const named = [...ctx.workflows.cohorts.values()].filter((c) => c.review.reviewerUserGroup);
  if (named.length === 0 || !ctx.groups) return new Map();
  return new Map((await Promise.all(named.map((c) => withGroupReviewers(ctx, c)))).map((c) => [c.id, c]));
}

/** The cohort found under the lock, with its group reviewers when it names a group. */
export const resolved = (listed: Cohort, early: Map<string, Cohort>): Cohort =>
  early.get(listed.id) ?? listed;
