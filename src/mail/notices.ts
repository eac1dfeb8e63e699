import { html } from 'hono/html';
import type { Cohort, Meeting } from '../../workflows/index.ts';
import { formatMeetingHe } from '../domain/meetings.ts';

import { type MailLang, NOTICE_TEXTS, type NoticeInput, type NoticeKind } from './notice-texts.ts';

export type { MailLang, NoticeKind };

export interface Notice {
  subject: string;
  text: string;
  html: string;
}

/** A notice to an applicant in their language, plain and HTML; every interpolated value is escaped in the HTML part. */
export function renderNotice(input: NoticeInput): Notice {
  const lang = input.lang ?? 'he';
  const t = NOTICE_TEXTS[lang];
  return compose(t.subjects[input.kind], input.cohort, input.fullName, t.paragraphs[input.kind](input), lang);
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

function compose(
  subject: string,
  cohort: Cohort,
  fullName: string,
  lines: string[],
  lang: MailLang = 'he',
): Notice {
  const t = NOTICE_TEXTS[lang];
  const greeting = t.greeting(fullName);
  const signature = t.signature;
  const dir = lang === 'en' ? 'ltr' : 'rtl';
  const text = [greeting, '', ...lines, '', signature].join('\n');
  const body = html`<!DOCTYPE html>
<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;line-height:1.6;direction:${dir};text-align:${dir === 'rtl' ? 'right' : 'left'}">
<p>${greeting}</p>
${lines.map((l) => html`<p>${l}</p>`)}
<p>${signature}</p>
</body></html>`;
  return { subject: `${subject} — ${cohort.name[lang]}`, text, html: String(body) };
}
