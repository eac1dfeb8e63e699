// A server process for the benchmark: either a bare Hono route (the baseline) or the real service in its
// web role. It prints its port on stdout and runs until killed.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pino from 'pino';
import { parseConfig } from '../src/config.ts';
import { startService } from '../src/service.ts';
import { openDatabase } from '../src/storage/db.ts';

const mode = process.argv[2] ?? 'bare';

if (mode === 'bare') {
  const app = new Hono();
  app.post('/bare', async (c) => c.json({ ok: true, size: (await c.req.text()).length }, 201));
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`PORT ${info.port}`));
} else {
  const config = parseConfig({
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: process.env.BENCH_DATA_DIR ?? './data/bench',
    REDIS_URL: process.env.BENCH_REDIS_URL,
    // The production limiter stays in the path, counting in Redis; only its limits are out of the load's way.
    INTAKE_SUBMISSIONS_PER_ADDRESS: String(1e9),
    INTAKE_SUBMISSIONS_PER_EMAIL: String(1e9),
  });
  const service = await startService({
    config,
    logger: pino({ level: 'warn' }),
    settings: {},
    role: 'web',
    overrides: {
      redisPrefix: process.env.BENCH_PREFIX ?? 'bench',
      ...(mode === 'postgres'
        ? {
            database: await openDatabase({
              url: process.env.BENCH_DATABASE_URL,
              schema: process.env.BENCH_SCHEMA ?? 'public',
            }),
          }
        : {}),
    },
  });
  console.log(`PORT ${service.port}`);
}
