import type { Hono } from 'hono';
import { type AppEnv, createApp, type Logger } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter, type RateLimitRule } from '../../src/http/rate-limit.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { draftService } from '../../src/usecases/drafts.ts';
import { intakeCoalescer } from '../../src/usecases/intake-coalescer.ts';
import { type SubmitRequest, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';

export const ORIGIN = 'http://localhost:3000';
/** The test app's form-token secret, for a test that mints tokens as the form page would. */
export const FORM_SECRET = 'a-test-secret-of-enough-length';

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-12-01T08:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface TestApp {
  app: Hono<AppEnv>;
  db: OpenedDatabase['db'];
  clock: ReturnType<typeof manualClock>;
  logs: object[];
  close(): Promise<void>;
}

/** The real app over a real database (PGlite in memory unless one is given), with a hand-moved clock. */
export async function buildTestApp(
  opts: {
    database?: OpenedDatabase;
    ipLimit?: RateLimitRule;
    emailLimit?: RateLimitRule;
    /** Trust signed relays from an edge holding this secret. */
    edgeSecret?: string;
    startAt?: Date;
    /** Sees every submission the app hands to the use case (the edge tests check source, address, flags). */
    onSubmit?: (req: SubmitRequest) => void;
    /** Deployment settings merged over the shipped workflows, as KEHILA_SETTINGS would give them. */
    settings?: unknown;
    /** Offers "save and continue later", kept in the test database; `poke` hears of each queued mail. */
    drafts?: { poke?: () => void };
  } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await openDatabase({ dataDir: 'memory' }));
  const workflows = loadWorkflows(opts.settings);
  const clock = manualClock(opts.startAt);
  const usedSignatures = new Set<string>();
  const logs: object[] = [];
  // As the service writes them: concurrent submissions in a test commit together.
  const intake = intakeCoalescer({ db: database.db });
  const logger: Logger = {
    info: (o) => logs.push(o),
    warn: (o) => logs.push(o),
    error: (o) => logs.push(o),
  };
  const app = createApp({
    workflows,
    publicUrl: ORIGIN,
    clock: clock.now,
    formTokens: formTokens(FORM_SECRET),
    limits: {
      ip: memoryRateLimiter(opts.ipLimit ?? { limit: 1000, windowMs: 60_000 }),
      email: memoryRateLimiter(opts.emailLimit ?? { limit: 1000, windowMs: 60_000 }),
    },
    clientIp: (c) => c.req.header('x-test-ip') ?? '203.0.113.1',
    submit: (req) => {
      opts.onSubmit?.(req);
      return submitApplication({ db: database.db, workflows, clock: clock.now, intake }, req);
    },
    edgeRelay: opts.edgeSecret
      ? {
          secret: opts.edgeSecret,
          firstUse: async (signature) => {
            if (usedSignatures.has(signature)) return false;
            usedSignatures.add(signature);
            return true;
          },
        }
      : undefined,
    readiness: async () => ({ database: true }),
    logger,
    drafts: opts.drafts
      ? draftService({ db: database.db, workflows, clock: clock.now }, opts.drafts.poke ?? (() => {}))
      : undefined,
  });
  return {
    app,
    db: database.db,
    clock,
    logs,
    close: () => (opts.database ? Promise.resolve() : database.close()),
  };
}

export const validBody = (overrides: Record<string, unknown> = {}) => ({
  fullName: 'נועה כהן',
  email: 'noa@example.org',
  phone: '050-7234567',
  organisation: 'עיריית ירוחם',
  roleTitle: 'מנהלת מחלקת חינוך',
  sector: 'local-authority',
  region: 'south',
  motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
  topics: ['data'],
  confirmedMeetings: ['opening-day', 'online-1'],
  accessibilityNeeds: '',
  consent: true,
  ...overrides,
});

/** Posts JSON to the intake API. */
export function postJson(
  t: TestApp,
  body: unknown,
  headers: Record<string, string> = {},
  cohort = 'leading-team-2027',
) {
  return t.app.request(`/api/cohorts/${cohort}/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Fetches the form, waits like a person, and posts the fields as a browser would. */
export async function postForm(
  t: TestApp,
  fields: Record<string, string | string[]>,
  headers: Record<string, string> = {},
) {
  const page = await (await t.app.request('/apply/leading-team-2027')).text();
  const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
  t.clock.advance(5000);
  const form = new URLSearchParams();
  form.set('formToken', token);
  for (const [k, v] of Object.entries(fields)) {
    for (const item of Array.isArray(v) ? v : [v]) form.append(k, item);
  }
  return t.app.request('/apply/leading-team-2027', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
    body: form.toString(),
  });
}

export const validForm = (
  overrides: Record<string, string | string[]> = {},
): Record<string, string | string[]> => ({
  fullName: 'נועה כהן',
  email: 'noa@example.org',
  phone: '050-7234567',
  organisation: 'עיריית ירוחם',
  roleTitle: 'מנהלת מחלקת חינוך',
  sector: 'local-authority',
  region: 'south',
  motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
  topics: ['data', 'ai'],
  confirmedMeetings: ['opening-day', 'online-1', 'online-2', 'online-3', 'closing-day'],
  consent: 'yes',
  ...overrides,
});

/** The confirmation page of a reference, with the signature the form's redirect gives it. */
export async function confirmationPath(reference: string, query = '', cohort = 'leading-team-2027') {
  const sig = await formTokens(FORM_SECRET).signReference(cohort, reference);
  return `/apply/${cohort}/done?ref=${reference}&sig=${sig}${query}`;
}

export async function counts(db: OpenedDatabase['db']) {
  const n = async (t: 'applications' | 'application_events' | 'outbox') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    applications: await n('applications'),
    events: await n('application_events'),
    outbox: await n('outbox'),
  };
}
