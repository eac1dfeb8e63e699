import type { Queue } from 'bullmq';
import type { Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Workflows } from '../workflows/index.ts';
import type { Config } from './config.ts';
import type { AppEnv, Logger } from './http/deps.ts';
import { type AdminApiDeps, adminApi } from './http/routes/admin-api.ts';
import { adminCohorts } from './http/routes/admin-cohorts.tsx';
import { type AdminPagesDeps, adminPages } from './http/routes/admin-pages.tsx';
import type { Metrics } from './http/routes/metrics.ts';
import { metricsRoute } from './http/routes/metrics.ts';
import { type OidcProvider, oidcRoutes } from './http/routes/oidc.tsx';
import { signInRoutes } from './http/routes/signin.tsx';
import type { SignInLimits } from './http/signin-limits.ts';
import type { Database } from './storage/schema.ts';
import type { StaffContext } from './usecases/staff-sessions.ts';

export interface AdminMountDeps {
  config: Config;
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  sessions: StaffContext;
  poke: () => void;
  metrics: Metrics;
  queues: Queue[];
  privacy: Pick<AdminPagesDeps, 'calendar' | 'slack' | 'mail' | 'removeJobs'>;
  checkins?: AdminApiDeps['checkins'];
  logger: Logger;
  /** Sign-in and token limits (kept in Redis by the service, failing closed). */
  limits: SignInLimits;
  clientIp: (c: Context) => string;
  /** Plain-http sign-in issuers, for a test's provider on loopback. */
  allowInsecureSignIn?: boolean;
}

/** The sign-in providers the config sets up, Slack first. */
export function signInProviders(config: Config): OidcProvider[] {
  const providers: OidcProvider[] = [];
  if (config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET) {
    providers.push({
      id: 'slack',
      label: 'Slack',
      issuer: config.SLACK_OIDC_ISSUER,
      clientId: config.SLACK_CLIENT_ID,
      clientSecret: config.SLACK_CLIENT_SECRET,
    });
  }
  if (config.GOOGLE_SIGNIN_CLIENT_ID && config.GOOGLE_SIGNIN_CLIENT_SECRET) {
    providers.push({
      id: 'google',
      label: 'Google',
      issuer: config.GOOGLE_OIDC_ISSUER,
      clientId: config.GOOGLE_SIGNIN_CLIENT_ID,
      clientSecret: config.GOOGLE_SIGNIN_CLIENT_SECRET,
    });
  }
  return providers;
}

/**
 * Everything under /admin and /metrics. Sign-in comes first, since every other /admin route is behind the
 * staff gate; the JSON API is there only with ADMIN_TOKEN, as the `api-token` identity.
 */
export async function adminMounts(deps: AdminMountDeps): Promise<{ path: string; app: Hono<AppEnv> }[]> {
  const { config, db, workflows, clock, sessions, poke, limits, clientIp } = deps;
  const publicUrl = config.publicUrl;
  const mounts: { path: string; app: Hono<AppEnv> }[] = [];
  const providers = signInProviders(config);
  const oidc =
    providers.length > 0
      ? oidcRoutes({
          providers,
          sessions,
          publicUrl,
          logger: deps.logger,
          limits,
          clientIp,
          ...(deps.allowInsecureSignIn ? { allowInsecureRequests: true } : {}),
        })
      : undefined;
  // The bearer API first: the sign-in and dashboard apps mounted at /admin guard every path below it with
  // their cookie and CSRF checks, which a machine calling with a token neither has nor needs.
  if (config.ADMIN_TOKEN) {
    mounts.push({
      path: '/admin/api',
      app: adminApi({
        db,
        workflows,
        clock,
        publicUrl,
        token: config.ADMIN_TOKEN,
        tokenFailures: limits.token,
        clientIp,
        poke,
        ...(deps.checkins ? { checkins: deps.checkins } : {}),
      }),
    });
  }
  mounts.push({
    path: '/admin',
    app: signInRoutes({ sessions, publicUrl, providers: oidc, limits, clientIp }),
  });
  const { queueBoard } = await import('./http/routes/queue-board.ts');
  mounts.push({ path: '/admin/queues', app: queueBoard({ queues: deps.queues, sessions, publicUrl }) });
  mounts.push({ path: '/admin/cohorts', app: adminCohorts({ db, workflows, clock, sessions, publicUrl }) });
  mounts.push({
    path: '/admin',
    app: adminPages({ db, workflows, clock, sessions, publicUrl, poke, ...deps.privacy }),
  });
  mounts.push({
    path: '/metrics',
    app: metricsRoute(deps.metrics, {
      public: config.METRICS_PUBLIC,
      token: config.ADMIN_TOKEN,
      sessions,
      tokenFailures: limits.token,
      clientIp,
    }),
  });
  return mounts;
}
