import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FakeEvent {
  id: string;
  etag: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  /** Google's revision counter: raised by a change to what an invitation shows, not by guest-list edits. */
  sequence: number;
  iCalUID: string;
  organizer: { email: string; self: boolean };
  summary?: string;
  description?: string;
  location?: string;
  start?: { dateTime?: string; timeZone?: string };
  end?: { dateTime?: string; timeZone?: string };
  attendees?: { email: string; displayName?: string; responseStatus?: string }[];
  conferenceData?: {
    createRequest?: { requestId?: string; status?: { statusCode: string } };
    entryPoints?: { entryPointType: string; uri: string }[];
  };
  hangoutLink?: string;
  [key: string]: unknown;
}

export interface Fault {
  status: number;
  reason?: string;
  domain?: string;
  retryAfter?: number;
}

type Route = 'insert' | 'get' | 'patch' | 'delete' | 'token';

export interface GoogleFake {
  url: string;
  /** Base for GOOGLE_API_ROOT_URL. */
  rootUrl: string;
  tokenUrl: string;
  /** Every calendar's events, by calendar id, then event id. */
  calendars: Map<string, Map<string, FakeEvent>>;
  /** The events of every calendar by event id: for tests that use one calendar (ids repeat across calendars). */
  readonly events: Map<string, FakeEvent>;
  calls: { method: string; route: string; calendarId: string; query: string; body: string }[];
  tokenGrants: string[];
  /** The next `count` requests matching the route answer with the fault. */
  fail(route: Route, count: number, fault: Fault): void;
  count(route: string): number;
  /** Forgets events and pending faults (between tests). */
  reset(): void;
  latencyMs: number;
  /** Probability that any call answers 429 or 503, for chaos runs. */
  randomFaults: number;
  /**
   * Whether `calls` keeps each request's body. A patch carries the event's whole attendee list, so at chaos
   * scale the bodies alone grow past a process's heap; a run that only counts calls turns this off.
   */
  keepBodies: boolean;
  close(): Promise<void>;
}

// The fields whose change Google counts as a new revision of the event (a raised SEQUENCE); it does not
// document the list, and attendee edits are observed not to raise it.
const REVISED = ['summary', 'description', 'location', 'start', 'end', 'status'] as const;

