import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { transition } from '../../src/storage/transition.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-the-authorisation-matrix';
const ORIGIN = 'http://localhost:3000';
const FOREIGN = 'https://evil.example.com';
const PROGRAMME = 'negev-partnership';
const SETTINGS = {
  ...reviewSettings(),
  staff: [
    { name: 'צופה', email: 'viewer@example.org', roles: ['viewer'] },
    // The settings carry only the shipped cohort, so the reviewer "of another cohort" is a member of staff
    // with the reviewer role whom leading-team-2027 does not list.
    { name: 'נועה', email: 'unlisted@example.org', roles: ['reviewer'] },
    { name: 'רכזת', email: 'coordinator@example.org', roles: ['coordinator'] },
  ],
};

const IDENTITIES = {
  none: undefined,
  viewer: 'email:viewer@example.org',
  unlistedReviewer: 'email:unlisted@example.org',
  reviewer: 'slack:UDANA0001',
  coordinator: 'email:coordinator@example.org',
  apiToken: undefined,
} as const;
type Who = keyof typeof IDENTITIES;
const WHO = Object.keys(IDENTITIES) as Who[];

/**
 * What a cell expects. `ok`: 2xx or 3xx. `reached`: past every gate, answered by the route itself (a minimal
 * body may be refused as invalid or conflicting, a queue board call on an unknown job as not found, and a
 * check-in round as unavailable while Slack is not configured), but never a crash.
 * `login`: 302 to the sign-in page. `401`/`403`: exactly that.
 */
type Expect = 'ok' | 'reached' | 'login' | '401' | '403';
type Row = Record<Who, Expect>;

const row = (
  none: Expect,
  viewer: Expect,
  unlisted: Expect,
  reviewer: Expect,
  coord: Expect,
  token: Expect,
) => ({
  none,
  viewer,
  unlistedReviewer: unlisted,
  reviewer,
  coordinator: coord,
  apiToken: token,
});
// A page any member of staff reads; the machine token is not staff.
const staffPage = row('login', 'ok', 'ok', 'ok', 'ok', '401');
// A JSON read for any member of staff (the queue board's own API).
const staffRead = row('401', 'ok', 'ok', 'ok', 'ok', '401');
const staffReadReached = row('401', 'reached', 'reached', 'reached', 'reached', '401');
// Coordinators only, through the session.
const coordinatorPage = row('login', '403', '403', '403', 'ok', '401');
const coordinatorChange = row('401', '403', '403', '403', 'reached', '401');
// The bearer API: the token only, whatever session comes along.
const tokenRead = row('401', '401', '401', '401', '401', 'ok');
const tokenReadReached = row('401', '401', '401', '401', '401', 'reached');
const tokenChange = row('401', '401', '401', '401', '401', 'reached');
const tokenChangeOk = row('401', '401', '401', '401', '401', 'ok');

