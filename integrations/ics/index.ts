import { TZDate } from '@date-fns/tz';
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  type ICalCalendar,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { meetingText, meetingTimes, meetingUid } from '../../src/domain/meetings.ts';
import type { Cohort, Meeting } from '../../workflows/index.ts';

const vtimezone = (tz: string): string | null => {
  const block = tzlib_get_ical_block(tz);
  return Array.isArray(block) ? (block[0] ?? null) : null;
};

/** A name and an address, as in ORGANIZER and ATTENDEE. */
export interface IcsParty {
  name: string;
  email: string;
}

/** The language a calendar's names and words are in: the applicant's, Hebrew for the public feed by default. */
export type IcsLang = 'he' | 'ar' | 'en';

export interface IcsOptions {
  publicUrl: string;
  lang?: IcsLang;
  organizer?: IcsParty;
  /** With an attendee the file is an invitation (METHOD:REQUEST) for that person. */
  attendee?: IcsParty;
}

/** What every scheduling message (RFC 5546 over e-mail) to one attendee needs. */
export interface SchedulingOptions {
  publicUrl: string;
  /** The attendee's language, as stored with their application. */
  lang?: IcsLang;
  /** The programme's address from the settings, else MAIL_FROM: replies and declines go there. */
  organizer: IcsParty;
  attendee: IcsParty;
  /**
   * SEQUENCE of every meeting in the file: 0 for the first invitation, and higher than anything this
   * attendee was sent before for an update or a cancellation, or their client keeps the older version.
   */
  sequence: number;
}

function newCalendar(cohort: Cohort, lang: IcsLang, method?: ICalCalendarMethod): ICalCalendar {
  return ical({
    name: cohort.name[lang],
    prodId: { company: 'muni:STEM', product: 'kehila', language: lang.toUpperCase() },
    // No calendar-wide zone: ical-generator would then write DTSTAMP in local time, which RFC 5545 forbids.
    // Each event names its zone, and the generator adds that zone's VTIMEZONE once.
    timezone: { name: null, generator: vtimezone },
    ...(method ? { method } : {}),
  });
}

interface EventOptions {
  publicUrl: string;
  lang?: IcsLang | undefined;
  organizer?: IcsParty | undefined;
  attendee?: { party: IcsParty; status?: ICalAttendeeStatus; rsvp?: boolean } | undefined;
  sequence?: number;
  cancelled?: boolean;
}

function addMeeting(calendar: ICalCalendar, cohort: Cohort, meeting: Meeting, o: EventOptions) {
  const { start, end } = meetingTimes(cohort, meeting);
  const text = meetingText(meeting, o.lang ?? 'he');
  const event = calendar.createEvent({
    // The UID Google gives the meeting's event: a client holding both merges them into one.
    id: meetingUid(cohort.id, meeting.id),
    // TZDate carries the zone, so the library writes the wall-clock time in Asia/Jerusalem.
    start: new TZDate(start.getTime(), cohort.timeZone),
    end: new TZDate(end.getTime(), cohort.timeZone),
    timezone: cohort.timeZone,
    summary: text.summary,
    description: text.description,
    ...(text.location ? { location: text.location } : {}),
    url: text.link ?? `${o.publicUrl}/apply/${cohort.id}`,
    ...(o.organizer ? { organizer: o.organizer } : {}),
    ...(o.sequence !== undefined ? { sequence: o.sequence } : {}),
    // RFC 5546 leaves STATUS out of a CANCEL that uninvites only some attendees; ours goes to one person,
    // for whom the meeting is off either way, and a client that merely imports the file needs it said.
    ...(o.cancelled ? { status: ICalEventStatus.CANCELLED } : {}),
  });
  if (o.attendee) {
    event.createAttendee({
      name: o.attendee.party.name,
      email: o.attendee.party.email,
      role: ICalAttendeeRole.REQ,
      ...(o.attendee.status ? { status: o.attendee.status } : {}),
      ...(o.attendee.rsvp !== undefined ? { rsvp: o.attendee.rsvp } : {}),
    });
  }
}

/** The cohort's meetings as RFC 5545 text, in Asia/Jerusalem with its VTIMEZONE; text escaped by the library. */
export function cohortCalendar(cohort: Cohort, options: IcsOptions): string {
  const calendar = newCalendar(
    cohort,
    options.lang ?? 'he',
    options.attendee ? ICalCalendarMethod.REQUEST : undefined,
  );
  const attendee = options.attendee
    ? { party: options.attendee, status: ICalAttendeeStatus.NEEDSACTION, rsvp: true }
    : undefined;
  for (const meeting of cohort.meetings) {
    addMeeting(calendar, cohort, meeting, { ...options, attendee });
  }
  return calendar.toString();
}

/**
 * An invitation to the meetings for one attendee (METHOD:REQUEST): the first one with sequence 0, or an
 * update of changed meetings with a higher sequence, which clients apply over what they hold (same UID).
 */
export function meetingRequest(cohort: Cohort, meetings: readonly Meeting[], o: SchedulingOptions): string {
  const calendar = newCalendar(cohort, o.lang ?? 'he', ICalCalendarMethod.REQUEST);
  const attendee = { party: o.attendee, status: ICalAttendeeStatus.NEEDSACTION, rsvp: true };
  for (const meeting of meetings) addMeeting(calendar, cohort, meeting, { ...o, attendee });
  return calendar.toString();
}

/**
 * A cancellation for one attendee (METHOD:CANCEL, STATUS:CANCELLED, same UIDs as their invitation, a
 * higher sequence): they withdrew, or the meetings were removed from the cohort. Pass each meeting as the
 * attendee was last told of it; a client finds the event by its UID, and shows the rest in the notice.
 */
export function meetingCancellation(
  cohort: Cohort,
  meetings: readonly Meeting[],
  o: SchedulingOptions,
): string {
  const calendar = newCalendar(cohort, o.lang ?? 'he', ICalCalendarMethod.CANCEL);
  const attendee = { party: o.attendee };
  for (const meeting of meetings) addMeeting(calendar, cohort, meeting, { ...o, attendee, cancelled: true });
  return calendar.toString();
}
