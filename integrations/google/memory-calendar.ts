import type { CalendarPort, Person } from '../../src/ports.ts';
import type { Cohort, Meeting } from '../../workflows/index.ts';

/** The CalendarPort in memory: attendees per meeting, merged like the real adapter; every call counted. */
export function memoryCalendar(faults: { check(what: string): void } = { check() {} }): CalendarPort & {
  attendees: Map<string, string[]>;
  calls: number;
} {
  const attendees = new Map<string, string[]>();
  const key = (c: Cohort, m: Meeting) => `${c.id}/${m.id}`;
  const port = {
    configured: true,
    attendees,
    calls: 0,
    async ensureMeeting(c: Cohort, m: Meeting) {
      port.calls++;
      faults.check('ensureMeeting');
      if (!attendees.has(key(c, m))) attendees.set(key(c, m), []);
    },
    async addAttendees(c: Cohort, m: Meeting, people: Person[]) {
      port.calls++;
      faults.check('addAttendees');
      const list = attendees.get(key(c, m)) ?? [];
      for (const p of people)
        if (!list.some((e) => e.toLowerCase() === p.email.toLowerCase())) list.push(p.email);
      attendees.set(key(c, m), list);
    },
    async removeAttendee(c: Cohort, m: Meeting, email: string) {
      port.calls++;
      attendees.set(
        key(c, m),
        (attendees.get(key(c, m)) ?? []).filter((e) => e.toLowerCase() !== email.toLowerCase()),
      );
    },
  };
  return port;
}
