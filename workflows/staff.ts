import type { Cohort, StaffMember } from './schema.ts';

const sameEmail = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** Whether a listed person is the one with this Slack id or e-mail. */
export function isPerson(
  member: StaffMember,
  who: { slackId?: string | undefined; email?: string | undefined },
) {
  return (
    (member.slackId !== undefined && member.slackId === who.slackId) || sameEmail(member.email, who.email)
  );
}

/**
 * The staff list with every cohort's reviewers and deciders in it: a reviewer already listed gains the reviewer
 * role, anyone else is added with that role alone, so configuring a cohort's reviewers is enough to let them in.
 */
export function withReviewers(listed: readonly StaffMember[], cohorts: Iterable<Cohort>): StaffMember[] {
  const staff = listed.map((s) => ({ ...s, roles: [...s.roles] }));
  const add = (person: Omit<StaffMember, 'roles'>) => {
    const found = staff.find((s) => isPerson(s, person));
    if (!found) staff.push({ ...person, roles: ['reviewer'] });
    else if (!found.roles.includes('reviewer')) found.roles.push('reviewer');
  };
  for (const cohort of cohorts) {
    for (const r of cohort.review.reviewers) {
      add({
        name: r.name,
        ...(r.slackId ? { slackId: r.slackId } : {}),
        ...(r.email ? { email: r.email } : {}),
      });
    }
    // A decider is named by a reviewer's Slack id or e-mail; one not among the reviewers still reviews.
    for (const id of cohort.review.deciders) {
      add(id.includes('@') ? { name: id, email: id } : { name: id, slackId: id });
    }
  }
  return staff;
}
