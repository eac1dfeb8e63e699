import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { meetingEventId } from '../../src/domain/meetings.ts';
import { type Cohort, loadWorkflows } from '../../workflows/index.ts';
import { DEFAULT_CALENDAR } from './calendar.contract.ts';
import { googleHarness } from './google-adapter.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
const meeting = cohort.meetings[0]!;
const online = cohort.meetings.find((m) => m.mode === 'online' && !m.videoLink)!;
const eventId = meetingEventId(cohort.id, meeting.id);
const google = googleHarness();
const held = (id = eventId, calendarId = DEFAULT_CALENDAR) => google.fake.calendars.get(calendarId)?.get(id);
const since = (before: number, route: string) =>
  google.fake.calls.slice(before).filter((c) => c.route === route);

describe('syncing a meeting to Google', () => {
  it('patches only the meeting fields, asks Google to tell every attendee, and Google raises the sequence', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    await port.addAttendees(cohort, meeting, [{ email: 'a@example.org', name: 'א' }]);
    expect(held()?.sequence).toBe(0);
    const before = google.fake.calls.length;
    await port.syncMeeting(cohort, { ...meeting, start: '2027-03-11T10:00' });
    const [patch, ...more] = since(before, 'patch');
    expect(more).toHaveLength(0);
    expect(patch?.query).toContain('sendUpdates=all');
    const body = JSON.parse(patch?.body ?? '{}') as Record<string, unknown>;
    expect(body).not.toHaveProperty('attendees');
    expect(body.start).toEqual({ dateTime: '2027-03-11T10:00:00', timeZone: 'Asia/Jerusalem' });
    expect(held()?.sequence).toBe(1);
    expect(held()?.attendees?.map((a) => a.email)).toEqual(['a@example.org']);
  });

  it('reads the event afresh, so an edit made in Google since is put back', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    Object.assign(held()!, { summary: 'שונה ביד', etag: '"by-hand"' });
    expect(await port.syncMeeting(cohort, meeting)).toBe('updated');
    expect(held()?.summary).toBe(meeting.title.he);
  });

  it('gives an online meeting without a link of its own a Meet, once', async () => {
    const port = google.adapter();
    const asInPerson = { ...online, mode: 'in_person' as const, address: 'בית העם' };
    await port.ensureMeeting(cohort, asInPerson);
    const id = meetingEventId(cohort.id, online.id);
    expect(held(id)?.hangoutLink).toBeUndefined();
    expect(await port.syncMeeting(cohort, online)).toBe('updated');
    expect(held(id)?.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(await port.syncMeeting(cohort, online)).toBe('unchanged');
  });

  it('brings up to date an event made by someone else between its read and its insert', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    google.fake.fail('get', 1, { status: 404, reason: 'notFound' });
    expect(await port.syncMeeting(cohort, { ...meeting, address: 'מתנ"ס, ירוחם' })).toBe('updated');
    expect(held()?.location).toBe('מתנ"ס, ירוחם');
    expect(google.fake.events.size).toBe(1);
  });

  it('retries a 503 on the read, then syncs', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    google.fake.fail('get', 2, { status: 503 });
    expect(await port.syncMeeting(cohort, { ...meeting, end: '2027-03-11T17:00' })).toBe('updated');
    expect(held()?.end?.dateTime).toBe('2027-03-11T17:00:00');
  });

  it('gives up on a lasting 403 with a permanent error', async () => {
    google.fake.fail('get', 1, { status: 403, reason: 'forbidden' });
    const error = await google
      .adapter()
      .syncMeeting(cohort, meeting)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).retryable).toBe(false);
  });
});

describe('cancelling a meeting in Google', () => {
  it('is one DELETE that asks Google to tell every attendee; Google keeps the event as cancelled', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    await port.addAttendees(cohort, meeting, [{ email: 'a@example.org', name: 'א' }]);
    const before = google.fake.calls.length;
    await port.cancelMeeting(cohort, meeting.id);
    const deletes = since(before, 'delete');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.query).toContain('sendUpdates=all');
    expect(held()).toMatchObject({ status: 'cancelled', sequence: 1 });
  });

  it('takes the 410 of an event already deleted as success', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    await port.cancelMeeting(cohort, meeting.id);
    const before = google.fake.calls.length;
    await google.adapter().cancelMeeting(cohort, meeting.id);
    expect(since(before, 'delete')).toHaveLength(1);
  });

  it('removes a withdrawn attendee from a cancelled event without mailing them again', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    await port.addAttendees(cohort, meeting, [{ email: 'gone@example.org', name: 'ע' }]);
    await port.cancelMeeting(cohort, meeting.id);
    const before = google.fake.calls.length;
    await port.removeAttendee(cohort, meeting, 'gone@example.org');
    const [patch] = since(before, 'patch');
    expect(patch?.query).toContain('sendUpdates=none');
    expect(held()?.attendees).toEqual([]);
  });

  it('is restored by ensureMeeting too, since the workflow lists the meeting again', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    await port.cancelMeeting(cohort, meeting.id);
    await port.ensureMeeting(cohort, meeting);
    expect(held()?.status).toBe('confirmed');
  });
});

describe("a cohort's own calendar", () => {
  const own: Cohort = { ...cohort, onboarding: { ...cohort.onboarding, calendarId: 'leading@example.org' } };

  it('keeps one process apart: the same meeting in two calendars is two events, each with its own attendees', async () => {
    const port = google.adapter();
    await port.ensureMeeting(cohort, meeting);
    await port.ensureMeeting(own, meeting);
    await Promise.all([
      port.addAttendees(cohort, meeting, [{ email: 'programme@example.org', name: 'ת' }]),
      port.addAttendees(own, meeting, [{ email: 'own@example.org', name: 'ע' }]),
    ]);
    expect(held(eventId, DEFAULT_CALENDAR)?.attendees?.map((a) => a.email)).toEqual([
      'programme@example.org',
    ]);
    expect(held(eventId, 'leading@example.org')?.attendees?.map((a) => a.email)).toEqual(['own@example.org']);
    expect(held(eventId, 'leading@example.org')?.organizer.email).toBe('leading@example.org');
  });
});