const MATRIX: Record<string, Row> = {
  'GET /admin/api/applications': tokenRead,
  'GET /admin/api/applications/:id': tokenRead,
  'POST /admin/api/applications/:id/decision': tokenChangeOk,
  'POST /admin/api/applications/:id/steps/:step/retry': tokenChange,
  'POST /admin/api/applications/:id/withdraw': tokenChangeOk,
  'GET /admin/api/checkins/programmes': tokenRead,
  'GET /admin/api/checkins/programmes/:id/rounds': tokenRead,
  'GET /admin/api/checkins/rounds/:id': tokenReadReached,
  'GET /admin/api/checkins/action-lines/:id': tokenReadReached,
  'POST /admin/api/checkins/programmes/:id/start': tokenChange,
  'POST /admin/api/checkins/programmes/:id/close': tokenChange,
  'GET /admin/api/stats': tokenRead,
  // The sign-in page is open to everyone, a console link without its token is refused whoever opens it, and
  // logging out always works.
  'GET /admin/login': row('ok', 'ok', 'ok', 'ok', 'ok', 'ok'),
  'GET /admin/signin/link': row('401', '401', '401', '401', '401', '401'),
  'POST /admin/logout': row('ok', 'ok', 'ok', 'ok', 'ok', 'ok'),
  'GET /admin/queues/static/*': { ...staffReadReached, none: 'login' },
  'GET /admin/queues/api/redis/stats': staffRead,
  'GET /admin/queues/api/queues': staffRead,
  'GET /admin/queues/api/job-schedulers': staffRead,
  'GET /admin/queues/api/queues/:queueName/metrics': staffRead,
  'GET /admin/queues/api/queues/:queueName/default-job-options': staffRead,
  'GET /admin/queues/api/queues/:queueName/workers': staffRead,
  'GET /admin/queues/api/queues/:queueName/rate-limit': staffRead,
  'GET /admin/queues/api/queues/:queueName/job-data-schema': staffReadReached,
  'PUT /admin/queues/api/queues/pause': coordinatorChange,
  'PUT /admin/queues/api/queues/resume': coordinatorChange,
  'GET /admin/queues/api/queues/:queueName/:jobId/logs': staffReadReached,
  'GET /admin/queues/api/queues/:queueName/:jobId/flow': staffReadReached,
  'GET /admin/queues/api/queues/:queueName/:jobId': staffReadReached,
  'POST /admin/queues/api/queues/:queueName/add': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/retry/:queueStatus': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/promote': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/clean/:queueStatus': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/pause': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/resume': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/concurrency': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/rate-limit': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/rate-limit/release': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/empty': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/obliterate': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/job-schedulers/:schedulerId/remove': coordinatorChange,
  'PATCH /admin/queues/api/queues/:queueName/job-schedulers/:schedulerId': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/job-schedulers/:schedulerId/run': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/:jobId/retry': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/:jobId/clean': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/:jobId/promote': coordinatorChange,
  'PATCH /admin/queues/api/queues/:queueName/:jobId/update-data': coordinatorChange,
  'PATCH /admin/queues/api/queues/:queueName/:jobId/delay': coordinatorChange,
  'PATCH /admin/queues/api/queues/:queueName/:jobId/priority': coordinatorChange,
  'PUT /admin/queues/api/queues/:queueName/:jobId/remove-unprocessed-children': coordinatorChange,
  'GET /admin/queues': staffPage,
  'GET /admin/queues/metrics-history': staffPage,
  'GET /admin/queues/job-schedulers': staffPage,
  'GET /admin/queues/queue/:queueName': staffPage,
  'GET /admin/queues/queue/:queueName/:jobId': staffPage,
  'GET /admin': staffPage,
  'GET /admin/applications/:id': staffPage,
  // Only the cohort's reviewers vote, each in their own name; a coordinator who is not one of them does not.
  'POST /admin/applications/:id/vote': row('401', '403', '403', 'ok', '403', '401'),
  'POST /admin/applications/:id/decide': row('401', '403', '403', '403', 'ok', '401'),
  'POST /admin/applications/:id/steps/:step/retry': coordinatorChange,
  'POST /admin/applications/:id/withdraw': row('401', '403', '403', '403', 'ok', '401'),
  'POST /admin/applications/:id/erase': row('401', '403', '403', '403', 'ok', '401'),
  'GET /admin/applications/:id/export.json': coordinatorPage,
  'GET /admin/export.csv': coordinatorPage,
  'GET /admin/export-accessibility.csv': coordinatorPage,
  'GET /admin/checkins/:programme/export.csv': staffPage,
  'GET /admin/checkins': staffPage,
  // Every member of staff reads a cohort's page; only a coordinator reads the arrangements on it.
  'GET /admin/cohorts': staffPage,
  'GET /admin/cohorts/:cohort': staffPage,
  // Staff or the token; METRICS_PUBLIC is off here.
  'GET /metrics': row('login', 'ok', 'ok', 'ok', 'ok', 'ok'),
};

// The minimal body each change is sent with: enough to pass validation where that is cheap.
const FORMS: Record<string, Record<string, string>> = {
  vote: { vote: 'approve', note: '' },
  decide: { outcome: 'accepted', reason: 'מתאים למחזור', confirm: 'yes' },
  withdraw: { confirm: 'yes', reason: '' },
  erase: { confirm: 'yes' },
};
const JSON_BODIES: Record<string, unknown> = {
  decision: { outcome: 'accepted', reason: 'fits the cohort' },
  withdraw: {},
};

const SAFE = new Set(['GET', 'HEAD']);
const served = (service: RunningService) =>
  [
    ...new Set(
      service
        .app!.routes.filter((r) => r.method !== 'ALL' && /^\/(admin|metrics)(\/|$)/.test(r.path))
        .map((r) => `${r.method} ${r.path}`),
    ),
  ].sort();

