// The staff fuzz: signed in through a real session cookie (a coordinator, a reviewer, a viewer, or nobody),
// requests at the admin API and the dashboard as the service mounts them, with damaged ids, query parameters
// and bodies, and the dashboard's POSTs now and then from another origin or none.
import fc from 'fast-check';
import { sql } from 'kysely';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noSlack } from '../../integrations/noop.ts';
import { adminMounts } from '../../src/admin-mounts.ts';
import { parseConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { createMetrics } from '../../src/http/routes/metrics.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { CONSOLE_IDENTITY } from '../../src/usecases/staff-sessions.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { ORIGIN, validBody } from '../helpers/app.ts';
import { answerOf } from '../helpers/openapi.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { memorySignInLimits, staffCookie } from '../helpers/staff.ts';
import { arbitraryFor, mutated } from './from-schema.ts';
import { type FuzzTally, newTally, record, requestSchemaOf, servedDocument, weird } from './properties.ts';

const TOKEN = 'admin-token-for-the-staff-fuzz-0123456789';
const SETTINGS = {
  ...reviewSettings(),
  staff: [{ name: 'צופה', email: 'viewer@example.org', roles: ['viewer'] }],
};

/** The web app with every /admin mount the service makes, over `database`, and a cookie per kind of person. */
async function staffApp(database: OpenedDatabase) {
  const workflows = loadWorkflows(SETTINGS);
  const clock = () => new Date();
  const db = database.db;
  const config = parseConfig({ PORT: '3000', ADMIN_TOKEN: TOKEN });
  const sessions = { db, clock, staff: () => workflows.staff };
  const quiet = { info() {}, warn() {}, error() {} };
  const mounts = await adminMounts({
    config,
    db,
    workflows,
    clock,
    sessions,
    poke: () => {},
    metrics: createMetrics({ db, queues: {} }),
    queues: [],
    privacy: { calendar: noCalendar, slack: noSlack, mail: memoryMailer() },
    logger: quiet,
    limits: memorySignInLimits(Number.MAX_SAFE_INTEGER),
    clientIp: () => '203.0.113.9',
  });
  const unlimited = memoryRateLimiter({ limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 });
  const app = createApp({
    workflows,
    publicUrl: ORIGIN,
    clock,
    formTokens: formTokens('a-test-secret-of-enough-length'),
    limits: { ip: unlimited, email: unlimited },
    clientIp: () => '203.0.113.9',
    submit: (req) => submitApplication({ db, workflows, clock }, req),
    readiness: async () => ({}),
    logger: quiet,
    mounts,
  });
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const body = createdBody(
      await submitApplication(
        { db, workflows, clock },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: validBody({ email: `staff-fuzz${i}@example.org` }),
        },
      ),
    );
    ids.push(body.id);
  }
  // Two stay submitted, where neither a vote nor a decision applies.
  await sql`UPDATE applications SET status = 'in_review' WHERE id = ANY(${ids.slice(2)}::uuid[])`.execute(db);
  const cookies = {
    coordinator: await staffCookie(app, sessions, CONSOLE_IDENTITY),
    reviewer: await staffCookie(app, sessions, 'slack:UDANA0001'),
    viewer: await staffCookie(app, sessions, 'email:viewer@example.org'),
  };
  return { app, db, ids, cookies };
}

// Query and path values people and scripts get wrong: huge and negative numbers, NUL, long and odd text.
const strange = fc.oneof(
  fc.constantFrom('1e308', '-1', '0', '99999999999999999999', 'NaN', '\u0000', '%00', '', ' ', '../..'),
  fc.constantFrom('x'.repeat(5000), 'א'.repeat(300), '\uD800', '\u202E', '<script>', "' OR 1=1 --"),
  fc.integer().map(String),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
// A lone surrogate cannot be put in a URL at all (encodeURIComponent throws); anything else reaches the route.
const segment = strange
  .filter((s) => s !== '' && s !== '.' && s !== '..' && !/\p{Cs}/u.test(s))
  .map(encodeURIComponent);
const query = (keys: string[], good: Record<string, fc.Arbitrary<string>>) =>
  fc
    .dictionary(fc.constantFrom(...keys), fc.oneof(strange, ...Object.values(good)), { maxKeys: 3 })
    .map((q) => {
      const s = new URLSearchParams(q).toString();
      return s ? `?${s}` : '';
    });
const formOf = (fields: fc.Arbitrary<Record<string, unknown>>) =>
  mutated(fields, weird).map(({ body }) => {
    const form = new URLSearchParams();
    // Dictionaries drawn by fast-check have no prototype, and so no toString of their own.
    const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
    if (body && typeof body === 'object' && !Array.isArray(body))
      for (const [k, v] of Object.entries(body)) for (const item of [v].flat()) form.append(k, text(item));
    else form.append('value', text(body));
    return form.toString();
  });

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  json?: boolean;
}

