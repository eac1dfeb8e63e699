// One process of the chaos run: the real service in the web or worker role, configured from the
// environment the chaos driver sets, against shared PostgreSQL and Redis and the driver's fakes.
import pino from 'pino';
import { parseConfig } from '../src/config.ts';
import { memoryRateLimiter } from '../src/http/rate-limit.ts';
import { startService } from '../src/service.ts';
import { openDatabase } from '../src/storage/db.ts';

const role = process.argv[2] === 'worker' ? 'worker' : 'web';
// A spare has loaded its code and waits for the driver's word, so a killed worker is replaced at once.
if (process.argv[3] === 'spare') {
  console.log('LOADED');
  await new Promise((resolve) => process.once('message', resolve));
}
const config = parseConfig(process.env);
const database = await openDatabase({
  url: config.DATABASE_URL,
  schema: process.env.CHAOS_SCHEMA ?? 'public',
  poolSize: 8,
});
const unlimited = memoryRateLimiter({ limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 });
const service = await startService({
  config,
  logger: pino({ level: 'warn' }),
  settings: JSON.parse(process.env.CHAOS_SETTINGS ?? '{}'),
  role,
  overrides: {
    database,
    redisPrefix: process.env.CHAOS_PREFIX ?? 'chaos',
    limits: { ip: unlimited, email: unlimited },
    // The fake has no per-channel limit; pacing has its own test and would make 10,000 cards take hours.
    cardPaceMs: 0,
  },
});
// The driver tells this worker's jobs by their lock tokens, which start with the ids of its workers.
console.log(`READY ${role} ${service.port} ${service.pipeline.workerIds.join(',') || '-'}`);
