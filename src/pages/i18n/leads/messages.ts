/**
 * A counted phrase, one form per plural category the language uses (Arabic: zero, one, two, few, many and
 * other); `#` stands for the number.
 */
export type Counted = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** Why a lead's answer or pause was refused, as the form shows it under the field. */
export type LeadErrorCode =
  | 'round_not_found'
  | 'not_prompted'
  | 'closed'
  | 'incomplete'
  | 'pause_not_lead'
  | 'pause_no_date'
  | 'pause_past'
  | 'pause_too_far';

/**
 * Everything an action-line lead reads in Slack, in one language. Arguments arrive ready for mrkdwn (names
 * escaped, dates isolated); a language without one of these keys fails the typecheck.
 */
export interface LeadMessages {
  /** The prompt DM's fallback text, shown in notifications. */
  promptText: (line: string, week: string) => string;
  promptQuestion: (line: string) => string;
  promptNote: string;
  /** When the week's answers close: "until Tuesday 15 June at 12:00". */
  closes: (when: string) => string;
  answerButton: string;
  reminder: (line: string) => string;
  modalTitle: string;
  modalSubmit: string;
  modalClose: string;
  progressLabel: string;
  nextStepsLabel: string;
  blockersLabel: string;
  blockersHint: string;
  statusLabel: string;
  helpLabel: string;
  optionalHint: string;
  status: { green: string; yellow: string; red: string };
  answeredTitle: string;
  answered: (line: string, week: string) => string;
  answeredEdit: (when: string) => string;
  doneButton: string;
  errors: Record<LeadErrorCode, string>;
  homeTitle: string;
  pausedUntil: (day: string, left: string) => string;
  pauseReason: (reason: string) => string;
  resumeButton: string;
  pauseIntro: string;
  pauseButton: string;
  pauseTitle: string;
  pauseSubmit: string;
  pauseClose: string;
  pauseUntilLabel: string;
  pauseReasonLabel: string;
  pauseNote: string;
  noAnswersYet: string;
  answersSoFar: Counted;
  daysLeft: Counted;
}
