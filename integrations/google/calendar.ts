import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { meetingEventId } from '../../src/domain/meetings.ts';
import type { CalendarPort, MeetingSyncOutcome, Person } from '../../src/ports.ts';
import type { Cohort, Meeting } from '../../workflows/index.ts';
import { localMutex, type Mutex } from '../mutex.ts';
import { authClient, type GoogleCredentials } from './auth.ts';
import { classify, withRetries } from './errors.ts';
import { differs, eventFields, meetRequest, needsMeet } from './event.ts';

export type { GoogleCredentials } from './auth.ts';

export interface GoogleCalendarOptions {
  /** GOOGLE_CALENDAR_ID: the programme's calendar, for every cohort that names none of its own. */
  calendarId: string;
  credentials: GoogleCredentials;
  /** GOOGLE_API_ROOT_URL: Google's API base (proxies, tests). */
  rootUrl?: string | undefined;
  /** GOOGLE_TOKEN_URL: the OAuth token endpoint (proxies, tests). */
  tokenUrl?: string | undefined;
  /** Serialises writes to one event across every worker; in-process only when absent. */
  mutex?: Mutex;
  /** CALENDAR_LOCK_TTL_MS: how long a dead holder of an event's lock blocks the others. */
  lockTtlMs?: number;
  /** How long acceptances for the same event wait to share one write. */
  batchWindowMs?: number;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
}

// The holder renews the lock while it writes (integrations/mutex.ts); the TTL is the cost of its death.
const LOCK_TTL_MS = 5000;

/** One meeting's event: in the cohort's own calendar when it names one, else the programme's. */
interface Target {
  calendarId: string;
  eventId: string;
  /** Names the event across calendars (caches, batches, the lock): the same id may live in two calendars. */
  key: string;
}

