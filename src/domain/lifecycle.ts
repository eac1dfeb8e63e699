/**
 * The one place that says where an application can stand and where it may go next. The transition helper
 * derives its WHERE clause from this table, and a database trigger generated from it refuses any other
 * move, even from hand-written SQL.
 */
export const STATUSES = [
  'submitted',
  'in_review',
  'accepted',
  'declined',
  'waitlisted',
  'onboarding',
  'onboarded',
  'withdrawn',
  'erased',
] as const;

/** Where an application stands. Each stage's side effects are tracked per step, not here. */
export type ApplicationStatus = (typeof STATUSES)[number];

export type Decision = 'accepted' | 'declined' | 'waitlisted';

/** The status every application starts in. */
export const INITIAL_STATUS: ApplicationStatus = 'submitted';

/** Every move but erasure, which may happen from any status (see `canTransition`). */
const TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  submitted: ['in_review', 'withdrawn'],
  in_review: ['accepted', 'declined', 'waitlisted', 'withdrawn'],
  // A waitlisted person can still be accepted or declined when a place opens or the cohort fills.
  waitlisted: ['accepted', 'declined', 'withdrawn'],
  accepted: ['onboarding', 'withdrawn'],
  onboarding: ['onboarded', 'withdrawn'],
  onboarded: ['withdrawn'],
  declined: [],
  withdrawn: [],
  erased: [],
};

/** Whether the lifecycle allows going from one status to another. */
export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  // A person's right to erasure holds whatever their application's state.
  if (to === 'erased') return from !== 'erased';
  return TRANSITIONS[from].includes(to);
}

/** Every status from which `to` may be reached: the WHERE clause of a conditional transition. */
export function sourcesOf(to: ApplicationStatus): ApplicationStatus[] {
  return STATUSES.filter((from) => canTransition(from, to));
}

/** Every allowed (from, to) pair, for the database trigger that enforces the table. */
export function transitionPairs(): [ApplicationStatus, ApplicationStatus][] {
  return STATUSES.flatMap((from) =>
    STATUSES.filter((to) => canTransition(from, to)).map((to): [ApplicationStatus, ApplicationStatus] => [
      from,
      to,
    ]),
  );
}

/** Whether a value read from the database is a status this code knows. */
export function isStatus(value: string): value is ApplicationStatus {
  return (STATUSES as readonly string[]).includes(value);
}

/** Statuses in which a review decision may still be made. */
export const DECIDABLE: readonly ApplicationStatus[] = sourcesOf('declined');

/** Statuses of someone who holds (or is taking up) a place in the cohort. */
export const ENROLLED: readonly ApplicationStatus[] = ['accepted', 'onboarding', 'onboarded'];

/**
 * `received` follows intake; `unenroll` (off the meetings) and `leave` (out of the cohort's channels)
 * follow a withdrawal of someone already accepted.
 */
export const STEP_NAMES = ['received', 'calendar', 'slack', 'notice', 'unenroll', 'leave'] as const;
export type StepName = (typeof STEP_NAMES)[number];
/** `cancelled`: the person withdrew before the step was done; it can never be retried. */
export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'skipped' | 'failed' | 'cancelled';

/** Which onboarding steps follow each decision. */
export function stepsFor(decision: Decision): StepName[] {
  return decision === 'accepted' ? ['calendar', 'slack', 'notice'] : ['notice'];
}

/** What a withdrawal opens: the removals for someone who held a place, and the notice for everyone. */
export function stepsOnWithdrawal(wasEnrolled: boolean): StepName[] {
  return wasEnrolled ? ['unenroll', 'leave', 'notice'] : ['notice'];
}

/** Steps whose effect puts the person somewhere (a meeting, a channel) that a withdrawal takes them out of. */
export const ENROLMENT_STEPS: readonly StepName[] = ['calendar', 'slack'];

/** The steps after which an accepted person counts as onboarded. */
export const ONBOARDING_STEPS: readonly StepName[] = stepsFor('accepted');

export const STEP_FINISHED: readonly StepStatus[] = ['done', 'skipped'];

/** Whether a step row's status means nothing is left to do. */
export function isFinished(status: string): boolean {
  return (STEP_FINISHED as readonly string[]).includes(status);
}
