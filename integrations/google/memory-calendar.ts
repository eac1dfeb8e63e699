import { meetingFingerprint } from '../../src/domain/meetings.ts';
import type { CalendarPort, MeetingSyncOutcome, Person } from '../../src/ports.ts';
import type { Cohort, Meeting } from '../../workflows/index.ts';

/** One meeting's event as the memory calendar holds it; the attendees live in `attendees`, by the same key. */
export interface MemoryEvent {
  calendarId: string;
  status: 'confirmed' | 'cancelled';
  meeting: Meeting;
  /** Raised by every change attendees are told of, as Google raises its SEQUENCE. */
  sequence: number;
}

/** The CalendarPort in memory: attendees per meeting, merged like the real adapter; every call counted. */
export function memoryCalendar(
  faults: { check(what: string): void } = { check() {} },
  options: { calendarId?: string } = {},
): CalendarPort & {
  /** Attendee e-mails by `cohortId/meetingId`. */
  attendees: Map<string, string[]>;
  /** Events by `cohortId/meetingId`, cancelled ones kept as Google keeps them. */
  events: Map<string, MemoryEvent>;
  calls: number;
  /** Calls that changed an event (created, updated, cancelled, attendees added or removed). */
  writes: number;
} {
  const attendees = new Map<string, string[]>();
  const events = new Map<string, MemoryEvent>();
  const key = (c: Cohort, meetingId: string) => `${c.id}/${meetingId}`;
  const calendarOf = (c: Cohort) => c.onboarding.calendarId ?? options.calendarId ?? 'primary';

  const upsert = (c: Cohort, m: Meeting): MeetingSyncOutcome => {
    const k = key(c, m.id);
    if (!attendees.has(k)) attendees.set(k, []);
    const event = events.get(k);
    if (!event) {
      events.set(k, { calendarId: calendarOf(c), status: 'confirmed', meeting: m, sequence: 0 });
      port.writes++;
      return 'created';
    }
    if (event.status === 'confirmed' && meetingFingerprint(event.meeting) === meetingFingerprint(m)) {
      return 'unchanged';
    }
    Object.assign(event, { status: 'confirmed', meeting: m, sequence: event.sequence + 1 });
    port.writes++;
    return 'updated';
  };

  const port = {
    configured: true,
    attendees,
    events,
    calls: 0,
    writes: 0,
    async ensureMeeting(c: Cohort, m: Meeting) {
      port.calls++;
      faults.check('ensureMeeting');
      upsert(c, m);
    },
    async syncMeeting(c: Cohort, m: Meeting) {
      port.calls++;
      faults.check('syncMeeting');
      return upsert(c, m);
    },
    async cancelMeeting(c: Cohort, meetingId: string) {
      port.calls++;
      faults.check('cancelMeeting');
      const event = events.get(key(c, meetingId));
      if (!event || event.status === 'cancelled') return;
      Object.assign(event, { status: 'cancelled', sequence: event.sequence + 1 });
      port.writes++;
    },
    async addAttendees(c: Cohort, m: Meeting, people: Person[]) {
      port.calls++;
      faults.check('addAttendees');
      const list = attendees.get(key(c, m.id)) ?? [];
      const before = list.length;
      for (const p of people)
        if (!list.some((e) => e.toLowerCase() === p.email.toLowerCase())) list.push(p.email);
      attendees.set(key(c, m.id), list);
      if (list.length !== before) port.writes++;
    },
    async removeAttendee(c: Cohort, m: Meeting, email: string) {
      port.calls++;
      const list = attendees.get(key(c, m.id)) ?? [];
      const kept = list.filter((e) => e.toLowerCase() !== email.toLowerCase());
      attendees.set(key(c, m.id), kept);
      if (kept.length !== list.length) port.writes++;
    },
  };
  return port;
}
