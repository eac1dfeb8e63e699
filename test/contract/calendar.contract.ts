import { expect, it } from 'vitest';
import type { CalendarPort } from '../../src/ports.ts';
import { type Cohort, loadWorkflows } from '../../workflows/index.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
const meeting = cohort.meetings[0]!;
const online = cohort.meetings.find((m) => m.mode === 'online')!;

/** The calendar the suite's adapters are built with, for cohorts that name none. */
export const DEFAULT_CALENDAR = 'programme@example.org';

/** One meeting's event as the calendar under test holds it, in the workflow's terms. */
export interface HeldEvent {
  calendarId: string;
  status: 'confirmed' | 'cancelled';
  summary: string;
  /** Local YYYY-MM-DDTHH:mm in the cohort's zone, as in the workflow. */
  start: string;
  end: string;
  timeZone: string;
  location: string;
  description: string;
  attendees: string[];
}

export interface CalendarUnderTest {
  port: CalendarPort;
  /** The meeting's event wherever the calendar holds it, or nothing. */
  event(cohort: Cohort, meetingId: string): Promise<HeldEvent | undefined>;
  /** How many events the calendar holds, cancelled ones included. */
  events(): Promise<number>;
  /** How many writes the calendar has taken so far. */
  writes(): Promise<number>;
}

/** What every CalendarPort must do; run against the in-memory fake and the real adapter alike. */
export function calendarContract(make: () => Promise<CalendarUnderTest>) {
  const attendees = async (c: CalendarUnderTest, m = meeting) =>
    (await c.event(cohort, m.id))?.attendees ?? [];

  it('ensures a meeting idempotently: twice is one event', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.ensureMeeting(cohort, meeting);
    expect(await c.events()).toBe(1);
  });

  it('brings an existing event up to date when the workflow changes', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    const renamed = { ...meeting, title: { he: 'מפגש פתיחה (מועד מעודכן)', ar: 'x', en: 'x' } };
    await c.port.ensureMeeting(cohort, renamed);
    expect((await c.event(cohort, meeting.id))?.summary).toBe('מפגש פתיחה (מועד מעודכן)');
    expect(await c.events()).toBe(1);
  });

  it('adds attendees once, and keeps everyone already there', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.addAttendees(cohort, meeting, [{ email: 'first@example.org', name: 'ראשונה' }]);
    await c.port.addAttendees(cohort, meeting, [{ email: 'second@example.org', name: 'שני' }]);
    await c.port.addAttendees(cohort, meeting, [{ email: 'SECOND@example.org', name: 'שני' }]);
    expect((await attendees(c)).sort()).toEqual(['first@example.org', 'second@example.org']);
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
    expect(await attendees(c)).toEqual(['stay@example.org']);
  });

  it('removing someone from a meeting that has no event yet is success', async () => {
    const c = await make();
    await c.port.removeAttendee(cohort, meeting, 'nobody@example.org');
    expect(await c.event(cohort, meeting.id)).toBeUndefined();
  });

  it('creates a missing event on sync, in the cohort zone, with the workflow text', async () => {
    const c = await make();
    expect(await c.port.syncMeeting(cohort, meeting)).toBe('created');
    expect(await c.event(cohort, meeting.id)).toMatchObject({
      calendarId: DEFAULT_CALENDAR,
      status: 'confirmed',
      summary: meeting.title.he,
      start: meeting.start,
      end: meeting.end,
      timeZone: 'Asia/Jerusalem',
      location: meeting.address,
    });
  });

  it('moves a meeting on sync and keeps every attendee', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.addAttendees(cohort, meeting, [
      { email: 'a@example.org', name: 'א' },
      { email: 'b@example.org', name: 'ב' },
    ]);
    // Across Israel's change to summer time (26 March 2027): the wall-clock time is what is kept.
    const moved = {
      ...meeting,
      start: '2027-03-30T10:00',
      end: '2027-03-30T17:30',
      address: 'בית העם, דימונה',
    };
    expect(await c.port.syncMeeting(cohort, moved)).toBe('updated');
    const held = await c.event(cohort, meeting.id);
    expect(held).toMatchObject({ start: moved.start, end: moved.end, location: 'בית העם, דימונה' });
    expect(held?.attendees.sort()).toEqual(['a@example.org', 'b@example.org']);
  });

  it('syncing an unchanged meeting twice writes nothing the second time', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    const moved = { ...meeting, title: { he: 'מפגש פתיחה — מועד חדש', ar: 'x', en: 'x' } };
    expect(await c.port.syncMeeting(cohort, moved)).toBe('updated');
    const writes = await c.writes();
    expect(await c.port.syncMeeting(cohort, moved)).toBe('unchanged');
    expect(await c.writes()).toBe(writes);
  });

  it("carries an online meeting's own video link in its location and description", async () => {
    const c = await make();
    const linked = { ...online, videoLink: 'https://zoom.example.org/j/123456' };
    await c.port.syncMeeting(cohort, linked);
    const held = await c.event(cohort, online.id);
    expect(held?.location).toBe('https://zoom.example.org/j/123456');
    expect(held?.description).toContain('https://zoom.example.org/j/123456');
  });

  it('cancels a removed meeting, keeps its attendees on record, and a second cancel is success', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.addAttendees(cohort, meeting, [{ email: 'a@example.org', name: 'א' }]);
    await c.port.cancelMeeting(cohort, meeting.id);
    await c.port.cancelMeeting(cohort, meeting.id);
    expect((await c.event(cohort, meeting.id))?.status).toBe('cancelled');
    expect(await attendees(c)).toEqual(['a@example.org']);
  });

  it('cancelling a meeting that never had an event is success', async () => {
    const c = await make();
    await c.port.cancelMeeting(cohort, 'never-scheduled');
    expect(await c.events()).toBe(0);
  });

  it('removing an attendee from a cancelled meeting is success, and a restore leaves them out', async () => {
    const c = await make();
    await c.port.ensureMeeting(cohort, meeting);
    await c.port.addAttendees(cohort, meeting, [
      { email: 'stay@example.org', name: 'נשארת' },
      { email: 'gone@example.org', name: 'עזב' },
    ]);
    await c.port.cancelMeeting(cohort, meeting.id);
    await c.port.removeAttendee(cohort, meeting, 'gone@example.org');
    expect(await c.port.syncMeeting(cohort, meeting)).toBe('updated');
    const held = await c.event(cohort, meeting.id);
    expect(held?.status).toBe('confirmed');
    expect(held?.attendees).toEqual(['stay@example.org']);
  });

  it("puts a cohort's events in the cohort's own calendar when it names one", async () => {
    const c = await make();
    const own: Cohort = {
      ...cohort,
      onboarding: { ...cohort.onboarding, calendarId: 'leading@example.org' },
    };
    await c.port.syncMeeting(own, meeting);
    await c.port.addAttendees(own, meeting, [{ email: 'a@example.org', name: 'א' }]);
    await c.port.ensureMeeting(own, online);
    await c.port.cancelMeeting(own, online.id);
    expect(await c.event(own, meeting.id)).toMatchObject({
      calendarId: 'leading@example.org',
      attendees: ['a@example.org'],
    });
    expect(await c.event(own, online.id)).toMatchObject({
      calendarId: 'leading@example.org',
      status: 'cancelled',
    });
    expect(await c.events()).toBe(2);
  });
}
