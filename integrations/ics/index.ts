import { TZDate } from '@date-fns/tz';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { meetingTimes, meetingUid } from '../../src/domain/meetings.ts';
import type { Cohort } from '../../workflows/index.ts';

const vtimezone = (tz: string): string | null => {
  const block = tzlib_get_ical_block(tz);
  return Array.isArray(block) ? (block[0] ?? null) : null;
};

export interface IcsOptions {
  publicUrl: string;
  organiser?: { name: string; email: string };
  /** With an attendee the file is an invitation (METHOD:REQUEST) for that person. */
  attendee?: { name: string; email: string };
}

/** The cohort's meetings as RFC 5545 text, in Asia/Jerusalem with its VTIMEZONE; text escaped by the library. */
export function cohortCalendar(cohort: Cohort, options: IcsOptions): string {
  const calendar = ical({
    name: cohort.name.he,
    prodId: { company: 'muni:STEM', product: 'kehila', language: 'HE' },
    // No calendar-wide zone: ical-generator would then write DTSTAMP in local time, which RFC 5545 forbids.
    // Each event names its zone, and the generator adds that zone's VTIMEZONE once.
    timezone: { name: null, generator: vtimezone },
    ...(options.attendee ? { method: ICalCalendarMethod.REQUEST } : {}),
  });
  for (const meeting of cohort.meetings) {
    const { start, end } = meetingTimes(cohort, meeting);
    const location = meeting.mode === 'in_person' ? meeting.address : meeting.videoLink;
    const event = calendar.createEvent({
      id: meetingUid(cohort.id, meeting.id),
      // TZDate carries the zone, so the library writes the wall-clock time in Asia/Jerusalem.
      start: new TZDate(start.getTime(), cohort.timeZone),
      end: new TZDate(end.getTime(), cohort.timeZone),
      timezone: cohort.timeZone,
      summary: meeting.title.he,
      description: [meeting.description, meeting.videoLink ? `קישור: ${meeting.videoLink}` : '']
        .filter(Boolean)
        .join('\n'),
      ...(location ? { location } : {}),
      ...(meeting.videoLink
        ? { url: meeting.videoLink }
        : { url: `${options.publicUrl}/apply/${cohort.id}` }),
      ...(options.organiser ? { organizer: options.organiser } : {}),
    });
    if (options.attendee) {
      event.createAttendee({
        name: options.attendee.name,
        email: options.attendee.email,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
        rsvp: true,
      });
    }
  }
  return calendar.toString();
}
