import { randomUUID } from 'node:crypto';
import type { calendar_v3 } from '@googleapis/calendar';
import { meetingText } from '../../src/domain/meetings.ts';
import type { Cohort, Meeting } from '../../workflows/index.ts';

/** The event as the workflow describes it; the attendees are never part of it (they are merged apart). */
export function eventFields(cohort: Cohort, meeting: Meeting): calendar_v3.Schema$Event {
  const { summary, location, description } = meetingText(meeting);
  return {
    summary,
    description,
    location,
    start: { dateTime: `${meeting.start}:00`, timeZone: cohort.timeZone },
    end: { dateTime: `${meeting.end}:00`, timeZone: cohort.timeZone },
    // Named so that a sync restores an event cancelled when the meeting was removed and then put back.
    status: 'confirmed',
    guestsCanSeeOtherGuests: false,
    extendedProperties: { private: { kehila: `${cohort.id}/${meeting.id}` } },
  };
}

/** Whether the event lacks a conference it should have: online, and the workflow gives no link of its own. */
export const needsMeet = (meeting: Meeting, have?: calendar_v3.Schema$Event) =>
  meeting.mode === 'online' && !meeting.videoLink && !have?.conferenceData;

/** Asks Google to create a Meet; honoured only with conferenceDataVersion=1 on the request. */
export const meetRequest = (): calendar_v3.Schema$ConferenceData => ({
  createRequest: { requestId: randomUUID(), conferenceSolutionKey: { type: 'hangoutsMeet' } },
});

/**
 * Whether the event as Google holds it shows something other than `want`. Google answers dateTime with
 * its offset (2027-03-11T09:00:00+02:00), so only the wall-clock part is compared, with the zone.
 */
export const differs = (want: calendar_v3.Schema$Event, have: calendar_v3.Schema$Event) =>
  want.summary !== (have.summary ?? '') ||
  want.description !== (have.description ?? '') ||
  want.location !== (have.location ?? '') ||
  want.start?.dateTime !== have.start?.dateTime?.slice(0, 19) ||
  want.end?.dateTime !== have.end?.dateTime?.slice(0, 19) ||
  want.start?.timeZone !== have.start?.timeZone ||
  want.end?.timeZone !== have.end?.timeZone ||
  (have.status ?? 'confirmed') !== want.status;