interface Batch {
  people: Person[];
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

/** The CalendarPort on Google Calendar v3: deterministic event ids, attendees merged with etags. */
export function createGoogleCalendar(
  opts: GoogleCalendarOptions,
): CalendarPort & { stats: { writes: number; reads: number } } {
  const api = calendar({
    version: 'v3',
    auth: authClient(opts.credentials, opts.tokenUrl),
    // Retries are ours (withRetries): googleapis would not retry a PATCH anyway, and one policy is clearer.
    retry: false,
    ...(opts.rootUrl ? { rootUrl: opts.rootUrl.endsWith('/') ? opts.rootUrl : `${opts.rootUrl}/` } : {}),
  });
  const mutex = opts.mutex ?? localMutex();
  const lockTtl = opts.lockTtlMs ?? LOCK_TTL_MS;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retry = <T>(what: string, fn: () => Promise<T>) =>
    withRetries(what, fn, { sleep, attempts: opts.maxAttempts ?? 4 });
  const stats = { writes: 0, reads: 0 };

  const target = (cohort: Cohort, meetingId: string): Target => {
    const calendarId = cohort.onboarding.calendarId ?? opts.calendarId;
    const eventId = meetingEventId(cohort.id, meetingId);
    return { calendarId, eventId, key: `${calendarId}/${eventId}` };
  };
  const locked = <T>(t: Target, fn: () => Promise<T>) => mutex.withLock(`calendar:${t.key}`, lockTtl, fn);
  const isGone = (error: unknown) => [404, 410].includes(classify(error).status);

  // The last version of each event we saw, so a write needs no read first; a stale etag costs one 412.
  const known = new Map<string, calendar_v3.Schema$Event>();
  // Meetings already made to match the workflow in this process: ensureMeeting is then free.
  const ensured = new Map<string, string>();
  const remember = (t: Target, event: calendar_v3.Schema$Event) => {
    known.set(t.key, event);
    return event;
  };
  const read = async (t: Target) => {
    stats.reads++;
    return remember(t, (await api.events.get({ calendarId: t.calendarId, eventId: t.eventId })).data);
  };

  async function insert(t: Target, cohort: Cohort, meeting: Meeting) {
    const meet = needsMeet(meeting);
    stats.writes++;
    const inserted = await api.events.insert({
      calendarId: t.calendarId,
      sendUpdates: 'none',
      ...(meet ? { conferenceDataVersion: 1 } : {}),
      requestBody: {
        id: t.eventId,
        ...eventFields(cohort, meeting),
        ...(meet ? { conferenceData: meetRequest() } : {}),
      },
    });
    remember(t, inserted.data);
  }

  /** Patches what differs from the workflow, attendees untouched; Google tells them. Whether it wrote. */
  async function bringUpToDate(t: Target, cohort: Cohort, meeting: Meeting, have: calendar_v3.Schema$Event) {
    const fields = eventFields(cohort, meeting);
    if (!differs(fields, have)) return false;
    // An online meeting that used to be in person, or whose own link was dropped, gets a Meet. Asked for
    // only alongside a real change: where Meet is disabled for the domain, no conference ever appears, and
    // a missing one counted as a difference would re-notify every attendee at every sync.
    const meet = needsMeet(meeting, have);
    stats.writes++;
    const patched = await api.events.patch({
      calendarId: t.calendarId,
      eventId: t.eventId,
      sendUpdates: 'all',
      ...(meet ? { conferenceDataVersion: 1 } : {}),
      requestBody: { ...fields, ...(meet ? { conferenceData: meetRequest() } : {}) },
    });
    remember(t, patched.data);
    return true;
  }

  async function ensureMeeting(cohort: Cohort, meeting: Meeting): Promise<void> {
    const t = target(cohort, meeting.id);
    const fingerprint = JSON.stringify(eventFields(cohort, meeting));
    if (ensured.get(t.key) === fingerprint) return;
    await retry('calendar.ensureMeeting', async () => {
      try {
        await insert(t, cohort, meeting);
      } catch (error) {
        // 409: the id is taken, so the event exists (an earlier run made it, or it was cancelled: Google keeps
        // a deleted event's id); bring it up to date.
        if (classify(error).status !== 409) throw error;
        await bringUpToDate(t, cohort, meeting, await read(t));
      }
    });
    ensured.set(t.key, fingerprint);
  }

  async function syncMeeting(cohort: Cohort, meeting: Meeting): Promise<MeetingSyncOutcome> {
    const t = target(cohort, meeting.id);
    // Read first, never from the cache: staff may have edited the event in Google since, and a sync is rare.
    const outcome = await locked(t, () =>
      retry('calendar.syncMeeting', async (): Promise<MeetingSyncOutcome> => {
        let have = await read(t).catch((error: unknown) => {
          if (classify(error).status === 404) return undefined;
          throw error;
        });
        if (!have) {
          try {
            await insert(t, cohort, meeting);
            return 'created';
          } catch (error) {
            // 409: an ensureMeeting (which takes no lock) made it since the read.
            if (classify(error).status !== 409) throw error;
            have = await read(t);
          }
        }
        return (await bringUpToDate(t, cohort, meeting, have)) ? 'updated' : 'unchanged';
      }),
    );
    ensured.set(t.key, JSON.stringify(eventFields(cohort, meeting)));
    return outcome;
  }

  async function cancelMeeting(cohort: Cohort, meetingId: string): Promise<void> {
    const t = target(cohort, meetingId);
    await locked(t, () =>
      retry('calendar.cancelMeeting', async () => {
        try {
          stats.writes++;
          // Google keeps a deleted event as status "cancelled" and mails each attendee a cancellation.
          await api.events.delete({ calendarId: t.calendarId, eventId: t.eventId, sendUpdates: 'all' });
        } catch (error) {
          // 404: never made; 410: already deleted (or a retried delete that had gone through).
          if (!isGone(error)) throw error;
        }
      }),
    );
    known.delete(t.key);
    ensured.delete(t.key);
  }

  /**
   * Read, merge, write with the etag; a 412 means someone wrote in between, so read again. With `goneIsDone`
   * an event that does not exist (404) or was deleted for good (410) leaves nothing to change.
   */
  async function rewriteAttendees(
    t: Target,
    change: (list: calendar_v3.Schema$EventAttendee[]) => boolean,
    goneIsDone = false,
  ) {
    await locked(t, () =>
      retry('calendar.attendees', async () => {
        let event: calendar_v3.Schema$Event;
        try {
          event = known.get(t.key) ?? (await read(t));
        } catch (error) {
          if (goneIsDone && isGone(error)) return;
          throw error;
        }
        for (let round = 0; round < 5; round++) {
          const attendees = [...(event.attendees ?? [])];
          if (!change(attendees)) return;
          try {
            stats.writes++;
            const written = await api.events.patch(
              {
                calendarId: t.calendarId,
                eventId: t.eventId,
                // Guests of a cancelled event were already told it is off; a second e-mail is noise.
                sendUpdates: event.status === 'cancelled' ? 'none' : 'all',
                requestBody: { attendees },
              },
              { headers: { 'If-Match': event.etag ?? '*' } },
            );
            remember(t, written.data);
            return;
          } catch (error) {
            if (goneIsDone && isGone(error)) return;
            if (classify(error).status !== 412) throw error;
            event = await read(t);
          }
        }
        throw new Error(`event ${t.eventId} kept changing under us`);
      }),
    );
  }

  const batches = new Map<string, Batch>();
  const running = new Map<string, Promise<void>>();

  async function flush(t: Target): Promise<void> {
    const batch = batches.get(t.key);
    if (!batch) return;
    batches.delete(t.key);
    try {
      await rewriteAttendees(t, (list) => {
        const present = new Set(list.map((a) => a.email?.toLowerCase()));
        let added = false;
        for (const p of batch.people) {
          if (present.has(p.email.toLowerCase())) continue;
          present.add(p.email.toLowerCase());
          list.push({ email: p.email, displayName: p.name, responseStatus: 'needsAction' });
          added = true;
        }
        return added;
      });
      for (const w of batch.waiters) w.resolve();
    } catch (error) {
      for (const w of batch.waiters) w.reject(error);
    }
  }

  function addAttendees(cohort: Cohort, meeting: Meeting, people: Person[]): Promise<void> {
    const t = target(cohort, meeting.id);
    return new Promise<void>((resolve, reject) => {
      const batch = batches.get(t.key) ?? { people: [], waiters: [] };
      batch.people.push(...people);
      batch.waiters.push({ resolve, reject });
      if (batches.has(t.key)) return;
      batches.set(t.key, batch);
      // Acceptances that arrive while a write for this event is under way, or within the window, share
      // the next write: one read and one patch for all of them.
      const previous = running.get(t.key) ?? Promise.resolve();
      const next = previous
        .then(() => sleep(opts.batchWindowMs ?? 25))
        .then(() => flush(t))
        .finally(() => {
          if (running.get(t.key) === next) running.delete(t.key);
        });
      running.set(t.key, next);
    });
  }

  async function removeAttendee(cohort: Cohort, meeting: Meeting, email: string): Promise<void> {
    const change = (list: calendar_v3.Schema$EventAttendee[]) => {
      const before = list.length;
      const kept = list.filter((a) => a.email?.toLowerCase() !== email.toLowerCase());
      list.splice(0, list.length, ...kept);
      return kept.length !== before;
    };
    // No event means no attendance to remove.
    await rewriteAttendees(target(cohort, meeting.id), change, true);
  }

  return { configured: true, ensureMeeting, syncMeeting, cancelMeeting, addAttendees, removeAttendee, stats };
}
