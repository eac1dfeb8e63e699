import type { ApplicationStatus, StepName, StepStatus } from './lifecycle.ts';

// The staff-facing Hebrew for every code the system stores, in one place: the dashboard and the exports label a
// status, a flag or a timeline entry alike, and a code added without its label fails the label test.

/** A code's label from one of these tables, or the code itself where the table has none. */
export const labelOf = (table: Record<string, string>, code: string): string => table[code] ?? code;

/** Where an application stands, as staff read it. */
export const STATUS_HE: Record<ApplicationStatus, string> = {
  submitted: 'הוגשה',
  in_review: 'במיון',
  accepted: 'התקבלה',
  declined: 'לא התקבלה',
  waitlisted: 'רשימת המתנה',
  onboarding: 'בקליטה',
  onboarded: 'הקליטה הושלמה',
  withdrawn: 'בוטלה',
  erased: 'נמחקה',
};

/**
 * The board's columns, in the order a cohort moves through them, each with its heading. Erased applications
 * have no column: nothing is left of them to act on.
 */
export const BOARD_COLUMNS: readonly { status: ApplicationStatus; he: string }[] = [
  { status: 'submitted', he: 'התקבלו במערכת' },
  { status: 'in_review', he: 'במיון' },
  { status: 'accepted', he: 'אושרו, לפני הקליטה' },
  { status: 'onboarding', he: 'בקליטה' },
  { status: 'onboarded', he: 'הקליטה הושלמה' },
  { status: 'waitlisted', he: 'ברשימת המתנה' },
  { status: 'declined', he: 'לא אושרו' },
  { status: 'withdrawn', he: 'בוטלו' },
];

/** Why an application is marked for attention. */
export const FLAG_HE: Record<string, string> = {
  attendance: 'לא כל המפגשים אושרו',
  possible_duplicate: 'ייתכן כפל הרשמה',
  conflict_of_interest: 'ניגוד עניינים',
  review_overdue: 'עבר מועד ההחלטה',
  proposed_from_waitlist: 'מוצעת לקבלה מרשימת ההמתנה',
  turnstile_unverified: 'בדיקת בוט לא הושלמה',
  filled_fast: 'הטופס מולא מהר מהצפוי',
};

/** The onboarding and withdrawal steps. */
export const STEP_HE: Record<StepName, string> = {
  received: 'אישור קבלה',
  calendar: 'זימונים ליומן',
  slack: 'ערוצי Slack',
  notice: 'הודעת החלטה',
  unenroll: 'הסרה מהמפגשים',
  leave: 'הסרה מערוצי Slack',
};

/** Where a step stands. */
export const STEP_STATUS_HE: Record<StepStatus, string> = {
  pending: 'ממתין',
  running: 'בביצוע',
  waiting: 'ממתין להצטרפות',
  done: 'הושלם',
  skipped: 'לא נדרש',
  failed: 'נכשל',
  cancelled: 'בוטל',
};

/** A check-in answer's status, and where a weekly round stands. */
export const CHECKIN_STATUS_HE: Record<'green' | 'yellow' | 'red', string> = {
  green: 'במסלול',
  yellow: 'דורש תשומת לב',
  red: 'תקוע',
};
export const ROUND_STATUS_HE: Record<string, string> = { open: 'פתוח', closed: 'נסגר', skipped: 'דולג' };

/** The outcome of a decision, as the timeline tells it. */
const OUTCOME_HE: Record<string, string> = {
  accepted: 'הבקשה התקבלה',
  declined: 'הבקשה לא התקבלה',
  waitlisted: 'הבקשה הועברה לרשימת ההמתנה',
};

// A step's event reads as what happened to the step (`step_done`: "שלב הושלם"); `step_retried` is staff's.
const STEP_EVENT_HE: Record<StepStatus | 'retried', string> = {
  pending: 'שלב נפתח',
  running: 'שלב התחיל',
  waiting: 'שלב ממתין להצטרפות',
  done: 'שלב הושלם',
  skipped: 'שלב לא נדרש',
  failed: 'שלב נכשל',
  cancelled: 'שלב בוטל',
  retried: 'ניסיון חוזר בשלב',
};

/**
 * Every fixed timeline type the code writes. A move between statuses with no event of its own is written as
 * `status_<to>`, and a step's outcome as `step_<status>`: both families are labelled from their tables.
 */
