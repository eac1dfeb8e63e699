/** Where an application stands. Each stage's side effects are tracked per step, not here. */
export type ApplicationStatus =
  | 'submitted'
  | 'in_review'
  | 'accepted'
  | 'declined'
  | 'waitlisted'
  | 'onboarding'
  | 'onboarded'
  | 'withdrawn'
  | 'erased';

export type Decision = 'accepted' | 'declined' | 'waitlisted';

const transitions: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
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

/** Whether the state machine allows going from one status to another. */
export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  if (to === 'erased') return from !== 'erased';
  return transitions[from].includes(to);
}

/** Every status from which `to` may be reached: the WHERE clause of a conditional transition. */
export function sourcesOf(to: ApplicationStatus): ApplicationStatus[] {
  return (Object.keys(transitions) as ApplicationStatus[]).filter((from) => canTransition(from, to));
}

/** Statuses in which a review decision may still be made. */
export const DECIDABLE: readonly ApplicationStatus[] = ['in_review', 'waitlisted'];

/** `received` follows intake; `unenroll` follows a withdrawal of someone already accepted. */
export type StepName = 'received' | 'calendar' | 'slack' | 'notice' | 'unenroll';
export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'skipped' | 'failed';

/** Which onboarding steps follow each decision. */
export function stepsFor(decision: Decision): StepName[] {
  return decision === 'accepted' ? ['calendar', 'slack', 'notice'] : ['notice'];
}

export const STEP_FINISHED: readonly StepStatus[] = ['done', 'skipped'];