/**
 * Signed-in requests at the admin API and the dashboard. Every answer is below 500; the admin API's are ones
 * its document describes; the dashboard's are pages, redirects or refusals in the error shape; and every
 * dashboard change that went through left its audit entry.
 */
export async function sessionStaff(runs: number, tally: FuzzTally = newTally(), database?: OpenedDatabase) {
  const opened = database ?? (await openDatabase({ dataDir: 'memory' }));
  try {
    const { app, db, ids, cookies } = await staffApp(opened);
    const { document, checker } = await servedDocument(app);
    const id = fc.oneof(
      { arbitrary: fc.constantFrom(...ids), weight: 6 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: segment, weight: 2 },
    );
    const step = fc.oneof(fc.constantFrom('calendar', 'slack', 'welcome'), segment);
    const apiBody = (path: string) =>
      mutated(arbitraryFor(document, requestSchemaOf(document, 'post', path)), weird).map(({ body }) => body);
    const statuses = fc.constantFrom('submitted', 'in_review', 'accepted', 'withdrawn');
    const api: fc.Arbitrary<Request> = fc.oneof(
      query(['limit', 'offset', 'cohort', 'status', 'q'], { status: statuses }).map((q) => ({
        method: 'GET' as const,
        path: `/admin/api/applications${q}`,
      })),
      id.map((i) => ({ method: 'GET' as const, path: `/admin/api/applications/${i}` })),
      fc
        .constantFrom('/admin/api/stats', '/admin/api/checkins/programmes')
        .map((path) => ({ method: 'GET' as const, path })),
      fc.tuple(id, fc.constantFrom('decision', 'withdraw')).chain(([i, name]) =>
        apiBody(`/admin/api/applications/{id}/${name}`).map((body) => ({
          method: 'POST' as const,
          path: `/admin/api/applications/${i}/${name}`,
          body: JSON.stringify(body),
          json: true,
        })),
      ),
      fc.tuple(id, step).map(([i, s]) => ({
        method: 'POST' as const,
        path: `/admin/api/applications/${i}/steps/${s}/retry`,
      })),
    );
    const reviewer = fc.oneof(
      fc.constantFrom(
        'slack:UDANA0001',
        'slack:UAVI00001',
        'email:rina@example.org',
        'email:nobody@example.org',
      ),
      strange,
    );
    const pages: fc.Arbitrary<Request> = fc.oneof(
      query(['page', 'cohort', 'status', 'flag', 'q'], { page: fc.nat(20).map(String) }).map((q) => ({
        method: 'GET' as const,
        path: `/admin${q}`,
      })),
      fc
        .tuple(id, fc.constantFrom('', '/export.json'))
        .map(([i, s]) => ({ method: 'GET' as const, path: `/admin/applications/${i}${s}` })),
      query(['cohort', 'status'], {}).map((q) => ({ method: 'GET' as const, path: `/admin/export.csv${q}` })),
      query(['cohort', 'status'], {}).map((q) => ({
        method: 'GET' as const,
        path: `/admin/export-accessibility.csv${q}`,
      })),
      query(['line'], { line: fc.constantFrom('math', 'girls') }).map((q) => ({
        method: 'GET' as const,
        path: `/admin/checkins${q}`,
      })),
    );
    const forms: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
      // A `reviewer` field is what the old "vote as" picker sent: it must change nothing about who votes.
      vote: fc.record(
        {
          reviewer,
          vote: fc.constantFrom('approve', 'reject', 'waitlist'),
          note: fc.string({ maxLength: 100 }),
        },
        { requiredKeys: ['vote', 'note'] },
      ),
      decide: fc.record(
        {
          outcome: fc.constantFrom('accepted', 'declined', 'waitlisted'),
          reason: fc.string({ maxLength: 100 }),
          confirm: fc.constantFrom('yes', 'no'),
        },
        { requiredKeys: ['outcome'] },
      ),
      withdraw: fc.record({ confirm: fc.constant('yes'), reason: fc.string({ maxLength: 100 }) }),
      erase: fc.record({ confirm: fc.constantFrom('yes', 'no') }),
    };
    const posts: fc.Arbitrary<Request> = fc.oneof(
      ...Object.entries(forms).map(([name, fields]) =>
        fc
          .tuple(id, formOf(fields))
          .map(([i, body]) => ({ method: 'POST' as const, path: `/admin/applications/${i}/${name}`, body })),
      ),
      fc.tuple(id, step).map(([i, s]) => ({
        method: 'POST' as const,
        path: `/admin/applications/${i}/steps/${s}/retry`,
        body: '',
      })),
    );
    const who = fc.oneof(
      { arbitrary: fc.constantFrom('coordinator', 'reviewer', 'viewer'), weight: 8 },
      { arbitrary: fc.constantFrom('none', 'forged'), weight: 1 },
    );
    // The dashboard's CSRF guard wants our origin on a POST; a browser elsewhere sends its own, or none.
    const elsewhere: Record<string, string>[] = [
      {},
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    const origin = fc.oneof(
      { arbitrary: fc.constant<Record<string, string>>({ origin: ORIGIN }), weight: 8 },
      { arbitrary: fc.constantFrom(...elsewhere), weight: 1 },
    );
    const bearer = fc.oneof(
      { arbitrary: fc.constant(TOKEN), weight: 4 },
      { arbitrary: fc.constantFrom(null, 'wrong'), weight: 1 },
    );
    const done: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(api, pages, posts, posts),
        who,
        origin,
        bearer,
        fc.boolean(),
        async (req, person, from, token, html) => {
          const cookie =
            person === 'none'
              ? undefined
              : person === 'forged'
                ? 'kehila_staff=forged'
                : cookies[person as keyof typeof cookies];
          const isApi = req.path.startsWith('/admin/api');
          const answer = await answerOf(app, req.path, {
            method: req.method,
            headers: {
              ...(cookie ? { cookie } : {}),
              ...(html ? { accept: 'text/html' } : {}),
              ...(isApi && token ? { authorization: `Bearer ${token}` } : {}),
              ...(req.method === 'POST' ? from : {}),
              ...(req.body === undefined
                ? {}
                : { 'content-type': req.json ? 'application/json' : 'application/x-www-form-urlencoded' }),
            },
            ...(req.body === undefined ? {} : { body: req.body }),
          });
          const what = `${req.method} ${req.path.slice(0, 120)} as ${person}`;
          record(tally, answer.status, what);
          if (isApi) {
            const problems = checker.problems(answer);
            if (problems.length > 0)
              throw new Error(`${what}: an answer the document does not describe: ${problems.join('; ')}`);
            // The API's changes are audited as the dashboard's are, as `api-token`.
            const change = /\/(decision|withdraw|retry)$/.exec(req.path)?.[1];
            if (change && req.method === 'POST' && answer.status === 200) {
              const action = change === 'decision' ? 'decide' : change;
              done[action] = (done[action] ?? 0) + 1;
            }
            return;
          }
          const expected = req.method === 'POST' ? [303] : [200, 302];
          if (answer.status < 400 && !expected.includes(answer.status))
            throw new Error(`${what} answered ${answer.status}`);
          if (answer.status === 303) {
            const action = /\/(vote|decide|withdraw|erase|retry)$/.exec(req.path)?.[1] ?? '';
            done[action] = (done[action] ?? 0) + 1;
          }
          if (answer.status >= 400 && !isErrorShape(answer))
            throw new Error(`${what}: a refusal not in the error shape`);
        },
      ),
      { numRuns: runs },
    );
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('action')
      .execute();
    const audited = Object.fromEntries(audits.map((a) => [a.action, Number(a.n)]));
    for (const action of ['vote', 'decide', 'withdraw', 'retry'])
      if ((audited[action] ?? 0) !== (done[action] ?? 0))
        throw new Error(
          `${done[action] ?? 0} ${action} changes went through, ${audited[action] ?? 0} audited`,
        );
    return { done };
  } finally {
    if (!database) await opened.close();
  }
}

/** The JSON error shape with its request id, or a page (the dashboard's refusals are pages for people). */
function isErrorShape(answer: { headers: Headers; body: unknown }): boolean {
  const type = answer.headers.get('content-type') ?? '';
  if (type.includes('text/html')) return typeof answer.body === 'string' && answer.body.includes('<html');
  const error = (answer.body as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | null)
    ?.error;
  return (
    typeof error?.code === 'string' &&
    typeof error.message === 'string' &&
    typeof error.requestId === 'string'
  );
}
