import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

interface FakeEvent {
  id: string;
  etag: string;
  attendees?: { email: string; displayName?: string; responseStatus?: string }[];
  [key: string]: unknown;
}

export interface Fault {
  status: number;
  reason?: string;
  domain?: string;
  retryAfter?: number;
}

export interface GoogleFake {
  url: string;
  /** Base for GOOGLE_API_ROOT_URL. */
  rootUrl: string;
  tokenUrl: string;
  events: Map<string, FakeEvent>;
  calls: { method: string; route: string; query: string }[];
  tokenGrants: string[];
  /** The next `count` requests matching the route ('insert', 'get', 'patch', 'token') answer with the fault. */
  fail(route: 'insert' | 'get' | 'patch' | 'token', count: number, fault: Fault): void;
  count(route: string): number;
  /** Forgets events and pending faults (between tests). */
  reset(): void;
  latencyMs: number;
  /** Probability that any call answers 429 or 503, for chaos runs. */
  randomFaults: number;
  close(): Promise<void>;
}

/** Google Calendar v3 and its OAuth token endpoint, as much as kehila uses, over real HTTP on 127.0.0.1. */
export async function startGoogleFake(opts: { latencyMs?: number } = {}): Promise<GoogleFake> {
  const events = new Map<string, FakeEvent>();
  const calls: GoogleFake['calls'] = [];
  const tokenGrants: string[] = [];
  const faults: { route: string; left: number; fault: Fault }[] = [];
  let etags = 0;
  const nextEtag = () => `"${++etags}"`;

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

  const fake: GoogleFake = {
    url: '',
    rootUrl: '',
    tokenUrl: '',
    events,
    calls,
    tokenGrants,
    latencyMs: opts.latencyMs ?? 0,
    randomFaults: 0,
    fail(route, count, fault) {
      faults.push({ route, left: count, fault });
    },
    count: (route) => calls.filter((c) => c.route === route).length,
    reset() {
      events.clear();
      faults.length = 0;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await read(req);
    if (fake.latencyMs) await new Promise((r) => setTimeout(r, fake.latencyMs));
    const m = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    const route =
      url.pathname === '/token'
        ? 'token'
        : m && !m[2] && req.method === 'POST'
          ? 'insert'
          : m?.[2] && req.method === 'GET'
            ? 'get'
            : m?.[2] && (req.method === 'PATCH' || req.method === 'PUT')
              ? 'patch'
              : 'unknown';
    calls.push({ method: req.method ?? '', route, query: url.search });
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
    if (route === 'insert') {
      const event = JSON.parse(body) as FakeEvent;
      if (events.has(event.id)) return googleError(res, { status: 409, reason: 'duplicate' });
      const stored = { ...event, etag: nextEtag() };
      events.set(event.id, stored);
      return send(res, 200, stored);
    }
    const event = m?.[2] ? events.get(decodeURIComponent(m[2])) : undefined;
    if (route === 'get')
      return event ? send(res, 200, event) : googleError(res, { status: 404, reason: 'notFound' });
    if (route === 'patch') {
      if (!event) return googleError(res, { status: 404, reason: 'notFound' });
      const ifMatch = req.headers['if-match'];
      if (ifMatch && ifMatch !== '*' && ifMatch !== event.etag)
        return googleError(res, { status: 412, reason: 'conditionNotMet' });
      // Like Google: a patch replaces each field it names, the attendees array included.
      Object.assign(event, JSON.parse(body), { etag: nextEtag() });
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
