import { TZDate } from '@date-fns/tz';
import type { Cohort, Meeting } from '../../workflows/index.ts';

export interface MeetingTimes {
  start: Date;
  end: Date;
}

/** A local YYYY-MM-DDTHH:mm in the given zone as an instant (DST decided by the zone's rules). */
export function zonedInstant(local: string, timeZone: string): Date {
  const [date = '', time = ''] = local.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  return new Date(new TZDate(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, timeZone).getTime());
}

/** The meeting's start and end as instants, read in the cohort's zone. */
export function meetingTimes(cohort: Cohort, meeting: Meeting): MeetingTimes {
  return {
    start: zonedInstant(meeting.start, cohort.timeZone),
    end: zonedInstant(meeting.end, cohort.timeZone),
  };
}

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * Google Calendar event ids must be base32hex (a–v, 0–9), 5–1,024 characters. Encoding the cohort and
 * meeting ids makes the id deterministic, so inserting twice is a 409 rather than a second event.
 */
export function meetingEventId(cohortId: string, meetingId: string): string {
  const bytes = new TextEncoder().encode(`kehila/${cohortId}/${meetingId}`);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

/** The UID Google gives an event inserted with our id; the .ics feed uses the same, so clients merge them. */
export function meetingUid(cohortId: string, meetingId: string): string {
  return `${meetingEventId(cohortId, meetingId)}@google.com`;
}

/** A meeting's day ("יום חמישי, 11 במרץ 2027") and hours ("09:00–16:00") in the cohort's zone, apart. */
export function meetingWhenHe(cohort: Cohort, meeting: Meeting): { start: Date; day: string; hours: string } {
  const { start, end } = meetingTimes(cohort, meeting);
  const day = new Intl.DateTimeFormat('he-IL', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: cohort.timeZone,
  }).format(start);
  const hm = new Intl.DateTimeFormat('he-IL', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: cohort.timeZone,
  });
  return { start, day, hours: `${hm.format(start)}–${hm.format(end)}` };
}

/** What every invitation (a Google event, an .ics file) says about a meeting besides its time. */
export interface MeetingText {
  summary: string;
  /** The address in person; the video link online, since that is the field clients make clickable. */
  location: string;
  description: string;
  /** The video link, when the workflow gives one (online meetings without one get a Google Meet). */
  link?: string;
}

const LINK_LABEL = { he: 'קישור:', ar: 'الرابط:', en: 'Link:' } as const;

/**
 * An online meeting's link goes in LOCATION (the one field phones and calendar grids show, and which
 * Google, Outlook and Apple turn into a "join" link) and again at the end of the description (Google's
 * invitation e-mail and most event views show the description in full). The wording must stay as it is:
 * a changed description is a changed event, and every attendee would be sent an update. Google's events
 * and the fingerprint stay in Hebrew (one shared event per meeting); an attendee's own .ics is in their
 * language. The description is the workflow's one text, so only its link's label follows the language.
 */
export function meetingText(meeting: Meeting, lang: 'he' | 'ar' | 'en' = 'he'): MeetingText {
  const link = meeting.videoLink;
  return {
    summary: meeting.title[lang],
    location: meeting.mode === 'online' ? (link ?? '') : (meeting.address ?? ''),
    description: [meeting.description, link ? `${LINK_LABEL[lang]} ${link}` : ''].filter(Boolean).join('\n'),
    ...(link ? { link } : {}),
  };
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const U64 = (1n << 64n) - 1n;

/**
 * A stable hash of what a member's invitation shows (start, end, title, place, link, description): two
 * versions of a meeting with the same fingerprint need no update sent. FNV-1a, 64 bits, over canonical
 * JSON; no node:crypto, because this module is also bundled for the edge.
 */
export function meetingFingerprint(meeting: Meeting): string {
  const text = meetingText(meeting);
  const canonical = JSON.stringify([
    meeting.start,
    meeting.end,
    text.summary,
    text.location,
    text.link ?? '',
    text.description,
  ]);
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(canonical)) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & U64;
  return hash.toString(16).padStart(16, '0');
}

/** The BCP 47 locale used for dates and numbers; Arabic with Latin digits, as Israeli usage prefers. */
export const LOCALES: Record<'he' | 'ar' | 'en', string> = { he: 'he-IL', ar: 'ar-u-nu-latn', en: 'en-GB' };

/** A calendar day written out in the language ("1 בדצמבר 2026"), in Israel time. */
export const longDateFormat = (lang: 'he' | 'ar' | 'en') =>
  new Intl.DateTimeFormat(LOCALES[lang], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Asia/Jerusalem',
  });

/** A meeting's day and times in the language, in Israel time: "יום חמישי, 11 במרץ 2027", "09:00", "16:00". */
export function meetingWhen(lang: 'he' | 'ar' | 'en', cohort: Cohort, meeting: Meeting) {
  const { start, end } = meetingTimes(cohort, meeting);
  const locale = LOCALES[lang];
  const day = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: cohort.timeZone,
  }).format(start);
  const hm = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: cohort.timeZone,
  });
  return { day, start: hm.format(start), end: hm.format(end) };
}
