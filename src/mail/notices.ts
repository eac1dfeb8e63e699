import { html } from 'hono/html';
import type { Cohort, Meeting, ProgrammeContact } from '../../workflows/index.ts';
import { meetingWhen } from '../domain/meetings.ts';
import { LINK_TEXTS } from './link-texts.ts';
import { MEETING_CHANGE_TEXTS } from './meeting-change-texts.ts';
import { iso, type MailLang, NOTICE_TEXTS, type NoticeInput, type NoticeKind } from './notice-texts.ts';

export type { MailLang, NoticeKind };

export interface Notice {
  subject: string;
  text: string;
  html: string;
  /** The language both parts are written in: the message's Content-Language. */
  language: MailLang;
}

/** A notice to an applicant in their language, plain and HTML; every interpolated value is escaped in the HTML part. */
export function renderNotice(input: NoticeInput & { pageLink?: string }): Notice {
  const lang = input.lang ?? 'he';
  const t = NOTICE_TEXTS[lang];
  return compose({
    subject: t.subjects[input.kind],
    cohort: input.cohort,
    fullName: input.fullName,
    lines: t.paragraphs[input.kind](input),
    lang,
    contact: input.contact,
    ...(input.pageLink ? { link: { before: LINK_TEXTS[lang].inReceived, url: input.pageLink } } : {}),
  });
}

/** "Send me my link": the link to the applicant's own page, and how long it stays valid. */
export function renderMyLink(input: {
  cohort: Cohort;
  fullName: string;
  url: string;
  days: number;
  lang: MailLang;
  contact?: ProgrammeContact | undefined;
}): Notice {
  const t = LINK_TEXTS[input.lang];
  const lead = t.lead.slice(0, -1);
  return compose({
    subject: t.subject,
    cohort: input.cohort,
    fullName: input.fullName,
    lines: lead,
    lang: input.lang,
    contact: input.contact,
    link: { before: t.lead[t.lead.length - 1] ?? '', url: input.url, after: t.after(input.days) },
  });
}

export interface MeetingChangeInput {
  /** `updated`: the meetings moved or were added (an .ics REQUEST); `cancelled`: they were dropped. */
  kind: 'updated' | 'cancelled';
  cohort: Cohort;
  /** As they are now, or for a cancellation as the member last knew them. */
  meetings: readonly Meeting[];
  fullName: string;
  reference: string;
  /** The member's language, as stored with the application; Hebrew when not given. */
  lang?: MailLang;
  contact?: ProgrammeContact;
}

/** The notice that goes with an .ics update or cancellation of some of the cohort's meetings. */
export function renderMeetingChange(input: MeetingChangeInput): Notice {
  const lang = input.lang ?? 'he';
  const t = MEETING_CHANGE_TEXTS[lang];
  const rtl = lang !== 'en';
  const one = input.meetings.length === 1;
  // The address and the link are left as the workflow wrote them; inside Arabic or Hebrew a link is isolated.
  const placeOf = (m: Meeting) => {
    if (m.mode === 'in_person') return m.address ?? '';
    if (!m.videoLink) return t.online;
    return `${t.online}: ${rtl ? iso(m.videoLink) : m.videoLink}`;
  };
  const list = input.meetings.map((m) => {
    const when = meetingWhen(lang, input.cohort, m);
    const times = `${when.start}–${when.end}`;
    const place = placeOf(m);
    const comma = lang === 'ar' ? '،' : ',';
    return `• ${m.title[lang]} — ${when.day}${comma} ${rtl ? iso(times) : times}${place ? `${comma} ${place}` : ''}`;
  });
  const name = input.cohort.name[lang];
  const lines =
    input.kind === 'updated'
      ? [t.lead(name), t.updatedList(one), ...list, t.updatedFile, t.updatedRest]
      : [t.lead(name), t.cancelledList(one), ...list, t.cancelledFile(one), t.cancelledRest];
  const subject =
    input.kind === 'updated' ? t.subject.updated : one ? t.subject.cancelledOne : t.subject.cancelledMany;
  const reference = `${t.reference} ${rtl ? iso(input.reference) : input.reference}`;
  return compose({
    subject,
    cohort: input.cohort,
    fullName: input.fullName,
    lines: [...lines, reference],
    lang,
    contact: input.contact,
  });
}

export interface Composed {
  subject: string;
  cohort: Cohort;
  fullName: string;
  lines: string[];
  lang: MailLang;
  contact: ProgrammeContact | undefined;
  /** A link after the lines: on its own line in the text, a left-to-right anchor in the HTML. */
  link?: { before: string; url: string; after?: string };
}

/** The foot line with the programme's address and phone: isolated in the text, marked left-to-right in HTML. */
function contactLine(lang: MailLang, contact: ProgrammeContact | undefined) {
  if (!contact) return null;
  const t = NOTICE_TEXTS[lang].contact;
  const ltr = (s: string) => (lang === 'en' ? s : iso(s));
  const text = `${t.email} ${ltr(contact.email)}${contact.phone ? ` ${t.phone} ${ltr(contact.phone)}` : ''}`;
  const phone = contact.phone
    ? html` ${t.phone} <a href="tel:${contact.phone.replace(/[^\d+]/g, '')}" dir="ltr">${contact.phone}</a>`
    : '';
  const markup = html`<p>${t.email} <a href="mailto:${contact.email}" dir="ltr">${contact.email}</a>${phone}</p>`;
  return { text, html: markup };
}

/** A notice in the house layout: greeting, lines, the link if any, the programme contact and signature. */
export function compose({ subject, cohort, fullName, lines, lang, contact, link }: Composed): Notice {
  const t = NOTICE_TEXTS[lang];
  const greeting = t.greeting(fullName);
  const signature = t.signature;
  const dir = lang === 'en' ? 'ltr' : 'rtl';
  const foot = contactLine(lang, contact);
  const linkText = link ? [link.before, link.url, ...(link.after ? [link.after] : [])] : [];
  const text = [greeting, '', ...lines, ...linkText, '', ...(foot ? [foot.text, ''] : []), signature].join(
    '\n',
  );
  const linkHtml = link
    ? html`<p>${link.before}<br><a href="${link.url}" dir="ltr">${link.url}</a></p>${link.after ? html`<p>${link.after}</p>` : ''}`
    : '';
  const body = html`<!DOCTYPE html>
<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:Arial,sans-serif;line-height:1.6;direction:${dir};text-align:${dir === 'rtl' ? 'right' : 'left'}">
<p>${greeting}</p>
${lines.map((l) => html`<p>${l}</p>`)}
${linkHtml}
${foot?.html ?? ''}
<p>${signature}</p>
</body></html>`;
  return { subject: `${subject} — ${cohort.name[lang]}`, text, html: String(body), language: lang };
}
