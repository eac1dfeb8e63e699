import type { LeadMessages } from './messages.ts';

// What a lead reads in English, as a partner organisation's staff would write it (British spelling, as the
// applicant pages).

export const en: LeadMessages = {
  promptText: (line, week) => `Weekly check-in on ${line} for ${week}`,
  promptQuestion: (line) => `What moved forward in ${line} this week?`,
  promptNote: 'Your update goes into the leadership digest.',
  closes: (when) => `You can send it until ${when}.`,
  answerButton: 'Write the update',
  reminder: (line) => `Reminder: the weekly check-in on ${line} has not been sent yet.`,
  modalTitle: 'Weekly check-in',
  modalSubmit: 'Send',
  modalClose: 'Cancel',
  progressLabel: 'What moved forward?',
  nextStepsLabel: 'Next steps',
  blockersLabel: 'Blockers',
  blockersHint: 'Anything holding the work back.',
  statusLabel: 'Status',
  helpLabel: 'How can the leadership help?',
  optionalHint: 'You can leave this empty.',
  status: { green: 'On track', yellow: 'Needs attention', red: 'Stuck' },
  answeredTitle: 'Check-in received',
  answered: (line, week) =>
    `Thank you! Your check-in on ${line} for ${week} has been received and will go into the leadership digest.`,
  answeredEdit: (when) => `You can edit it until ${when} with the same button in the message.`,
  doneButton: 'Close',
  errors: {
    round_not_found: 'This check-in round could not be found.',
    not_prompted: 'Only the leads of this action line can send its check-in.',
    closed: 'The check-in window for this week has closed.',
    incomplete: 'Please fill in what moved forward, the next steps and the status.',
    pause_not_lead: 'Only action-line leads can pause check-ins.',
    pause_no_date: 'Please choose a date.',
    pause_past: 'That date has passed. Please choose today or a later date.',
    pause_too_far: 'You can pause for up to a year ahead.',
  },
  homeTitle: 'My weekly check-ins',
  pausedUntil: (day, left) => `⏸️ Your weekly check-ins are paused until ${day} (inclusive): ${left} to go.`,
  pauseReason: (reason) => `Reason: ${reason}`,
  resumeButton: 'Resume check-ins',
  pauseIntro:
    'On holiday, on reserve duty or in a busy stretch, you can pause check-in requests and reminders until a date.',
  pauseButton: 'Pause check-ins',
  pauseTitle: 'Pause check-ins',
  pauseSubmit: 'Pause',
  pauseClose: 'Cancel',
  pauseUntilLabel: 'Until (inclusive)',
  pauseReasonLabel: 'Reason (optional)',
  pauseNote:
    'Until that date you will get no check-in requests or reminders, and the summaries will show your check-ins as paused.',
  noAnswersYet: 'No check-ins yet.',
  answersSoFar: { one: '1 check-in so far', other: '# check-ins so far' },
  daysLeft: { one: '1 day', other: '# days' },
};
