import { expect, it } from 'vitest';
import type { CalendarPort } from '../../src/ports.ts';
import { loadWorkflows } from '../../workflows/index.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
const meeting = cohort.meetings[0]!;

export interface CalendarUnderTest {
  port: CalendarPort;
  /** The attendee e-mails of the meeting as the calendar holds them. */
  attendees(): Promise<string[]>;
  /** How many events the calendar holds. */
  events(): Promise<number>;
  /** The meeting's summary as the calendar holds it. */
  summary(): Promise<string | undefined>;
}

/** What every CalendarPort must do; run against the in-memory fake and the real adapter alike. */
export function calendarContract(make: () => Promise<CalendarUnderTest>) {
  it('ensures a meeting idempotently: twice is one event', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.ensureMeeting(cohort, meeting);
    expect(await c.events()).toBe(1);
  });

  it('brings an existing event up to date when the workflow changes', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    const renamed = { ...meeting, title: { he: 'מפגש פתיחה (מועד מעודכן)', en: 'x' } };
    await c.port.ensureMeeting(cohort, renamed);
    const summary = await c.summary();
    if (summary !== undefined) expect(summary).toBe('מפגש פתיחה (מועד מעודכן)');
    expect(await c.events()).toBe(1);
  });

  it('adds attendees once, and keeps everyone already there', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.addAttendees(cohort, meeting, [{ email: 'first@example.org', name: 'ראשונה' }]);
    await c.port.addAttendees(cohort, meeting, [{ email: 'second@example.org', name: 'שני' }]);
    await c.port.addAttendees(cohort, meeting, [{ email: 'SECOND@example.org', name: 'שני' }]);
    expect((await c.attendees()).sort()).toEqual(['first@example.org', 'second@example.org']);
  });

  it('removes one attendee and keeps the rest; removing someone absent is success', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.addAttendees(cohort, meeting, [
      { email: 'stay@example.org', name: 'נשארת' },
      { email: 'leave@example.org', name: 'עוזב' },
    ]);
    await c.port.removeAttendee(cohort, meeting, 'leave@example.org');
    await c.port.removeAttendee(cohort, meeting, 'never@example.org');
    expect(await c.attendees()).toEqual(['stay@example.org']);
  });
}
