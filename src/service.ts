import { hostname } from 'node:os';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { redisMutex } from '../integrations/mutex.ts';
import { intakeLimits, strictSignInLimits } from '../integrations/rate-limit.ts';
import { loadWorkflows, type StaffMember } from '../workflows/index.ts';
import { adminMounts, signInProviders } from './admin-mounts.ts';
import { applicantPages } from './applicant-pages.ts';
import { startCheckins } from './checkins/scheduler.ts';
import { composePorts, type PortOverrides } from './compose.ts';
import type { Config } from './config.ts';
import { type AppEnv, createApp } from './http/app.tsx';
import { clientIpFrom } from './http/client-ip.ts';
import { FORM_TOKEN_MAX_AGE_MS, formTokens } from './http/form-token.ts';
import { settleUnreadBodies } from './http/node-connection.ts';
import type { RateLimiter } from './http/rate-limit.ts';
import { RELAY_TOLERANCE_MS } from './http/relay-signature.ts';
import { createMetrics } from './http/routes/metrics.ts';
import { ensureRedis } from './jobs/local-redis.ts';
import { type Pipeline, startPipeline } from './jobs/pipeline.ts';
import { firstUses, producerConnection } from './jobs/redis.ts';
import type { AppLogger } from './logger.ts';
import { SEEN_TTL_MS } from './slack/receiver.ts';
import type { SocketReceiver } from './slack/socket-receiver.ts';
import { startSlackTransport } from './slack-transport.ts';
import { type OpenedDatabase, openDatabase } from './storage/db.ts';
import { installationSecret } from './storage/secrets.ts';
import { draftService } from './usecases/drafts.ts';
import { intakeCoalescer } from './usecases/intake-coalescer.ts';
import { firstCoordinator, issueSignInLink } from './usecases/staff-sessions.ts';
import { submitApplication } from './usecases/submit-application.ts';

export type Role = 'all' | 'web' | 'worker';

export interface ServiceOptions {
  config: Config;
  logger: AppLogger;
  settings: unknown;
  role: Role;
  clock?: () => Date;
  /** The staff list as it stands now (the entry re-reads the settings file); the settings' list otherwise. */
  staff?: () => readonly StaffMember[];
  /** Replacements for tests and benchmarks: fakes of the outbound ports, a queue prefix, limits. */
  overrides?: PortOverrides & {
    redisPrefix?: string;
    limits?: { ip: RateLimiter; email: RateLimiter };
    minFillMs?: number;
    reconcileEveryMs?: number;
    stuckAfterMs?: number;
    /** Worker lock; a crashed worker's jobs are taken up again after about this long (default 30 s). */
    lockDurationMs?: number;
    database?: OpenedDatabase;
    /** Sign-in issuers over plain http: a test's OpenID provider on loopback. */
    allowInsecureSignIn?: boolean;
  };
}

export interface RunningService {
  port: number;
  /** The HTTP app, when this process serves HTTP (tests walk its routes). */
  app?: Hono<AppEnv> | undefined;
  pipeline: Pipeline;
  database: OpenedDatabase;
  /** With no sign-in provider configured: a one-time link that signs in a first coordinator. */
  signInLink?: string | undefined;
  stop(): Promise<void>;
}

