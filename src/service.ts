import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { sql } from 'kysely';
import { loadWorkflows } from '../workflows/index.ts';
import type { Config } from './config.ts';
import { createApp } from './http/app.tsx';
import { formTokens } from './http/form-token.ts';
import { memoryRateLimiter } from './http/rate-limit.ts';
import type { AppLogger } from './logger.ts';
import { openDatabase } from './storage/db.ts';
import { installationSecret } from './storage/secrets.ts';
import { submitApplication } from './usecases/submit-application.ts';

export interface ServiceOptions {
  config: Config;
  logger: AppLogger;
  settings: unknown;
  role: 'all' | 'web' | 'worker';
  clock?: () => Date;
}

export interface RunningService {
  port: number;
  stop(): Promise<void>;
}

/** Wires every dependency once, from the config, and starts the roles asked for. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const workflows = loadWorkflows(options.settings);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  logger.info({ database: database.kind, cohorts: [...workflows.cohorts.keys()] }, 'database ready');
  const db = database.db;

  let server: ServerType | undefined;
  let port = 0;
  if (options.role !== 'worker') {
    const secret = config.FORM_SECRET ?? (await installationSecret(db, 'form-token'));
    const app = createApp({
      workflows,
      publicUrl: config.publicUrl,
      clock,
      formTokens: formTokens(secret),
      limits: {
        ip: memoryRateLimiter({ limit: 30, windowMs: 10 * 60_000 }),
        email: memoryRateLimiter({ limit: 5, windowMs: 60 * 60_000 }),
      },
      clientIp: clientIpFrom(config.TRUST_PROXY),
      submit: (req) => submitApplication({ db, workflows, clock }, req),
      readiness: async () => ({
        database: await sql`select 1`.execute(db).then(
          () => true,
          () => false,
        ),
      }),
      logger,
    });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: config.PORT, hostname: '0.0.0.0' }, (info) => {
        port = info.port;
        resolve(s);
      });
    });
    logger.info({ port, url: `${config.publicUrl}/apply` }, 'web listening');
  }

  return {
    port,
    async stop() {
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      await database.close();
    },
  };
}

/** Behind a trusted proxy the first X-Forwarded-For hop is the client; otherwise the socket's address. */
function clientIpFrom(trustProxy: boolean) {
  return (c: Context): string => {
    if (trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
}