describe('the authorisation matrix: every /admin and /metrics route for every kind of caller', () => {
  let service: RunningService;
  let dir: string;
  let readId = '';
  let queueName = '';
  const ctx = () => ({ db: service.database.db, clock: () => new Date() });
  const workflows = loadWorkflows(SETTINGS);

  const inReview = async () => {
    const body = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock: () => new Date() },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: validBody({ email: `matrix-${crypto.randomUUID()}@example.org` }),
        },
      ),
    );
    await transition(service.database.db, {
      applicationId: body.id,
      from: ['submitted'],
      to: 'in_review',
      actor: 'system',
      at: new Date(),
    });
    return body.id;
  };

  const fill = (path: string, id: string) =>
    path
      .replace(/^\/admin\/api\/checkins\/programmes\/:id/, `/admin/api/checkins/programmes/${PROGRAMME}`)
      .replace(':programme', PROGRAMME)
      .replace(':cohort', 'leading-team-2027')
      .replace(':queueName', queueName)
      .replace(':queueStatus', 'failed')
      .replace(':jobId', 'no-such-job')
      .replace(':schedulerId', 'no-such-scheduler')
      .replace(':step', 'calendar')
      .replace(':id', id)
      .replace('/static/*', '/static/nothing.js');

  async function send(method: string, path: string, who: Who): Promise<Response> {
    const change = !SAFE.has(method);
    // Each change gets its own application (and its own session, since one of them is logging out).
    const id = change && path.includes('/applications/:id') ? await inReview() : readId;
    const url = `${ORIGIN}${fill(path, id)}`;
    const api = path.startsWith('/admin/api/') || path.startsWith('/admin/queues/api/');
    const headers: Record<string, string> = {
      accept: who === 'apiToken' || api ? 'application/json' : 'text/html',
    };
    const identity = IDENTITIES[who];
    if (identity) headers.cookie = await staffCookie(service.app!, ctx(), identity);
    if (who === 'apiToken') headers.authorization = `Bearer ${TOKEN}`;
    if (!change) return service.app!.request(url, { headers });
    headers.origin = ORIGIN;
    const last = path.split('/').pop() ?? '';
    if (api) {
      headers['content-type'] = 'application/json';
      return service.app!.request(url, { method, headers, body: JSON.stringify(JSON_BODIES[last] ?? {}) });
    }
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return service.app!.request(url, {
      method,
      headers,
      body: new URLSearchParams(FORMS[last] ?? {}).toString(),
    });
  }

  const meets = (res: Response, expected: Expect): boolean => {
    const s = res.status;
    switch (expected) {
      case 'ok':
        return s >= 200 && s < 400;
      case 'reached':
        return s !== 401 && s !== 403 && s !== 429 && s !== 500;
      case 'login':
        return s === 302 && (res.headers.get('location') ?? '').startsWith('/admin/login');
      default:
        return String(s) === expected;
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-matrix-'));
    service = await startService({
      config: parseConfig({
        PORT: '0',
        DATA_DIR: dir,
        REDIS_URL: TEST_REDIS_URL,
        ADMIN_TOKEN: TOKEN,
        SIGNIN_ATTEMPTS_PER_ADDRESS: '100000',
      }),
      logger: pino({ level: 'silent' }),
      settings: SETTINGS,
      role: 'web',
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('mtx') },
    });
    readId = await inReview();
    queueName = Object.values(service.pipeline.queues.queues)[0]!.name;
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('has an expectation for every route served, and none for a route that is gone', () => {
    expect(served(service)).toEqual(Object.keys(MATRIX).sort());
  });

  it('answers every cell as the matrix says', async () => {
    const misses: string[] = [];
    // Refusals first, so a change that is allowed cannot move the state a refusal is asked about.
    const cells = served(service)
      .filter((route) => MATRIX[route])
      .flatMap((route) => WHO.map((who) => ({ route, who, expected: MATRIX[route]![who] })))
      .sort(
        (a, b) =>
          Number(a.expected === 'ok' || a.expected === 'reached') -
          Number(b.expected === 'ok' || b.expected === 'reached'),
      );
    for (const { route, who, expected } of cells) {
      const [method, path] = route.split(' ') as [string, string];
      const res = await send(method, path, who);
      if (!meets(res, expected)) misses.push(`${route} as ${who}: expected ${expected}, got ${res.status}`);
    }
    expect(misses).toEqual([]);
  });

  const addJob = async (cookie: string, origin?: string, contentType = 'application/json') =>
    service.app!.request(`${ORIGIN}/admin/queues/api/queues/${queueName}/add`, {
      method: 'POST',
      headers: { cookie, 'content-type': contentType, ...(origin ? { origin } : {}) },
      body: JSON.stringify({ name: 'forged', data: {} }),
    });
  const queue = () => Object.values(service.pipeline.queues.queues).find((q) => q.name === queueName)!;
  const forged = async () => (await queue().getJobs()).filter((j) => j.name === 'forged').length;

  it("refuses a coordinator's queue board change sent from another site, or with no Origin, and adds no job", async () => {
    const cookie = await staffCookie(service.app!, ctx(), IDENTITIES.coordinator);
    expect((await addJob(cookie, FOREIGN)).status).toBe(403);
    expect((await addJob(cookie, FOREIGN, 'text/plain')).status).toBe(403);
    expect((await addJob(cookie)).status).toBe(403);
    expect(await forged()).toBe(0);
    // The same request from the board's own page goes through, so the refusals above are the guard's.
    expect((await addJob(cookie, ORIGIN)).status).toBe(200);
    expect(await forged()).toBe(1);
    await queue().obliterate({ force: true });
  });

  it('refuses a dashboard form posted from another site, or with no Origin, and changes nothing', async () => {
    const id = await inReview();
    const cookie = await staffCookie(service.app!, ctx(), IDENTITIES.coordinator);
    const withdraw = (origin?: string) =>
      service.app!.request(`${ORIGIN}/admin/applications/${id}/withdraw`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          ...(origin ? { origin } : {}),
        },
        body: new URLSearchParams(FORMS.withdraw).toString(),
      });
    expect((await withdraw(FOREIGN)).status).toBe(403);
    expect((await withdraw()).status).toBe(403);
    const status = async () =>
      (
        await service.database.db
          .selectFrom('applications')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await status()).toBe('in_review');
    expect((await withdraw(ORIGIN)).status).toBe(303);
    expect(await status()).toBe('withdrawn');
  });
});
