import { html } from 'hono/html';
import type { Cohort } from '../../workflows/index.ts';
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
  const lines = paragraphs[input.kind](input);
  const greeting = `שלום ${input.fullName},`;
  const signature = 'צוות רשת muni:STEM';
  const text = [greeting, '', ...lines, '', signature].join('\n');
  const body = html`<!DOCTYPE html>
<html lang="he" dir="rtl"><head><meta charset="utf-8"><title>${subjects[input.kind]}</title></head>
<body style="font-family:Arial,sans-serif;line-height:1.6;direction:rtl;text-align:right">
<p>${greeting}</p>
${lines.map((l) => html`<p>${l}</p>`)}
<p>${signature}</p>
</body></html>`;
  return { subject: `${subjects[input.kind]} — ${input.cohort.name.he}`, text, html: String(body) };
}
