import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import {
  cohortCalendar,
  meetingCancellation,
  meetingRequest,
  type SchedulingOptions,
} from '../../integrations/ics/index.ts';
import { meetingUid } from '../../src/domain/meetings.ts';
import { loadWorkflows, type Meeting } from '../../workflows/index.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;

function events(text: string) {
  return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
}
const method = (text: string) => ical.sync.parseICS(text).vcalendar?.method;
const first = <T>(x: T | T[] | undefined) => (Array.isArray(x) ? x[0] : x);
/** RFC 5545 folds lines at 75 octets; a raw-text assertion reads them unfolded. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('the cohort feed', () => {
  const text = cohortCalendar(cohort, { publicUrl: 'https://kehila.example.org' });

  it('parses back with an independent parser, one event per meeting with stable UIDs', () => {
    const parsed = events(text);
    expect(parsed.map((e) => e.uid)).toEqual(cohort.meetings.map((m) => meetingUid(cohort.id, m.id)));
    expect(text).toContain('BEGIN:VTIMEZONE');
    expect(text).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
    expect(text).not.toContain('METHOD:');
  });

  it("places every meeting at the right instant across Israel's 2027 DST change (26 March)", () => {
    const byUid = new Map(events(text).map((e) => [e.uid, e]));
    const at = (id: string) => byUid.get(meetingUid(cohort.id, id));
    // 11 March: standard time, UTC+2.
    expect(at('opening-day')?.start?.toISOString()).toBe('2027-03-11T07:00:00.000Z');
    expect(at('opening-day')?.end?.toISOString()).toBe('2027-03-11T14:00:00.000Z');
    // 28 March: summer time, UTC+3.
    expect(at('online-1')?.start?.toISOString()).toBe('2027-03-28T14:00:00.000Z');
    expect(at('closing-day')?.start?.toISOString()).toBe('2027-06-23T06:00:00.000Z');
  });

  it('escapes text so commas, semicolons, backslashes and newlines survive the round trip', () => {
    const tricky = {
      ...cohort,
      meetings: [
        {
          ...cohort.meetings[0]!,
          title: { he: 'א, ב; ג\\ד', ar: 'x', en: 'x' },
          description: 'שורה 1\nשורה 2; סוף',
        },
      ],
    };
    const [event] = events(cohortCalendar(tricky, { publicUrl: 'https://kehila.example.org' }));
    expect(event?.summary).toBe('א, ב; ג\\ד');
    expect(String(event?.description)).toContain('שורה 1\nשורה 2; סוף');
  });

  it('is an invitation for one person with METHOD:REQUEST and the attendee', () => {
    const invite = cohortCalendar(cohort, {
      publicUrl: 'https://kehila.example.org',
      attendee: { name: 'נועה כהן', email: 'noa@example.org' },
    });
    expect(invite).toContain('METHOD:REQUEST');
    const [event] = events(invite);
    const attendee = Array.isArray(event?.attendee) ? event?.attendee[0] : event?.attendee;
    expect(JSON.stringify(attendee)).toContain('noa@example.org');
  });
});

describe('scheduling messages to one attendee', () => {
  const options: SchedulingOptions = {
    publicUrl: 'https://kehila.example.org',
    organizer: { name: 'muni:STEM, צוות התוכנית', email: 'team@munistem.example.org' },
    attendee: { name: 'נועה כהן', email: 'noa@example.org' },
    sequence: 0,
  };
  // 25 March 2027 is the last evening of standard time; Israel moves to summer time on Friday the 26th.
  const evening: Meeting = {
    ...cohort.meetings.find((m) => m.id === 'online-1')!,
    start: '2027-03-25T17:00',
    end: '2027-03-25T19:00',
    videoLink: 'https://zoom.example.org/j/8123456789',
  };
  const uid = meetingUid(cohort.id, evening.id);

  it('invites with METHOD:REQUEST, the organizer passed in, the attendee asked to reply, and SEQUENCE 0', () => {
    const text = meetingRequest(cohort, cohort.meetings, options);
    expect(method(text)).toBe('REQUEST');
    const parsed = events(text);
    expect(parsed.map((e) => e.uid)).toEqual(cohort.meetings.map((m) => meetingUid(cohort.id, m.id)));
    for (const event of parsed) {
      expect(event.sequence).toBe(0);
      expect(event.organizer).toMatchObject({
        params: { CN: 'muni:STEM, צוות התוכנית' },
        val: 'mailto:team@munistem.example.org',
      });
      const attendee = first(event.attendee);
      expect(attendee).toMatchObject({ params: { CN: 'נועה כהן', PARTSTAT: 'NEEDS-ACTION', RSVP: true } });
      expect(typeof attendee === 'object' && attendee.val.toLowerCase()).toBe('mailto:noa@example.org');
    }
  });

  it("carries an online meeting's link as its URL, its LOCATION and in its DESCRIPTION", () => {
    const [event] = events(meetingRequest(cohort, [evening], options));
    expect(event?.url).toMatchObject({ val: 'https://zoom.example.org/j/8123456789' });
    expect(event?.location).toBe('https://zoom.example.org/j/8123456789');
    expect(String(event?.description)).toContain('https://zoom.example.org/j/8123456789');
  });

  it('updates a meeting moved across the DST change: same UID, higher SEQUENCE, the new instants', () => {
    const before = first(events(meetingRequest(cohort, [evening], options)));
    // Standard time, UTC+2.
    expect(before?.start?.toISOString()).toBe('2027-03-25T15:00:00.000Z');
    const moved = { ...evening, start: '2027-03-29T17:00', end: '2027-03-29T19:30' };
    const update = meetingRequest(cohort, [moved], { ...options, sequence: 1 });
    expect(method(update)).toBe('REQUEST');
    const [after] = events(update);
    expect(after?.uid).toBe(uid);
    expect(after?.sequence).toBe(1);
    // Summer time, UTC+3: the same wall-clock hour is an hour earlier in UTC.
    expect(after?.start?.toISOString()).toBe('2027-03-29T14:00:00.000Z');
    expect(after?.end?.toISOString()).toBe('2027-03-29T16:30:00.000Z');
  });

  it('cancels every meeting for someone who withdrew: METHOD:CANCEL, STATUS:CANCELLED, the same UIDs', () => {
    const invitation = events(meetingRequest(cohort, cohort.meetings, options));
    const text = meetingCancellation(cohort, cohort.meetings, { ...options, sequence: 3 });
    expect(method(text)).toBe('CANCEL');
    const cancelled = events(text);
    expect(cancelled.map((e) => e.uid)).toEqual(invitation.map((e) => e.uid));
    for (const event of cancelled) {
      expect(event.status).toBe('CANCELLED');
      expect(event.sequence).toBe(3);
      expect(event.organizer).toMatchObject({ val: 'mailto:team@munistem.example.org' });
      expect(first(event.attendee)).toMatchObject({ params: { CN: 'נועה כהן' } });
      // Nothing to reply to: a cancellation asks for no RSVP.
      expect(JSON.stringify(event.attendee)).not.toContain('RSVP');
    }
  });

  it('cancels one removed meeting, as the attendee was last told of it, and nothing else', () => {
    const text = meetingCancellation(cohort, [evening], { ...options, sequence: 1 });
    const cancelled = events(text);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ uid, status: 'CANCELLED', sequence: 1 });
    expect(cancelled[0]?.start?.toISOString()).toBe('2027-03-25T15:00:00.000Z');
  });

  it('escapes the title, place and names in every message, so `;`, `,` and newlines survive', () => {
    const tricky: Meeting = {
      ...cohort.meetings[0]!,
      title: { he: 'פתיחה; יום א, חלק ב\nשורה שנייה', ar: 'x', en: 'x' },
      address: 'רח׳ הרצל 1, באר שבע; קומה 2',
    };
    for (const text of [
      meetingRequest(cohort, [tricky], options),
      meetingCancellation(cohort, [tricky], { ...options, sequence: 1 }),
    ]) {
      const [event] = events(text);
      expect(event?.summary).toBe('פתיחה; יום א, חלק ב\nשורה שנייה');
      expect(event?.location).toBe('רח׳ הרצל 1, באר שבע; קומה 2');
      expect(unfold(text)).toContain('SUMMARY:פתיחה\\; יום א\\, חלק ב\\nשורה שנייה');
      expect(unfold(text)).toContain(
        'ORGANIZER;CN="muni:STEM, צוות התוכנית":mailto:team@munistem.example.org',
      );
    }
  });
});
