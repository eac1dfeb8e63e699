import { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryCalendar } from '../../integrations/google/memory-calendar.ts';
import { redisMutex } from '../../integrations/mutex.ts';
import { AppError } from '../../src/domain/errors.ts';
import { meetingEventId, meetingText } from '../../src/domain/meetings.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import type { GoogleFake } from '../fakes/google.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { calendarContract, DEFAULT_CALENDAR } from './calendar.contract.ts';
import { googleHarness } from './google-adapter.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
const meeting = cohort.meetings[0]!;
const eventId = meetingEventId(cohort.id, meeting.id);
const google = googleHarness();
const adapter = google.adapter;
let fake: GoogleFake;
beforeEach(() => {
  fake = google.fake;
});

describe('the calendar contract, in memory', () => {
  calendarContract(async () => {
    const port = memoryCalendar(undefined, { calendarId: DEFAULT_CALENDAR });
    return {
      port,
      event: async (c, meetingId) => {
        const key = `${c.id}/${meetingId}`;
        const event = port.events.get(key);
        if (!event) return undefined;
        return {
          calendarId: event.calendarId,
          status: event.status,
          ...meetingText(event.meeting),
          start: event.meeting.start,
          end: event.meeting.end,
          timeZone: c.timeZone,
          attendees: port.attendees.get(key) ?? [],
        };
      },
      events: async () => port.events.size,
      writes: async () => port.writes,
    };
  });
});

describe('the calendar contract, on Google through the real client', () => {
  calendarContract(async () => {
    return {
      port: adapter(),
      event: async (c, meetingId) => {
        const id = meetingEventId(c.id, meetingId);
        for (const [calendarId, events] of fake.calendars) {
          const e = events.get(id);
          if (!e) continue;
          return {
            calendarId,
            status: e.status === 'cancelled' ? 'cancelled' : 'confirmed',
            summary: e.summary ?? '',
            start: e.start?.dateTime?.slice(0, 16) ?? '',
            end: e.end?.dateTime?.slice(0, 16) ?? '',
            timeZone: e.start?.timeZone ?? '',
            location: e.location ?? '',
            description: e.description ?? '',
            attendees: (e.attendees ?? []).map((a) => a.email),
          };
        }
        return undefined;
      },
      events: async () => fake.events.size,
      writes: async () => fake.calls.filter((c) => ['insert', 'patch', 'delete'].includes(c.route)).length,
    };
  });
});

describe('the Google adapter', () => {
  it('fetches its service-account token from GOOGLE_TOKEN_URL', async () => {
    const before = fake.tokenGrants.length;
    await adapter().ensureMeeting(cohort, meeting);
    expect(fake.tokenGrants.slice(before)).toEqual(['urn:ietf:params:oauth:grant-type:jwt-bearer']);
  });

  it('sends invitations: every attendee write asks Google to notify (sendUpdates=all) and carries the etag', async () => {
    const port = adapter();
    await port.ensureMeeting(cohort, meeting);
    const before = fake.calls.length;
    await port.addAttendees(cohort, meeting, [{ email: 'a@example.org', name: 'א' }]);
    const patches = fake.calls.slice(before).filter((c) => c.route === 'patch');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.query).toContain('sendUpdates=all');
  });

  it('reads again after a 412 and keeps what the other writer added', async () => {
    const port = adapter();
    await port.ensureMeeting(cohort, meeting);
    fake.fail('patch', 1, { status: 412, reason: 'conditionNotMet' });
    Object.assign(fake.events.get(eventId)!, {
      attendees: [{ email: 'early@example.org' }],
      etag: '"elsewhere"',
    });
    await port.addAttendees(cohort, meeting, [{ email: 'late@example.org', name: 'ל' }]);
    expect(fake.events.get(eventId)?.attendees?.map((a) => a.email)).toEqual([
      'early@example.org',
      'late@example.org',
    ]);
  });

  it('retries 429, rate-limit 403 and 5xx, then succeeds', async () => {
    const port = adapter();
    fake.fail('insert', 1, { status: 429, retryAfter: 1 });
    fake.fail('insert', 1, { status: 403, reason: 'rateLimitExceeded', domain: 'usageLimits' });
    fake.fail('insert', 1, { status: 503 });
    await port.ensureMeeting(cohort, meeting);
    expect(fake.events.size).toBe(1);
  });

  it('gives up on a lasting 5xx with a retryable error, so the queue tries later', async () => {
    fake.fail('insert', 10, { status: 500 });
    const error = await adapter()
      .ensureMeeting(cohort, meeting)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).retryable).toBe(true);
  });

  it('treats forbiddenForServiceAccounts as permanent, with advice about domain-wide delegation', async () => {
    fake.fail('insert', 1, { status: 403, reason: 'forbiddenForServiceAccounts' });
    const error = (await adapter()
      .ensureMeeting(cohort, meeting)
      .catch((e: unknown) => e)) as AppError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('domain-wide delegation');
  });

  it('makes a Google Meet for an online meeting without a link', async () => {
    const online = cohort.meetings.find((m) => m.mode === 'online')!;
    await adapter().ensureMeeting(cohort, online);
    const event = fake.events.get(meetingEventId(cohort.id, online.id)) as {
      conferenceData?: { createRequest?: { requestId?: string } };
    };
    expect(event.conferenceData?.createRequest?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('batches acceptances for one event into far fewer writes', async () => {
    const port = adapter({ batchWindowMs: 20 });
    await port.ensureMeeting(cohort, meeting);
    const before = fake.count('patch');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        port.addAttendees(cohort, meeting, [{ email: `b${i}@example.org`, name: `${i}` }]),
      ),
    );
    expect(fake.events.get(eventId)?.attendees).toHaveLength(10);
    expect(fake.count('patch') - before).toBeLessThanOrEqual(2);
  });

  it('keeps exactly 200 attendees when 4 workers accept 50 people each at once', async () => {
    const redis = new Redis(TEST_REDIS_URL, { protocol: 2 });
    const prefix = randomPrefix('lock');
    try {
      const workers = Array.from({ length: 4 }, () =>
        adapter({ mutex: redisMutex(redis, prefix), batchWindowMs: 2 }),
      );
      await workers[0]!.ensureMeeting(cohort, meeting);
      // Someone else's write, as Google would record it: a new attendee list and a new etag.
      Object.assign(fake.events.get(eventId)!, {
        attendees: [{ email: 'already@example.org', responseStatus: 'accepted' }],
        etag: '"written-elsewhere"',
      });
      await Promise.all(
        workers.flatMap((w, k) =>
          Array.from({ length: 50 }, (_, i) =>
            w.addAttendees(cohort, meeting, [{ email: `w${k}-${i}@example.org`, name: 'x' }]),
          ),
        ),
      );
      const emails = (fake.events.get(eventId)?.attendees ?? []).map((a) => a.email);
      expect(emails).toHaveLength(201);
      expect(new Set(emails).size).toBe(201);
      expect(emails[0]).toBe('already@example.org');
      expect(fake.events.get(eventId)?.attendees?.[0]?.responseStatus).toBe('accepted');
    } finally {
      redis.disconnect();
    }
  });
});
