import pino from 'pino';
import { afterEach } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noCards, noSlack } from '../../integrations/noop.ts';
import { type Pipeline, startPipeline } from '../../src/jobs/pipeline.ts';
import type { CalendarPort, MailPort, ReviewCardPort, SlackPort } from '../../src/ports.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import type { ReviewContext } from '../../src/usecases/review.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type Backend, randomPrefix, TEST_REDIS_URL } from './backends.ts';

export const reviewSettings = (
  review: Record<string, unknown> = {},
  onboarding: Record<string, unknown> = {},
) => ({
  cohorts: {
    'leading-team-2027': {
      review: {
        channel: 'CREVIEW01',
        reviewers: [
          { name: 'Dana', slackId: 'UDANA0001', email: 'dana@example.org' },
          { name: 'Avi', slackId: 'UAVI00001', email: 'avi@example.org', organisation: 'עיריית באר שבע' },
          { name: 'Rina', slackId: 'URINA0001', email: 'rina@example.org' },
        ],
        ...review,
      },
      onboarding: { slackChannels: ['CCOHORT01', 'CCOHORT02', 'CCOHORT03'], ...onboarding },
    },
  },
});

export interface TestPipelineOptions {
  database: OpenedDatabase;
  settings?: unknown;
  redisUrl?: string;
  workers?: boolean;
  calendar?: CalendarPort;
  /** Where notices go; by default a memory mailer the test can read (`t.mail`). */
  mail?: MailPort;
  slack?: SlackPort;
  cards?: ReviewCardPort;
  clock?: () => Date;
  prefix?: string;
  reconcileEveryMs?: number;
  logger?: pino.Logger;
  /** Who invitations come from (the service takes MAIL_FROM). */
  organizer?: { name: string; email: string };
  /** How links to applicants' pages are signed; without it the e-mails carry none. */
  applicantLinks?: { secret: string; days: number };
}

/** The real pipeline (relay, BullMQ on real Redis, workers) over a test database with fake ports. */
export async function startTestPipeline(opts: TestPipelineOptions) {
  const workflows = loadWorkflows(opts.settings ?? reviewSettings());
  const clock = opts.clock ?? (() => new Date());
  const mail = memoryMailer();
  const prefix = opts.prefix ?? randomPrefix('p');
  const pipeline: Pipeline = await startPipeline({
    target: { url: opts.redisUrl ?? TEST_REDIS_URL },
    prefix,
    workers: opts.workers ?? true,
    relayPollMs: 100,
    ...(opts.reconcileEveryMs ? { reconcileEveryMs: opts.reconcileEveryMs } : {}),
    jobOptions: { backoff: { type: 'fixed', delay: 50, jitter: 0 } as never, attempts: 5 },
    context: {
      db: opts.database.db,
      workflows,
      clock,
      publicUrl: 'http://localhost:3000',
      logger: opts.logger ?? pino({ level: 'silent' }),
      mail: opts.mail ?? mail,
      calendar: opts.calendar ?? noCalendar,
      slack: opts.slack ?? noSlack,
      cards: opts.cards ?? noCards,
      ...(opts.organizer ? { organizer: opts.organizer } : {}),
      ...(opts.applicantLinks ? { applicantLinks: opts.applicantLinks } : {}),
    },
  });
  const reviewCtx: ReviewContext = {
    db: opts.database.db,
    workflows,
    clock,
    publicUrl: 'http://localhost:3000',
    poke: pipeline.relay.poke,
  };
  let n = 0;
  return {
    pipeline,
    workflows,
    mail,
    prefix,
    reviewCtx,
    db: opts.database.db,
    /** Submits a valid application through the real use case and hands its job to the queue. */
    async submit(overrides: Record<string, unknown> = {}) {
      n += 1;
      const result = await submitApplication(
        { db: opts.database.db, workflows, clock },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: {
            fullName: `מועמדת ${n}`,
            email: `person${n}-${prefix}@example.org`,
            phone: `+97250${String(7_000_000 + n).padStart(7, '0')}`,
            organisation: 'עיריית ירוחם',
            roleTitle: 'מנהלת חינוך',
            sector: 'local-authority',
            region: 'south',
            motivation: 'רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
            topics: ['data'],
            confirmedMeetings: ['opening-day', 'online-1', 'online-2', 'online-3', 'closing-day'],
            consent: true,
            ...overrides,
          },
        },
      );
      pipeline.relay.poke();
      return createdBody(result);
    },
    async status(id: string) {
      const row = await opts.database.db
        .selectFrom('applications')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.status;
    },
    async stepStatus(id: string, step: string) {
      const row = await opts.database.db
        .selectFrom('steps')
        .select('status')
        .where('application_id', '=', id)
        .where('step', '=', step)
        .executeTakeFirst();
      return row?.status;
    },
    async events(id: string) {
      return opts.database.db
        .selectFrom('application_events')
        .select(['type', 'actor', 'data'])
        .where('application_id', '=', id)
        .orderBy('id')
        .execute();
    },
    async stop() {
      await pipeline.queues.queues.maintenance.removeJobScheduler('reconcile').catch(() => {});
      for (const q of Object.values(pipeline.queues.queues))
        await q.obliterate({ force: true }).catch(() => {});
      await pipeline.stop();
    },
  };
}

/**
 * For a suite on one backend: `setup()` opens a fresh database and starts a test pipeline on it; both are
 * stopped after each test.
 */
export function pipelinesOn(backend: Backend) {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return async function setup(opts: Omit<TestPipelineOptions, 'database'> = {}) {
    const database = await backend.open();
    cleanups.push(() => database.close());
    const t = await startTestPipeline({ database, ...opts });
    cleanups.push(() => t.stop());
    return t;
  };
}
