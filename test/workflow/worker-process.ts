// A worker process for the kill test: the real pipeline workers over PostgreSQL and Redis, e-mail written
// as files. The test SIGKILLs it at random moments and starts another.
import pino from 'pino';
import { createMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noCards, noSlack } from '../../integrations/noop.ts';
import { startPipeline } from '../../src/jobs/pipeline.ts';
import { openDatabase } from '../../src/storage/db.ts';
import { loadWorkflows } from '../../workflows/index.ts';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const database = await openDatabase({
  url: env('KILL_DATABASE_URL'),
  schema: env('KILL_SCHEMA'),
  poolSize: 4,
});
await startPipeline({
  target: { url: env('KILL_REDIS_URL') },
  prefix: env('KILL_PREFIX'),
  workers: true,
  relayPollMs: 100,
  reconcileEveryMs: 1000,
  lockDurationMs: 2000,
  jobOptions: { backoff: { type: 'fixed', delay: 50, jitter: 0 } as never, attempts: 20 },
  context: {
    db: database.db,
    workflows: loadWorkflows(JSON.parse(env('KILL_SETTINGS'))),
    clock: () => new Date(Date.now() + Number(process.env.KILL_CLOCK_OFFSET_MS ?? 0)),
    publicUrl: 'http://localhost:3000',
    calendar: noCalendar,
    slack: noSlack,
    cards: noCards,
    logger: pino({ level: 'silent' }),
    mail: createMailer({ from: 'kehila <no-reply@localhost>', outboxDir: env('KILL_OUTBOX') }),
  },
});
process.send?.('ready');
