import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { redisMutex } from '../integrations/mutex.ts';
import { intakeLimits, strictSignInLimits } from '../integrations/rate-limit.ts';
import { loadWorkflows, type StaffMember } from '../workflows/index.ts';
import { adminMounts, signInProviders } from './admin-mounts.ts';
import { applicantPages } from './applicant-pages.ts';
import { leadHomeSection } from './checkins/home.ts';
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
import { type OpenedDatabase, openDatabase } from './storage/db.ts';
import { installationSecret } from './storage/secrets.ts';
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

  const lockRedis = producerConnection(redis.target);
  lockRedis.on('error', () => {});
  const prefix = overrides.redisPrefix ?? 'kehila';
  const firstUse = firstUses(lockRedis, prefix);
  const ports = await composePorts({ config, overrides, mutex: redisMutex(lockRedis), logger });
  const { calendar, cards, slack, mail, groups, slackSdk, slackClient } = ports;
  if (calendar.configured) logger.info({ calendar: config.GOOGLE_CALENDAR_ID }, 'Google Calendar on');

  // Every role signs links: the web pages check them, the workers put them in e-mails.
  const links = { secret: await installationSecret(db, 'signed-links'), days: config.APPLICANT_LINK_DAYS };
  const pipeline = await startPipeline({
    target: redis.target,
    prefix: overrides.redisPrefix ?? 'kehila',
    workers: options.role !== 'web',
    ...(overrides.reconcileEveryMs ? { reconcileEveryMs: overrides.reconcileEveryMs } : {}),
    ...(overrides.lockDurationMs ? { lockDurationMs: overrides.lockDurationMs } : {}),
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
      ...(overrides.stuckAfterMs ? { stuckAfterMs: overrides.stuckAfterMs } : {}),
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
    if (slackSdk && config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN)) {
      const { createSlackApp, slackReviewDeps, registerCheckinListeners } = slackSdk;
      const slackWeb =
        slackClient ??
        slackSdk.createSlackWebClient({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL });
      const firstSeen = (key: string) => firstUse('slack', key, SEEN_TTL_MS);
      // Socket Mode carries events, clicks and views to the same listeners; /slack/events is then not served.
      socket = config.SLACK_APP_TOKEN
        ? new (await import('./slack/socket-receiver.ts')).SocketReceiver({
            appToken: config.SLACK_APP_TOKEN,
            slackApiUrl: config.SLACK_API_URL,
            clock,
            logger,
            firstSeen,
          })
        : undefined;
      const slackOptions = {
        token: config.SLACK_BOT_TOKEN,
        client: slackWeb,
        slackApiUrl: config.SLACK_API_URL,
        clock,
        logger,
        publicUrl: config.publicUrl,
        teamId: config.SLACK_TEAM_ID,
        appId: config.SLACK_APP_ID,
        firstSeen,
        review: slackReviewDeps(deps, logger),
        homeSections: [leadHomeSection(deps)],
      };
      const {
        app: bolt,
        receiver,
        publishHome,
      } = socket
        ? createSlackApp({ ...slackOptions, receiver: socket })
        : createSlackApp({ ...slackOptions, signingSecret: config.SLACK_SIGNING_SECRET as string });
      registerCheckinListeners(bolt, { ctx: deps, client: slackWeb, publishHome });
      if (socket) {
        // Start-up does not wait for Slack; the client retries apps.connections.open on its own.
        socket.start().catch((error: unknown) => {
          logger.error({ err: (error as Error).message }, 'Slack Socket Mode could not connect');
        });
        logger.info({}, 'Slack on (Socket Mode)');
      } else if ('routes' in receiver) {
        mounts.push({ path: '/slack', app: receiver.routes() });
        logger.info({}, 'Slack on (HTTP events at /slack/events)');
      }
    }
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
      limits: overrides.limits ?? intakeLimits(lockRedis, prefix),
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
