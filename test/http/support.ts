import type { Hono } from 'hono';
import { type AppDeps, type AppEnv, createApp, type Logger } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { manualClock } from '../helpers/app.ts';

export interface BuiltApp {
  app: Hono<AppEnv>;
  database: OpenedDatabase;
  clock: ReturnType<typeof manualClock>;
  logs: object[];
  close(): Promise<void>;
}

/** The real app over PGlite in memory with a hand-moved clock; any dependency can be replaced. */
export async function buildApp(overrides: (ctx: BuiltAppContext) => Partial<AppDeps> = () => ({})) {
  const database = await openDatabase({ dataDir: 'memory' });
  const workflows = loadWorkflows();
  const clock = manualClock();
  const logs: object[] = [];
  const logger: Logger = {
    info: (o) => logs.push(o),
    warn: (o) => logs.push(o),
    error: (o) => logs.push(o),
  };
  const ctx = { database, workflows, clock, logger };
  const app = createApp({
    workflows,
    publicUrl: 'http://localhost:3000',
    clock: clock.now,
    formTokens: formTokens('a-test-secret-of-enough-length'),
    limits: {
      ip: memoryRateLimiter({ limit: 1000, windowMs: 60_000 }),
      email: memoryRateLimiter({ limit: 1000, windowMs: 60_000 }),
    },
    clientIp: () => '203.0.113.1',
    submit: (req) => submitApplication({ db: database.db, workflows, clock: clock.now }, req),
    readiness: async () => ({ database: true }),
    logger,
    ...overrides(ctx),
  });
  return { app, database, clock, logs, close: () => database.close() } satisfies BuiltApp;
}

export interface BuiltAppContext {
  database: OpenedDatabase;
  workflows: ReturnType<typeof loadWorkflows>;
  clock: ReturnType<typeof manualClock>;
  logger: Logger;
}