/** Wires every dependency once, from the config, and starts the roles asked for. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger, overrides = {} } = options;
  const clock = options.clock ?? (() => new Date());
  const workflows = loadWorkflows(options.settings);
  const database =
    overrides.database ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  logger.info({ database: database.kind, cohorts: [...workflows.cohorts.keys()] }, 'database ready');
  const db = database.db;
  const redis = await ensureRedis({ url: config.REDIS_URL, dataDir: config.DATA_DIR });
  if (redis.started) logger.info({ socket: redis.target.path }, 'started a private redis-server');

  // Every submission counts against two limits here: the commands of all requests in one turn of the event
  // loop go out in one write and come back in one read, rather than a system call pair each.
  const lockRedis = producerConnection(redis.target, { enableAutoPipelining: true });
  lockRedis.on('error', () => {});
  const prefix = overrides.redisPrefix ?? 'kehila';
  const firstUse = firstUses(lockRedis, prefix);
  // Waiters outwait a live holder's retries after a 429; a dead holder costs only the lock's TTL.
  const mutex = redisMutex(lockRedis, { holder: `${hostname()}/${process.pid}`, maxWaitMs: 60_000 });
  const ports = await composePorts({ config, overrides, mutex, logger });
  const { calendar, cards, slack, mail, groups, slackSdk, slackClient } = ports;
  if (calendar.configured) logger.info({ calendar: config.GOOGLE_CALENDAR_ID }, 'Google Calendar on');

  // Every role signs links: the web pages check them, the workers put them in e-mails.
  const links = { secret: await installationSecret(db, 'signed-links'), days: config.APPLICANT_LINK_DAYS };
  const pipeline = await startPipeline({
    target: redis.target,
    prefix: overrides.redisPrefix ?? 'kehila',
    workers: options.role !== 'web',
    // Tests shorten these in code; a deployment sets them in the environment (src/config.ts says why).
    reconcileEveryMs: overrides.reconcileEveryMs ?? config.RECONCILE_EVERY_MS,
    lockDurationMs: overrides.lockDurationMs ?? config.JOB_LOCK_MS,
    ...(overrides.lockDurationMs ? {} : { stalledIntervalMs: config.JOB_STALLED_CHECK_MS }),
    maxStalledCount: config.JOB_MAX_STALLED,
    context: {
      db,
      workflows,
      clock,
      publicUrl: config.publicUrl,
      logger,
      mail,
      organizer: config.organizer,
      applicantLinks: links,
      calendar,
      slack,
      cards,
      groups,
      stuckAfterMs: overrides.stuckAfterMs ?? config.STEP_LEASE_MS,
    },
  });
  // The one dependency object every role is handed: the ports, the database, the clock, the relay's poke.
  const deps = pipeline.context;
  const sessions = { db, clock, staff: options.staff ?? (() => workflows.staff) };
  const metrics = createMetrics({ db, queues: pipeline.queues.queues });
  pipeline.context.observeStage = (stage, seconds) => metrics.stage.observe({ stage }, seconds);
  const checkinCtx =
    slackSdk && slackClient ? { ...deps, slack: slackSdk.slackCheckins(slackClient) } : undefined;
  const checkins =
    checkinCtx && options.role !== 'web'
      ? await startCheckins({
          target: redis.target,
          prefix: overrides.redisPrefix ?? 'kehila',
          ctx: checkinCtx,
        })
      : undefined;

  let server: ServerType | undefined;
  let port = 0;
  let httpApp: Hono<AppEnv> | undefined;
  let socket: SocketReceiver | undefined;
  let signInLink: string | undefined;
  if (options.role !== 'worker') {
    const secret = config.FORM_SECRET ?? (await installationSecret(db, 'form-token'));
    const clientIp = clientIpFrom({ trustProxy: config.TRUST_PROXY, hops: config.TRUST_PROXY_HOPS });
    const signInLimits = strictSignInLimits(lockRedis, {
      prefix: `${prefix}:limit`,
      windowMs: config.SIGNIN_LIMIT_WINDOW_MINUTES * 60_000,
      perAddress: config.SIGNIN_ATTEMPTS_PER_ADDRESS,
      perAccount: config.SIGNIN_FAILURES_PER_ACCOUNT,
      wrongTokens: config.WRONG_TOKENS_PER_ADDRESS,
    });
    const mounts: { path: string; app: Hono<AppEnv> }[] = [];
    mounts.push(
      ...(await adminMounts({
        config,
        db,
        workflows,
        clock,
        sessions,
        poke: deps.poke,
        metrics,
        queues: Object.values(pipeline.queues.queues),
        privacy: { calendar, slack, mail, removeJobs: pipeline.context.removeJobs },
        logger,
        limits: signInLimits,
        clientIp,
        ...(overrides.allowInsecureSignIn ? { allowInsecureSignIn: true } : {}),
        ...(checkinCtx ? { checkins: checkinCtx } : {}),
      })),
    );
    const slackIn = await startSlackTransport({
      config,
      ports,
      deps,
      clock,
      logger,
      firstSeen: (key) => firstUse('slack', key, SEEN_TTL_MS),
    });
    socket = slackIn.socket;
    if (slackIn.mount) mounts.push(slackIn.mount);
    // Submissions that arrive while one commits are written together: one commit for many on a busy day.
    const intake = {
      db,
      workflows,
      clock,
      intake: intakeCoalescer({
        db,
        concurrency: database.kind === 'pglite' ? 1 : 4,
        onBatch: (size) => metrics.batch.observe(size),
      }),
    };
    const app = createApp({
      workflows,
      publicUrl: config.publicUrl,
      clock,
      formTokens: formTokens(secret),
      formTokenFirstUse: (id) => firstUse('form-token', id, FORM_TOKEN_MAX_AGE_MS),
      limits:
        overrides.limits ??
        intakeLimits(lockRedis, prefix, {
          perAddress: config.INTAKE_SUBMISSIONS_PER_ADDRESS,
          perEmail: config.INTAKE_SUBMISSIONS_PER_EMAIL,
        }),
      clientIp,
      submit: async (req) => {
        const result = await submitApplication(intake, req);
        metrics.intake.inc({
          cohort: req.cohortId,
          source: req.source,
          outcome: result.created ? 'created' : 'repeat',
        });
        if (result.created) deps.poke();
        return result;
      },
      readiness: async () => ({
        database: await sql`select 1`.execute(db).then(
          () => true,
          () => false,
        ),
        redis: await pipeline.queues.connection.ping().then(
          (r) => r === 'PONG',
          () => false,
        ),
      }),
      logger,
      mounts,
      drafts: draftService({ db, workflows, clock }, deps.poke),
      applicant: applicantPages({ db, workflows, clock, poke: deps.poke }, links.secret),
      edgeRelay: config.EDGE_SHARED_SECRET
        ? {
            secret: config.EDGE_SHARED_SECRET,
            // Kept a little longer than a relay stays fresh, so a replay is refused for as long as it could pass.
            firstUse: (signature) => firstUse('relay', signature, 2 * RELAY_TOLERANCE_MS),
          }
        : undefined,
      ...(overrides.minFillMs !== undefined ? { minFillMs: overrides.minFillMs } : {}),
    });
    httpApp = app;
    server = await new Promise<ServerType>((resolve) => {
      const s = serve(
        { fetch: settleUnreadBodies(app.fetch), port: config.PORT, hostname: '0.0.0.0' },
        (info) => {
          port = info.port;
          resolve(s);
        },
      );
    });
    logger.info({ port, url: `${config.publicUrl}/apply` }, 'web listening');
    // With no way to sign in through an account, a newcomer still needs a way into the dashboard.
    if (signInProviders(config).length === 0) {
      const token = await issueSignInLink(sessions, firstCoordinator(sessions.staff()));
      signInLink = `${config.publicUrl}/admin/signin/link?token=${token}`;
    }
  }

  return {
    port,
    app: httpApp,
    pipeline,
    database,
    signInLink,
    async stop() {
      // Stop taking requests first, then finish the jobs in hand, then let go of the connections.
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      await socket?.stop();
      await checkins?.stop();
      await pipeline.stop();
      lockRedis.disconnect();
      await redis.stop();
      if (!overrides.database) await database.close();
    },
  };
}
