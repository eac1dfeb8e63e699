import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { applicationSchema, FIELD_NAMES } from '../../src/domain/application.ts';
import type { AppEnv } from '../../src/http/app.tsx';
import { RELAY_HEADERS } from '../../src/http/relay-signature.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { buildTestApp, type TestApp, validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { answerOf, documentChecker, type JsonSchema, type OpenApiDocument } from '../helpers/openapi.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { dashboardVote } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
const INTAKE = '/api/cohorts/leading-team-2027/applications';
const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
// Blind review, so that hidden votes are described too; a lead, so that starting a round has someone to prompt.
const SETTINGS = {
  ...reviewSettings({ blind: true }),
  programmes: {
    'negev-partnership': { actionLines: [{ id: 'math-excellence', name: 'מתמטיקה', leads: ['ULEAD0001'] }] },
  },
};

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function documentOf(app: Hono<AppEnv>): Promise<OpenApiDocument> {
  const res = await app.request('/api/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDocument;
}

/** Every METHOD /path the app routes under the JSON API, in OpenAPI's spelling of parameters. */
const mountedRoutes = (app: Hono<AppEnv>) =>
  new Set(
    app.routes
      .filter((r) => r.method !== 'ALL' && /^\/(api|admin\/api)\//.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
  );
const documentedRoutes = (doc: OpenApiDocument) =>
  new Set(
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    ),
  );

describe('the OpenAPI document, and the intake answers it describes', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let checker: ReturnType<typeof documentChecker>;
  const expectDescribed = async (path: string, init: RequestInit, status: number) => {
    const answer = await answerOf(t.app, path, init);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(checker.problems(answer)).toEqual([]);
    return answer.body as Record<string, unknown> & {
      error: { code: string; fields?: Record<string, string> };
    };
  };
  beforeAll(async () => {
    t = await buildTestApp();
    doc = await documentOf(t.app);
    checker = documentChecker(doc);
  });
  afterAll(() => t.close());

  it('is OpenAPI 3.1 whose intake body is the cohort schema the route parses with', () => {
    expect(doc.openapi).toBe('3.1.0');
    const body = doc.components.schemas['Application.leading-team-2027'] as JsonSchema & {
      properties: Record<string, JsonSchema>;
    };
    expect(Object.keys(body.properties)).toEqual([...FIELD_NAMES]);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.sector?.enum).toEqual(cohort.form.sectors.map((s) => s.id));
    expect(body.properties.confirmedMeetings?.items).toMatchObject({
      enum: cohort.meetings.map((m) => m.id),
    });
    expect(body.properties.motivation).toMatchObject({ minLength: 20, maxLength: 5000 });
    // What the document offers as an example, the schema accepts.
    const phones = (body.properties.phone?.examples ?? []) as string[];
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones)
      expect(applicationSchema(cohort).safeParse(validBody({ phone })).success, phone).toBe(true);
    expect(checker.requestProblems('post', '/api/cohorts/{cohort}/applications', validBody())).toEqual([]);
    expect(
      checker.requestProblems('post', '/api/cohorts/{cohort}/applications', validBody({ x: 1 })),
    ).not.toEqual([]);
  });

  it('describes every answer of the intake: 201, the replay, 200 for a repeat, 422', async () => {
    const key = { 'idempotency-key': 'key-0001' };
    const created = await expectDescribed(INTAKE, post(validBody(), key), 201);
    expect(await expectDescribed(INTAKE, post(validBody(), key), 201)).toEqual(created);
    expect(await expectDescribed(INTAKE, post(validBody()), 200)).toEqual({ status: 'received' });
    const conflict = await expectDescribed(INTAKE, post(validBody({ fullName: 'אחר לגמרי' }), key), 422);
    expect(conflict.error.code).toBe('idempotency_conflict');
  });

  it('describes the refusals: 400 with fields, 401, 404, 413, 415', async () => {
    const invalid = await expectDescribed(INTAKE, post(validBody({ email: 'nope', extra: 1 })), 400);
    expect(invalid.error.fields).toEqual({ email: 'invalid_email', extra: 'unknown_field' });
    expect((await expectDescribed(INTAKE, post('{"a":'), 400)).error.fields).toEqual({
      _body: 'invalid_json',
    });
    await expectDescribed(INTAKE, post(validBody(), { 'idempotency-key': 'ä' }), 400);
    await expectDescribed(INTAKE, post(validBody(), { [RELAY_HEADERS.signature]: 'v1=00' }), 401);
    await expectDescribed('/api/cohorts/no-such-cohort/applications', post(validBody()), 404);
    await expectDescribed(INTAKE, post(validBody({ motivation: 'א'.repeat(70_000) })), 413);
    const plain = await expectDescribed(
      INTAKE,
      { ...post(validBody()), headers: { 'content-type': 'text/plain' } },
      415,
    );
    expect(plain.error.code).toBe('unsupported_media_type');
  });

  it('describes 429 with its Retry-After', async () => {
    const limited = await buildTestApp({ ipLimit: { limit: 1, windowMs: 60_000 } });
    try {
      await answerOf(limited.app, INTAKE, post(validBody()));
      const answer = await answerOf(limited.app, INTAKE, post(validBody({ email: 'second@example.org' })));
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(checker.problems(answer)).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it('lists every route under /api/ and nothing the app does not serve', async () => {
    expect([...mountedRoutes(t.app)].sort()).toEqual([...documentedRoutes(doc)].sort());
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/admin/'))).toBe(false);
  });
});

describe('the admin API against the document', () => {
  let service: RunningService;
  let dir: string;
  let doc: OpenApiDocument;
  let checker: ReturnType<typeof documentChecker>;
  let id = '';
  const auth = { authorization: `Bearer ${TOKEN}` };
  const call = async (method: string, path: string, status: number, body?: unknown, headers = auth) => {
    const init: RequestInit = body === undefined ? { method, headers } : { ...post(body, headers), method };
    const answer = await answerOf(service.app!, path, init);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
    expect(
      checker.problems(answer),
      `${method} ${path}: ${JSON.stringify(checker.problems(answer))}`,
    ).toEqual([]);
    return answer.body as Record<string, unknown>;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-openapi-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, ADMIN_TOKEN: TOKEN }),
      logger: pino({ level: 'silent' }),
      settings: SETTINGS,
      role: 'web',
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('oas') },
    });
    doc = await documentOf(service.app!);
    checker = documentChecker(doc);
    const workflows = loadWorkflows(SETTINGS);
    ({ id } = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock: () => new Date() },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody({ accessibilityNeeds: 'כתוביות' }) },
      ),
    ));
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every mounted route under /api/ and /admin/api/, and only those', () => {
    const mounted = mountedRoutes(service.app!);
    expect(mounted.size).toBeGreaterThan(12);
    expect([...mounted].filter((r) => !documentedRoutes(doc).has(r))).toEqual([]);
    expect([...documentedRoutes(doc)].filter((r) => !mounted.has(r))).toEqual([]);
  });

  it('describes the list, one application, the stats and the refusals', async () => {
    const list = await call('GET', '/admin/api/applications?limit=5&q=noa', 200);
    expect(list.applications).toHaveLength(1);
    const one = await call('GET', `/admin/api/applications/${id}`, 200);
    expect(one).toMatchObject({ application: { id, status: 'submitted' } });
    await call('GET', '/admin/api/stats', 200);
    await call('GET', '/admin/api/applications', 401, undefined, {} as typeof auth);
    await call('GET', '/admin/api/applications', 401, undefined, {
      authorization: 'Bearer not-the-token-0000',
    });
    await call('GET', '/admin/api/applications/not-a-uuid', 400);
    await call('GET', `/admin/api/applications/${crypto.randomUUID()}`, 404);
    await call('GET', '/admin/api/applications?limit=1e9', 400);
  });

  it('describes the decision, retry and withdrawal, and what they refuse', async () => {
    await call('POST', `/admin/api/applications/${id}/decision`, 409, { outcome: 'accepted', reason: 'x' });
    // No worker runs here to screen it, so the test moves it on as screening would.
    await sql`UPDATE applications SET status = 'in_review' WHERE id = ${id}`.execute(service.database.db);
    // The token cannot vote; a reviewer votes as herself, signed in.
    const ctx = { db: service.database.db, clock: () => new Date() };
    expect(
      await dashboardVote(service.app!, ctx, {
        identity: 'slack:UDANA0001',
        applicationId: id,
        vote: 'approve',
      }),
    ).toBe(303);
    expect(await call('GET', `/admin/api/applications/${id}`, 200)).toMatchObject({
      votes: [{ reviewer_name: 'Dana' }],
      votesHidden: true,
    });
    // A decision always says why.
    await call('POST', `/admin/api/applications/${id}/decision`, 400, { outcome: 'waitlisted' });
    // `byName` is accepted and ignored: the decision is the token's, never a person's.
    await call('POST', `/admin/api/applications/${id}/decision`, 200, {
      outcome: 'waitlisted',
      reason: 'מלא',
      byName: 'Dana',
    });
    const decided = await service.database.db
      .selectFrom('applications')
      .select('decided_by')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(decided.decided_by).toBe('api-token');
    await call('POST', `/admin/api/applications/${id}/steps/notice/retry`, 409);
    await call('POST', `/admin/api/applications/${id}/steps/nope/retry`, 400);
    await call('POST', `/admin/api/applications/${id}/withdraw`, 200, { reason: 'ביקשה' });
    await call('POST', `/admin/api/applications/${id}/withdraw`, 409, {});
    await call('POST', `/admin/api/applications/${id}/decision`, 409, { outcome: 'accepted', reason: 'x' });
    await call('POST', `/admin/api/applications/${id}/withdraw`, 413, { reason: 'א'.repeat(17_000) });
    const after = await call('GET', `/admin/api/applications/${id}`, 200);
    expect(after.votes).toMatchObject([{ vote: 'approve' }]);
    expect(after.votesHidden).toBeUndefined();
    expect((after.steps as unknown[]).length).toBeGreaterThan(0);
  });

  it('describes the check-in history and its controls', async () => {
    const { programmes } = (await call('GET', '/admin/api/checkins/programmes', 200)) as {
      programmes: { id: string; actionLines: { id: string }[] }[];
    };
    const programme = programmes[0]!;
    const line = programme.actionLines[0]!.id;
    const roundId = crypto.randomUUID();
    const db = service.database.db;
    const now = new Date();
    await db
      .insertInto('checkin_rounds')
      .values({
        id: roundId,
        programme: programme.id,
        week: '2026-11-29',
        status: 'open',
        opened_at: now,
        closes_at: now,
      })
      .execute();
    await db
      .insertInto('checkin_prompts')
      .values({ round_id: roundId, action_line: line, lead: 'ULEAD0001' })
      .execute();
    await db
      .insertInto('checkin_answers')
      .values({
        round_id: roundId,
        action_line: line,
        lead: 'ULEAD0001',
        progress: 'התקדמות',
        next_steps: 'צעדים',
        blockers: '',
        status: 'green',
        help_needed: '',
        submitted_at: now,
        updated_at: now,
      })
      .execute();
    expect(await call('GET', `/admin/api/checkins/programmes/${programme.id}/rounds`, 200)).toMatchObject({
      rounds: [{ id: roundId }],
    });
    await call('GET', `/admin/api/checkins/rounds/${roundId}`, 200);
    await call('GET', `/admin/api/checkins/rounds/${crypto.randomUUID()}`, 404);
    await call('GET', `/admin/api/checkins/action-lines/${line}`, 200);
    await call('GET', '/admin/api/checkins/programmes/no-such-programme/rounds', 404);
    // Without Slack no lead can be prompted.
    await call('POST', `/admin/api/checkins/programmes/${programme.id}/start`, 503);
    await call('POST', `/admin/api/checkins/programmes/${programme.id}/close`, 503);
  });
});