/** Google Calendar v3 and its OAuth token endpoint, as much as kehila uses, over real HTTP on 127.0.0.1. */
export async function startGoogleFake(opts: { latencyMs?: number } = {}): Promise<GoogleFake> {
  const calendars = new Map<string, Map<string, FakeEvent>>();
  const calls: GoogleFake['calls'] = [];
  const tokenGrants: string[] = [];
  const faults: { route: string; left: number; fault: Fault }[] = [];
  let etags = 0;
  let meets = 0;
  const nextEtag = () => `"${++etags}"`;
  const calendar = (id: string) => {
    const found = calendars.get(id) ?? new Map<string, FakeEvent>();
    calendars.set(id, found);
    return found;
  };

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => resolve(body));
    });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const googleError = (res: ServerResponse, f: Fault) =>
    send(
      res,
      f.status,
      {
        error: {
          code: f.status,
          message: f.reason ?? 'error',
          errors: [{ reason: f.reason ?? 'backendError', domain: f.domain ?? 'global' }],
        },
      },
      f.retryAfter ? { 'retry-after': String(f.retryAfter) } : {},
    );

  /** Like Google: conference data is ignored unless the client declares conferenceDataVersion=1. */
  const conference = (event: FakeEvent, url: URL) => {
    if (url.searchParams.get('conferenceDataVersion') !== '1') return;
    const request = event.conferenceData?.createRequest;
    if (!request || event.hangoutLink) return;
    const uri = `https://meet.google.com/fak-${String(++meets).padStart(4, '0')}-kel`;
    event.conferenceData = {
      createRequest: { ...request, status: { statusCode: 'success' } },
      entryPoints: [{ entryPointType: 'video', uri }],
    };
    event.hangoutLink = uri;
  };

  const fake: GoogleFake = {
    url: '',
    rootUrl: '',
    tokenUrl: '',
    calendars,
    get events() {
      return new Map([...calendars.values()].flatMap((events) => [...events]));
    },
    calls,
    tokenGrants,
    latencyMs: opts.latencyMs ?? 0,
    randomFaults: 0,
    keepBodies: true,
    fail(route, count, fault) {
      faults.push({ route, left: count, fault });
    },
    count: (route) => calls.filter((c) => c.route === route).length,
    reset() {
      calendars.clear();
      faults.length = 0;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await read(req);
    if (fake.latencyMs) await new Promise((r) => setTimeout(r, fake.latencyMs));
    const m = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    const calendarId = m?.[1] ? decodeURIComponent(m[1]) : '';
    const eventId = m?.[2] ? decodeURIComponent(m[2]) : '';
    const route: Route | 'unknown' =
      url.pathname === '/token'
        ? 'token'
        : m && !eventId && req.method === 'POST'
          ? 'insert'
          : eventId && req.method === 'GET'
            ? 'get'
            : eventId && (req.method === 'PATCH' || req.method === 'PUT')
              ? 'patch'
              : eventId && req.method === 'DELETE'
                ? 'delete'
                : 'unknown';
    calls.push({
      method: req.method ?? '',
      route,
      calendarId,
      query: url.search,
      body: fake.keepBodies ? body : '',
    });
    if (fake.randomFaults > 0 && route !== 'token' && Math.random() < fake.randomFaults) {
      return googleError(res, Math.random() < 0.5 ? { status: 429, retryAfter: 1 } : { status: 503 });
    }
    const fault = faults.find((f) => f.route === route && f.left > 0);
    if (fault) {
      fault.left--;
      return googleError(res, fault.fault);
    }
    if (route === 'token') {
      tokenGrants.push(new URLSearchParams(body).get('grant_type') ?? '');
      return send(res, 200, {
        access_token: `token-${tokenGrants.length}`,
        expires_in: 3600,
        token_type: 'Bearer',
      });
    }
    if (!req.headers.authorization?.startsWith('Bearer '))
      return googleError(res, { status: 401, reason: 'authError' });
    const events = calendar(calendarId);
    if (route === 'insert') {
      const given = JSON.parse(body) as Partial<FakeEvent> & { id: string };
      // A deleted event keeps its id: inserting it again is a 409, as for a live one.
      if (events.has(given.id)) return googleError(res, { status: 409, reason: 'duplicate' });
      const { conferenceData, ...rest } = given;
      const stored: FakeEvent = {
        ...rest,
        status: rest.status ?? 'confirmed',
        ...(url.searchParams.get('conferenceDataVersion') === '1' && conferenceData
          ? { conferenceData }
          : {}),
        sequence: 0,
        iCalUID: `${given.id}@google.com`,
        organizer: { email: calendarId, self: true },
        etag: nextEtag(),
      };
      conference(stored, url);
      events.set(given.id, stored);
      return send(res, 200, stored);
    }
    const event = events.get(eventId);
    if (!event) return googleError(res, { status: 404, reason: 'notFound' });
    if (route === 'get') return send(res, 200, event);
    if (route === 'delete') {
      // Google keeps a deleted event as status "cancelled": get still answers it, a second delete is a 410.
      if (event.status === 'cancelled') return googleError(res, { status: 410, reason: 'deleted' });
      Object.assign(event, { status: 'cancelled', sequence: event.sequence + 1, etag: nextEtag() });
      res.writeHead(204).end();
      return;
    }
    if (route === 'patch') {
      const ifMatch = req.headers['if-match'];
      if (ifMatch && ifMatch !== '*' && ifMatch !== event.etag)
        return googleError(res, { status: 412, reason: 'conditionNotMet' });
      const before = JSON.stringify(REVISED.map((k) => event[k] ?? null));
      // Like Google: a patch replaces each field it names (the attendees array included); null clears one.
      for (const [k, v] of Object.entries(JSON.parse(body) as Record<string, unknown>)) {
        if (k === 'conferenceData' && url.searchParams.get('conferenceDataVersion') !== '1') continue;
        if (v === null) delete event[k];
        else event[k] = v;
      }
      conference(event, url);
      const revised = JSON.stringify(REVISED.map((k) => event[k] ?? null)) !== before;
      Object.assign(event, { etag: nextEtag(), sequence: event.sequence + (revised ? 1 : 0) });
      return send(res, 200, event);
    }
    send(res, 404, { error: { code: 404, message: 'no such route' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  fake.url = `http://127.0.0.1:${port}`;
  fake.rootUrl = `${fake.url}/`;
  fake.tokenUrl = `${fake.url}/token`;
  return fake;
}
