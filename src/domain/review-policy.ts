import type { ReviewPolicy } from '../../workflows/index.ts';
import type { Decision } from './lifecycle.ts';

export type VoteChoice = 'approve' | 'reject' | 'waitlist';

export interface CountedVote {
  reviewer: string;
  vote: VoteChoice;
  /** False when a conflict of interest excludes the vote under the policy. */
  counted: boolean;
}

const outcomeOf: Record<VoteChoice, Decision> = {
  approve: 'accepted',
  reject: 'declined',
  waitlist: 'waitlisted',
};

/**
 * The decision the votes reach under the policy, or null while undecided. A decider's vote decides alone;
 * otherwise approvals and waitlist votes need `approvalsToAccept`, rejections `rejectionsToDecline`.
 */
export function tally(
  policy: ReviewPolicy,
  votes: CountedVote[],
  deciders: ReadonlySet<string>,
): Decision | null {
  const deciding = votes.find((v) => v.counted && deciders.has(v.reviewer));
  if (deciding) return outcomeOf[deciding.vote];
  const counted = votes.filter((v) => v.counted);
  const count = (choice: VoteChoice) => counted.filter((v) => v.vote === choice).length;
  if (count('reject') >= policy.rejectionsToDecline) return 'declined';
  if (count('approve') >= policy.approvalsToAccept) return 'accepted';
  if (count('waitlist') >= policy.approvalsToAccept) return 'waitlisted';
  return null;
}

const normaliseOrg = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/["'׳״`.()]/g, '')
    .replace(/[,\-–—_/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A reviewer from the applicant's own organisation or local authority has a conflict of interest. */
export function hasConflict(
  reviewerOrganisation: string | undefined,
  applicantOrganisation: string | null,
): boolean {
  if (!reviewerOrganisation || !applicantOrganisation) return false;
  const a = normaliseOrg(reviewerOrganisation);
  const b = normaliseOrg(applicantOrganisation);
  return a.length > 1 && b.length > 1 && (a === b || b.includes(a) || a.includes(b));
}

/** The flag on a waitlisted application proposed to the deciders after a place opened. */
export const PROPOSED_FROM_WAITLIST = 'proposed_from_waitlist';

/** Whether staff may see how each reviewer voted: in blind mode, only once the application is decided. */
export function votesHidden(policy: Pick<ReviewPolicy, 'blind'>, status: string): boolean {
  return policy.blind && (status === 'submitted' || status === 'in_review');
}

/** How the policy treats a reviewer's vote on an applicant from their own organisation, or null: no conflict. */
export function conflictFor(
  policy: Pick<ReviewPolicy, 'conflictOfInterest'>,
  reviewerOrganisation: string | undefined,
  applicantOrganisation: string | null,
): ReviewPolicy['conflictOfInterest'] | null {
  return hasConflict(reviewerOrganisation, applicantOrganisation) ? policy.conflictOfInterest : null;
}
