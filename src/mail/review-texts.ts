import { html } from 'hono/html';

/** What a reviewer is told by e-mail when Slack is not there to tell them. */
export type ReviewMailKind = 'request' | 'reminder' | 'overdue';

export interface ReviewMailInput {
  kind: ReviewMailKind;
  name: string;
  reference: string;
  cohortName: string;
  /** The application's page on the dashboard: votes are cast there, signed in. */
  link: string;
  deadline: Date | null;
}

const dateHe = (d: Date) =>
  new Intl.DateTimeFormat('he-IL', {
    timeZone: 'Asia/Jerusalem',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);

const SUBJECTS: Record<ReviewMailKind, (i: ReviewMailInput) => string> = {
  request: (i) => `בקשה חדשה לסקירה: ${i.reference}`,
  reminder: (i) => `תזכורת: הבקשה ${i.reference} ממתינה להצבעה שלך`,
  overdue: (i) => `הבקשה ${i.reference} עברה את מועד ההחלטה`,
};

// Staff-facing Hebrew, addressed without gendered verbs: "אפשר", "נא", "ההצבעה שלך".
const BODIES: Record<ReviewMailKind, (i: ReviewMailInput, deadline: string) => string> = {
  request: (i, deadline) =>
    `בקשה חדשה הגיעה למחזור «${i.cohortName}» וממתינה לסקירה שלך.${deadline ? ` מועד ההחלטה: ${deadline}.` : ''}`,
  reminder: (i, deadline) =>
    `הבקשה במחזור «${i.cohortName}» עדיין ממתינה להצבעה שלך.${deadline ? ` מועד ההחלטה: ${deadline}.` : ''}`,
  overdue: (i) =>
    `הבקשה במחזור «${i.cohortName}» עברה את מועד ההחלטה בלי הכרעה. נא להכריע בה, או לבקש מהסוקרים להשלים את ההצבעה.`,
};

/**
 * A review e-mail: the reference and a link, and nothing else about the applicant, since mail leaves our
 * hands; everything else is behind the sign-in. The reference and the link are isolated left-to-right.
 */
export function renderReviewMail(input: ReviewMailInput): { subject: string; text: string; html: string } {
  const deadline = input.deadline ? dateHe(input.deadline) : '';
  const body = BODIES[input.kind](input, deadline);
  const action = 'לבקשה בלוח הבקרה (נדרשת כניסה):';
  const text = `שלום ${input.name},\n\n${body}\n\n${action}\n${input.link}\n\nמספר הבקשה: ${input.reference}\n`;
  const page = html`<!doctype html>
<html lang="he" dir="rtl">
  <body>
    <p>שלום ${input.name},</p>
    <p>${body}</p>
    <p><a href="${input.link}">${action.replace(':', '')}</a></p>
    <p>מספר הבקשה: <bdi dir="ltr">${input.reference}</bdi></p>
  </body>
</html>`;
  return { subject: SUBJECTS[input.kind](input), text, html: String(page) };
}
