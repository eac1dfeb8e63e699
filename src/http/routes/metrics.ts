import type { Queue } from 'bullmq';
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../../storage/schema.ts';
import type { StaffContext } from '../../usecases/staff-sessions.ts';
import { requireStaff } from '../admin-session.ts';
import type { AppEnv } from '../deps.ts';
import type { FailureLimiter } from '../rate-limit.ts';
import { tokenGuard } from '../signin-limits.ts';

/** The service's Prometheus metrics; counters are fed by the code paths, gauges collected at scrape. */
export function createMetrics(deps: { db: Kysely<Database>; queues: Record<string, Queue> }) {
  const registry = new Registry();
  const intake = new Counter({
    name: 'kehila_intake_total',
    help: 'Submissions stored, by cohort, source and outcome',
    labelNames: ['cohort', 'source', 'outcome'],
    registers: [registry],
  });
  const stage = new Histogram({
    name: 'kehila_stage_duration_seconds',
    help: 'Time from submission to review and from decision to onboarded',
    labelNames: ['stage'],
    buckets: [0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86_400, 604_800],
    registers: [registry],
  });
  const batch = new Histogram({
    name: 'kehila_intake_batch_size',
    help: 'Submissions written per commit (1: nothing else was being committed)',
    buckets: [1, 2, 4, 8, 16, 32],
    registers: [registry],
  });
  new Gauge({
    name: 'kehila_queue_jobs',
    help: 'Jobs per queue and state (failed = gave up)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(deps.queues)) {
        const counts = await queue
          .getJobCounts('waiting', 'active', 'delayed', 'failed')
          .catch(() => ({}) as Record<string, number>);
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    },
  });
  new Gauge({
    name: 'kehila_applications',
    help: 'Applications by cohort and status',
    labelNames: ['cohort', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await deps.db
        .selectFrom('applications')
        .select(['cohort', 'status', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy(['cohort', 'status'])
        .execute();
      for (const r of rows) this.set({ cohort: r.cohort, status: r.status }, Number(r.n));
    },
  });
  return { registry, intake, stage, batch };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** GET /metrics: public, or for a scraper with the admin token and for signed-in staff. */
export function metricsRoute(
  metrics: Metrics,
  opts: {
    public: boolean;
    token?: string | undefined;
    sessions: StaffContext;
    tokenFailures: FailureLimiter;
    clientIp: (c: Context) => string;
  },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const staff = requireStaff(opts.sessions);
  const bearer = opts.token
    ? tokenGuard({
        token: opts.token,
        limiter: opts.tokenFailures,
        clientIp: opts.clientIp,
        clock: opts.sessions.clock,
      })
    : undefined;
  if (!opts.public)
    app.use('*', async (c, next) => {
      if (bearer && (await bearer(c)) === 'right') return next();
      return staff(c, next);
    });
  app.get('/', async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  );
  return app;
}
