import { html } from 'hono/html';
import type { Cohort, Meeting } from '../../workflows/index.ts';
import { formatMeetingHe } from '../domain/meetings.ts';

export type NoticeKind = 'received' | 'accepted' | 'declined' | 'waitlisted' | 'withdrawn';

export interface Notice {
  subject: string;
  text: string;
  html: string;
}

interface NoticeInput {
  kind: NoticeKind;
  cohort: Cohort;
  fullName: string;
  reference: string;
  publicUrl: string;
  /** Whether Google sends calendar invitations (otherwise an .ics is attached). */
  calendarInvites: boolean;
}

const paragraphs: Record<NoticeKind, (i: NoticeInput) => string[]> = {
  received: (i) => [
    `קיבלנו את בקשתך להצטרף למחזור: ${i.cohort.name.he}.`,
    `מספר האסמכתה: ${i.reference}`,
    'צוות התוכנית יעבור על הבקשה, בדרך כלל בתוך שבוע, ונעדכן אותך בדואר האלקטרוני.',
  ],
  accepted: (i) => [
    `שמחים לבשר שהתקבלת למחזור: ${i.cohort.name.he}.`,
    i.calendarInvites
      ? 'זימונים לכל המפגשים יגיעו אליך בנפרד מיומן Google. נא לאשר אותם.'
      : 'מצורף קובץ יומן עם כל המפגשים. פתיחתו תוסיף אותם ליומן שלך.',
    'מועדי המפגשים:',
    ...i.cohort.meetings.map((m) => `• ${m.title.he} — ${formatMeetingHe(i.cohort, m)}`),
    `מספר האסמכתה: ${i.reference}`,
  ],
  declined: (i) => [
    `תודה על בקשתך להצטרף למחזור: ${i.cohort.name.he}.`,
    'לאחר עיון, לא נוכל לצרף אותך למחזור הזה. נשמח לראות אותך בפעילויות הרשת ובמחזורים הבאים.',
    `מספר האסמכתה: ${i.reference}`,
  ],
  waitlisted: (i) => [
    `תודה על בקשתך להצטרף למחזור: ${i.cohort.name.he}.`,
    'בקשתך נמצאת ברשימת ההמתנה. אם יתפנה מקום נעדכן אותך מיד.',
    `מספר האסמכתה: ${i.reference}`,
  ],
  withdrawn: (i) => [
    `השתתפותך בוטלה: ${i.cohort.name.he}.`,
    'הביטול נעשה לבקשתך או בתיאום עם צוות התוכנית.',
    i.calendarInvites
      ? 'הסרנו אותך מהזימונים למפגשים ומערוצי ה-Slack של המחזור.'
      : 'מצורף קובץ יומן שמבטל את המפגשים ביומן שלך.',
    'אם זו טעות, אפשר להשיב להודעה הזו ונשמח לעזור.',
    `מספר האסמכתה: ${i.reference}`,
  ],
};

const subjects: Record<NoticeKind, string> = {
  received: 'קיבלנו את בקשתך',
  accepted: 'התקבלת!',
  declined: 'עדכון על בקשתך',
  waitlisted: 'בקשתך ברשימת ההמתנה',
  withdrawn: 'ההשתתפות שלך בוטלה',
};

/** A Hebrew notice to an applicant, plain and HTML; every interpolated value is escaped in the HTML part. */
export function renderNotice(input: NoticeInput): Notice {
  return compose(subjects[input.kind], input.cohort, input.fullName, paragraphs[input.kind](input));
}

export interface MeetingChangeInput {
  /** `updated`: the meetings moved or were added (an .ics REQUEST); `cancelled`: they were dropped. */
  kind: 'updated' | 'cancelled';
  cohort: Cohort;
  /** As they are now, or for a cancellation as the member last knew them. */
  meetings: readonly Meeting[];
  fullName: string;
  reference: string;
}

/** Where a meeting takes place, in words. */
function placeOf(meeting: Meeting): string {
  if (meeting.mode === 'in_person') return meeting.address ?? '';
  return meeting.videoLink ? `מקוון: ${meeting.videoLink}` : 'מקוון';
}

/** The notice that goes with an .ics update or cancellation of some of the cohort's meetings. */
export function renderMeetingChange(input: MeetingChangeInput): Notice {
  const one = input.meetings.length === 1;
  const list = input.meetings.map(
    (m) => `• ${m.title.he} — ${formatMeetingHe(input.cohort, m)}${placeOf(m) ? `, ${placeOf(m)}` : ''}`,
  );
  const lines =
    input.kind === 'updated'
      ? [
          `יש עדכון במפגשים של המחזור: ${input.cohort.name.he}.`,
          one ? 'המפגש שהשתנה או נוסף:' : 'המפגשים שהשתנו או נוספו:',
          ...list,
          'מצורף קובץ יומן מעודכן. פתיחתו תעדכן את היומן שלך.',
          'שאר המפגשים נשארים ללא שינוי.',
        ]
      : [
          `יש עדכון במפגשים של המחזור: ${input.cohort.name.he}.`,
          one ? 'המפגש הזה בוטל:' : 'המפגשים האלה בוטלו:',
          ...list,
          one ? 'מצורף קובץ יומן שמסיר את המפגש מהיומן שלך.' : 'מצורף קובץ יומן שמסיר את המפגשים מהיומן שלך.',
          'שאר המפגשים נשארים כפי שהם.',
        ];
  const subject = input.kind === 'updated' ? 'עדכון במפגשים' : one ? 'מפגש בוטל' : 'מפגשים בוטלו';
  return compose(subject, input.cohort, input.fullName, [...lines, `מספר האסמכתה: ${input.reference}`]);
}

function compose(subject: string, cohort: Cohort, fullName: string, lines: string[]): Notice {
  const greeting = `שלום ${fullName},`;
  const signature = 'צוות רשת muni:STEM';
  const text = [greeting, '', ...lines, '', signature].join('\n');
  const body = html`<!DOCTYPE html>
<html lang="he" dir="rtl"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;line-height:1.6;direction:rtl;text-align:right">
<p>${greeting}</p>
${lines.map((l) => html`<p>${l}</p>`)}
<p>${signature}</p>
</body></html>`;
  return { subject: `${subject} — ${cohort.name.he}`, text, html: String(body) };
}
