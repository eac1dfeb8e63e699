import { randomUUID } from 'node:crypto';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { JWT, OAuth2Client } from 'google-auth-library';
import { meetingEventId } from '../../src/domain/meetings.ts';
import type { CalendarPort, Person } from '../../src/ports.ts';
import type { Cohort, Meeting } from '../../workflows/index.ts';
import { localMutex, type Mutex } from '../mutex.ts';
import { classify, withRetries } from './errors.ts';

export type GoogleCredentials =
  | { type: 'service_account'; clientEmail: string; privateKey: string; subject?: string | undefined }
  | { type: 'oauth'; clientId: string; clientSecret: string; refreshToken: string };

export interface GoogleCalendarOptions {
  calendarId: string;
  credentials: GoogleCredentials;
  /** GOOGLE_API_ROOT_URL: Google's API base (proxies, tests). */
  rootUrl?: string | undefined;
  /** GOOGLE_TOKEN_URL: the OAuth token endpoint (proxies, tests). */
  tokenUrl?: string | undefined;
  /** Serialises writes to one event across every worker; in-process only when absent. */
  mutex?: Mutex;
  /** How long acceptances for the same event wait to share one write. */
  batchWindowMs?: number;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
}

const SCOPE = 'https://www.googleapis.com/auth/calendar.events';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const LOCK_TTL_MS = 30_000;

function authClient(opts: GoogleCalendarOptions): JWT | OAuth2Client {
  const client =
    opts.credentials.type === 'service_account'
      ? new JWT({
          email: opts.credentials.clientEmail,
          key: opts.credentials.privateKey,
          scopes: [SCOPE],
          ...(opts.credentials.subject ? { subject: opts.credentials.subject } : {}),
        })
      : new OAuth2Client({
          clientId: opts.credentials.clientId,
          clientSecret: opts.credentials.clientSecret,
          ...(opts.tokenUrl ? { endpoints: { oauth2TokenUrl: opts.tokenUrl } } : {}),
        });
  if (opts.credentials.type === 'oauth')
    client.setCredentials({ refresh_token: opts.credentials.refreshToken });
  const tokenUrl = opts.tokenUrl;
  if (tokenUrl) {
    // The JWT (service-account) client posts to a hard-coded token URL; its transporter's interceptor is
    // the one place that sees that request, so the override is applied there.
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
        return config;
      },
    });
  }
  return client;
}

/** The event as the workflow describes it; the attendees are never part of it (they are merged apart). */
function eventFields(cohort: Cohort, meeting: Meeting): calendar_v3.Schema$Event {
  const online = meeting.mode === 'online';
  return {
    summary: meeting.title.he,
    description: [meeting.description, meeting.videoLink ? `קישור: ${meeting.videoLink}` : '']
      .filter(Boolean)
      .join('\n'),
    location: online ? (meeting.videoLink ?? '') : (meeting.address ?? ''),
    start: { dateTime: `${meeting.start}:00`, timeZone: cohort.timeZone },
    end: { dateTime: `${meeting.end}:00`, timeZone: cohort.timeZone },
    guestsCanSeeOtherGuests: false,
    extendedProperties: { private: { kehila: `${cohort.id}/${meeting.id}` } },
  };
}