export const EVENT_HE: Record<string, string> = {
  submitted: 'הבקשה הוגשה',
  resubmitted: 'הטופס נשלח שוב (הבקשה הראשונה בתוקף)',
  proposed_update_applied: 'התשובות מהטופס שנשלח שוב הוחלו על הבקשה',
  proposed_update_noted: 'תשובות מהטופס שנשלח שוב, אחרי תחילת ההצבעה: לעיון הצוות',
  proposed_update_discarded: 'התשובות מהטופס שנשלח שוב נדחו',
  screened: 'הבקשה הועברה למיון',
  decided: 'החלטה',
  proposed_from_waitlist: 'הוצעה לקבלה מרשימת ההמתנה',
  vote_cast: 'נרשמה הצבעה',
  vote_changed: 'הצבעה שונתה',
  note_added: 'נוספה הערה להצבעה',
  action_refused: 'פעולה נדחתה',
  card_posted: 'כרטיס המיון פורסם ב-Slack',
  review_reminder: 'נשלחה תזכורת לצוות המיון',
  review_overdue: 'עבר מועד ההחלטה',
  review_request_mailed: 'בקשת הסקירה נשלחה לסוקרים בדואר',
  review_reminder_mailed: 'תזכורת נשלחה בדואר לסוקרים שטרם הצביעו',
  review_overdue_mailed: 'הודעה על חריגה ממועד ההחלטה נשלחה בדואר',
  meetings_changed: 'מועדי המפגשים השתנו ונשלחה הודעה',
  erased: 'המידע האישי נמחק',
  email_confirmed: 'הפונה פתחו את הקישור לעמוד הבקשה: הדואר האלקטרוני אומת',
  corrected_by_applicant: 'הפונה תיקנו פרטים בבקשה',
  applicant_note: 'הפונה ביקשו לתקן פרטים אחרי תחילת ההצבעה (לעדכון בידי הצוות)',
  my_link_mailed: 'נשלח לפונה קישור לעמוד הבקשה',
};

/** Whether the applicant's e-mail address is confirmed (they opened the link sent to it), on the card and the dashboard. */
export const EMAIL_CONFIRMED_HE = {
  confirmed: 'הדואר האלקטרוני אומת',
  unconfirmed: 'הדואר האלקטרוני טרם אומת',
} as const;

/** What a timeline entry says, in Hebrew; undefined for a type this table does not know. */
export function eventLabelHe(type: string, data: Record<string, unknown> = {}): string | undefined {
  if (type.startsWith('status_')) {
    const status = STATUS_HE[type.slice('status_'.length) as ApplicationStatus];
    return status ? `הסטטוס עודכן: ${status}` : undefined;
  }
  if (type.startsWith('step_')) {
    const what = STEP_EVENT_HE[type.slice('step_'.length) as StepStatus];
    if (!what) return undefined;
    const step = typeof data.step === 'string' ? (STEP_HE[data.step as StepName] ?? data.step) : '';
    return step ? `${what}: ${step}` : what;
  }
  const label = EVENT_HE[type];
  if (type === 'decided' && label && typeof data.outcome === 'string')
    return `${label}: ${OUTCOME_HE[data.outcome] ?? data.outcome}`;
  return label;
}

const ACTOR_HE: Record<string, string> = {
  system: 'המערכת',
  applicant: 'הפונה',
  console: 'צוות התוכנית',
  'api-token': 'ממשק הניהול',
};

/**
 * Who acted, in Hebrew: a fixed actor by name, a reviewer by their name where `names` (reviewer key → name)
 * knows it and by their id otherwise, a Slack user with their id, staff by e-mail.
 */
export function actorLabelHe(actor: string, names?: ReadonlyMap<string, string>): string {
  const fixed = ACTOR_HE[actor];
  if (fixed) return fixed;
  if (actor.startsWith('reviewer:')) {
    const key = actor.slice('reviewer:'.length);
    return `צוות המיון: ${names?.get(key) ?? key}`;
  }
  if (actor.startsWith('slack:')) return `Slack: ${actor.slice('slack:'.length)}`;
  return actor;
}

/** One timeline line's text: "הבקשה הוגשה (הפונה)"; an unknown type shows its code rather than nothing. */
export function timelineEntryHe(
  e: { type: string; actor: string; data: unknown },
  names?: ReadonlyMap<string, string>,
): string {
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {};
  return `${eventLabelHe(e.type, data) ?? e.type} (${actorLabelHe(e.actor, names)})`;
}