const differs = (want: calendar_v3.Schema$Event, have: calendar_v3.Schema$Event) =>
  want.summary !== have.summary ||
  want.description !== (have.description ?? '') ||
  want.location !== (have.location ?? '') ||
  want.start?.dateTime !== have.start?.dateTime?.slice(0, 19) ||
  want.end?.dateTime !== have.end?.dateTime?.slice(0, 19) ||
  want.start?.timeZone !== have.start?.timeZone;

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
    auth: authClient(opts),
    // Retries are ours (withRetries): googleapis would not retry a PATCH anyway, and one policy is clearer.
    retry: false,
    ...(opts.rootUrl ? { rootUrl: opts.rootUrl.endsWith('/') ? opts.rootUrl : `${opts.rootUrl}/` } : {}),
  });
  const mutex = opts.mutex ?? localMutex();
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retry = <T>(what: string, fn: () => Promise<T>) =>
    withRetries(what, fn, { sleep, attempts: opts.maxAttempts ?? 4 });
  const stats = { writes: 0, reads: 0 };
  const calendarId = opts.calendarId;

  // The last version of each event we saw, so a write needs no read first; a stale etag costs one 412.
  const known = new Map<string, calendar_v3.Schema$Event>();
  // Meetings already made to match the workflow in this process: ensureMeeting is then free.
  const ensured = new Map<string, string>();
  const read = async (eventId: string) => {
    stats.reads++;
    const event = (await api.events.get({ calendarId, eventId })).data;
    known.set(eventId, event);
    return event;
  };

  async function ensureMeeting(cohort: Cohort, meeting: Meeting): Promise<void> {
    const eventId = meetingEventId(cohort.id, meeting.id);
    const fields = eventFields(cohort, meeting);
    const fingerprint = JSON.stringify(fields);
    if (ensured.get(eventId) === fingerprint) return;
    await retry('calendar.ensureMeeting', async () => {
      try {
        stats.writes++;
        const needsMeet = meeting.mode === 'online' && !meeting.videoLink;
        const inserted = await api.events.insert({
          calendarId,
          sendUpdates: 'none',
          ...(needsMeet ? { conferenceDataVersion: 1 } : {}),
          requestBody: {
            id: eventId,
            ...fields,
            ...(needsMeet
              ? {
                  conferenceData: {
                    createRequest: {
                      requestId: randomUUID(),
                      conferenceSolutionKey: { type: 'hangoutsMeet' },
                    },
                  },
                }
              : {}),
          },
        });
        known.set(eventId, inserted.data);
      } catch (error) {
        // 409: the id is taken, so the event exists (an earlier run made it); bring it up to date.
        if (classify(error).status !== 409) throw error;
        const existing = await read(eventId);
        if (differs(fields, existing)) {
          stats.writes++;
          const patched = await api.events.patch({
            calendarId,
            eventId,
            sendUpdates: 'all',
            requestBody: fields,
          });
          known.set(eventId, patched.data);
        }
      }
    });
    ensured.set(eventId, fingerprint);
  }

  /** Read, merge, write with the etag; a 412 means someone wrote in between, so read again. */
  async function rewriteAttendees(
    eventId: string,
    change: (list: calendar_v3.Schema$EventAttendee[]) => boolean,
  ) {
    await mutex.withLock(`calendar:${eventId}`, LOCK_TTL_MS, () =>
      retry('calendar.attendees', async () => {
        let event = known.get(eventId) ?? (await read(eventId));
        for (let round = 0; round < 5; round++) {
          const attendees = [...(event.attendees ?? [])];
          if (!change(attendees)) return;
          try {
            stats.writes++;
            const written = await api.events.patch(
              { calendarId, eventId, sendUpdates: 'all', requestBody: { attendees } },
              { headers: { 'If-Match': event.etag ?? '*' } },
            );
            known.set(eventId, written.data);
            return;
          } catch (error) {
            if (classify(error).status !== 412) throw error;
            event = await read(eventId);
          }
        }
        throw new Error(`event ${eventId} kept changing under us`);
      }),
    );
  }

  const batches = new Map<string, Batch>();
  const running = new Map<string, Promise<void>>();

  async function flush(eventId: string): Promise<void> {
    const batch = batches.get(eventId);
    if (!batch) return;
    batches.delete(eventId);
    try {
      await rewriteAttendees(eventId, (list) => {
        const known = new Set(list.map((a) => a.email?.toLowerCase()));
        let added = false;
        for (const p of batch.people) {
          if (known.has(p.email.toLowerCase())) continue;
          known.add(p.email.toLowerCase());
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
    const eventId = meetingEventId(cohort.id, meeting.id);
    return new Promise<void>((resolve, reject) => {
      const batch = batches.get(eventId) ?? { people: [], waiters: [] };
      batch.people.push(...people);
      batch.waiters.push({ resolve, reject });
      if (batches.has(eventId)) return;
      batches.set(eventId, batch);
      // Acceptances that arrive while a write for this event is under way, or within the window, share
      // the next write: one read and one patch for all of them.
      const previous = running.get(eventId) ?? Promise.resolve();
      const next = previous
        .then(() => sleep(opts.batchWindowMs ?? 25))
        .then(() => flush(eventId))
        .finally(() => {
          if (running.get(eventId) === next) running.delete(eventId);
        });
      running.set(eventId, next);
    });
  }

  async function removeAttendee(cohort: Cohort, meeting: Meeting, email: string): Promise<void> {
    const eventId = meetingEventId(cohort.id, meeting.id);
    try {
      await rewriteAttendees(eventId, (list) => {
        const before = list.length;
        const kept = list.filter((a) => a.email?.toLowerCase() !== email.toLowerCase());
        list.splice(0, list.length, ...kept);
        return kept.length !== before;
      });
    } catch (error) {
      // No event means no attendance to remove.
      if (classify(error).status !== 404) throw error;
    }
  }

  return { configured: true, ensureMeeting, addAttendees, removeAttendee, stats };
}
