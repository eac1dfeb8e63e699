import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { memoryMailer } from '../integrations/mail/index.ts';
import { startPipeline } from '../src/jobs/pipeline.ts';
import { openDatabase } from '../src/storage/db.ts';
import { castVote } from '../src/usecases/review.ts';
import { createdBody, submitApplication } from '../src/usecases/submit-application.ts';
import { recordingCalendar, recordingCards, recordingSlack } from '../test/helpers/fakes.ts';
import { reviewSettings } from '../test/helpers/pipeline.ts';
import { startPrivateRedis } from '../test/helpers/redis-server.ts';
import { loadWorkflows } from '../workflows/index.ts';
import { type Row, round } from './util.ts';

const APPLICATIONS = 100;
const IDLE_MS = 5000;

/** What Redis has executed so far, the commands inside scripts included: in all, and by command. */
async function redisCounts(admin: Redis): Promise<{ sent: number; by: Map<string, number> }> {
  const stats = await admin.info('stats');
  const sent = Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0);
  const commandstats = await admin.info('commandstats');
  const by = new Map<string, number>();
  for (const m of commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    by.set(m[1] ?? '', Number(m[2]));
  }
  return { sent, by };
}

/** The commands called most between two looks, per submission. */
function busiest(from: Map<string, number>, to: Map<string, number>, n: number): string {
  return [...to]
    .map(([name, calls]) => [name, calls - (from.get(name) ?? 0)] as const)
    .filter(([name]) => name !== 'info')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, calls]) => `${name} ${round(calls / n, 1)}`)
    .join(', ');
}

/**
 * The Redis commands and PostgreSQL statements one submission costs from the form to onboarded (card, two
 * votes, 5 meetings, 3 channels, two notices), counted where they happen: PostgreSQL statements at the pg
 * driver (each query a client sends, BEGIN and COMMIT included), Redis commands by the server of its own
 * (a private redis-server's INFO). An idle stretch of the same pipeline first gives what the timers cost
 * with nothing to do (workers' blocking waits, stalled checks, the relay's poll), so it can be taken off.
 */
export async function benchCosts(env: { databaseUrl: string }): Promise<Row[]> {
  const redis = await startPrivateRedis();
  const admin = new Redis(redis.url, { protocol: 2 });
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ url: env.databaseUrl, schema });
  const watcher = new pg.Client({ connectionString: env.databaseUrl, options: `-c search_path=${schema}` });
  await watcher.connect();
  let statements = 0;
  let commits = 0;
  const inTransaction = new WeakSet<pg.Client>();
  const query = pg.Client.prototype.query;
  // Counted at the client too: every command an ioredis connection writes (BullMQ's scripts are one
  // EVALSHA each; a pipeline's commands count one by one, though they share a round trip).
  const sent = new Map<string, number>();
  const sendCommand = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function (this: Redis, command, stream) {
    if (this !== admin) sent.set(command.name, (sent.get(command.name) ?? 0) + 1);
    return sendCommand.call(this, command, stream);
  };
  const sentTotal = () => [...sent.values()].reduce((a, b) => a + b, 0);
  // Counted at the driver: every statement a pool client sends (the watcher's own are not the pipeline's).
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (this !== watcher) {
      statements++;
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      // A commit is what the disk pays for (a WAL flush each): every COMMIT, and every write sent outside
      // a transaction, which commits alone.
      if (text && /^\s*begin\b/i.test(text)) inTransaction.add(this);
      else if (text && /^\s*(commit|rollback)\b/i.test(text)) {
        inTransaction.delete(this);
        if (/^\s*commit/i.test(text)) commits++;
      } else if (text && !inTransaction.has(this) && /\b(insert|update|delete)\b/i.test(text)) commits++;
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const workflows = loadWorkflows(reviewSettings());
  const clock = () => new Date();
  const pipeline = await startPipeline({
    target: { url: redis.url },
    prefix: 'costs',
    workers: true,
    context: {
      db: database.db,
      workflows,
      clock,
      publicUrl: 'http://localhost:3000',
      logger: pino({ level: 'silent' }),
      mail: memoryMailer(),
      calendar: recordingCalendar(),
      slack: recordingSlack(),
      cards: recordingCards(),
    },
  });
  const countOf = async (where: string) =>
    Number((await watcher.query(`SELECT count(*) AS n FROM applications WHERE ${where}`)).rows[0]?.n ?? 0);
  const until = async (what: string, done: () => Promise<boolean>) => {
    for (let i = 0; i < 1200; i++) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`costs: ${what} never happened`);
  };
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const counts = async () => ({
      ...(await redisCounts(admin)),
      client: sentTotal(),
      statements,
      commits,
      at: Date.now(),
    });
    const idleFrom = await counts();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleTo = await counts();
    // Each look at Redis is two INFO commands of its own.
    const perMs = {
      client: (idleTo.client - idleFrom.client) / (idleTo.at - idleFrom.at),
      sent: (idleTo.sent - idleFrom.sent - 2) / (idleTo.at - idleFrom.at),
      statements: (idleTo.statements - idleFrom.statements) / (idleTo.at - idleFrom.at),
      commits: (idleTo.commits - idleFrom.commits) / (idleTo.at - idleFrom.at),
    };

    const from = { ...(await counts()), sentBy: new Map(sent) };
    const ids: string[] = [];
    for (let i = 0; i < APPLICATIONS; i++) {
      const body = createdBody(
        await submitApplication(
          { db: database.db, workflows, clock },
          {
            cohortId: 'leading-team-2027',
            source: 'api',
            body: {
              fullName: 'נועה כהן',
              email: `p${i}-${schema}@example.org`,
              phone: '050-7234567',
              organisation: 'עיריית ירוחם',
              roleTitle: 'מנהלת',
              sector: 'local-authority',
              region: 'south',
              motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
              confirmedMeetings: ['opening-day', 'online-1', 'online-2', 'online-3', 'closing-day'],
              consent: true,
            },
          },
        ),
      );
      pipeline.relay.poke();
      ids.push(body.id);
    }
    await until('every card', async () => (await countOf('card_ts IS NOT NULL')) === APPLICATIONS);
    const reviewCtx = { db: database.db, workflows, clock, publicUrl: '', poke: pipeline.relay.poke };
    for (const id of ids) {
      await castVote(reviewCtx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' });
      await castVote(reviewCtx, { applicationId: id, reviewer: { slackId: 'URINA0001' }, vote: 'approve' });
    }
    await until('everyone onboarded', async () => (await countOf(`status = 'onboarded'`)) === APPLICATIONS);
    const to = { ...(await counts()), sentBy: new Map(sent) };
    const ms = to.at - from.at;
    const per = (total: number, idle: number) => round((total - idle * ms) / APPLICATIONS, 1);
    const section = 'costs';
    const note = `per submission, form → onboarded, ${APPLICATIONS} in ${round(ms / 1000, 1)} s`;
    return [
      {
        section,
        name: `PostgreSQL statements at the driver, ${note}`,
        value: per(to.statements - from.statements, perMs.statements),
        unit: `statements (idle pipeline: ${round(perMs.statements * 1000, 1)}/s, taken off)`,
      },
      {
        section,
        name: `PostgreSQL transactions committed (COMMIT sent), ${note}`,
        value: per(to.commits - from.commits, perMs.commits),
        unit: 'commits (COMMITs and writes sent outside a transaction)',
      },
      {
        section,
        name: `Redis commands our clients sent (a script is one EVALSHA), ${note}`,
        value: per(to.client - from.client, perMs.client),
        unit: `commands (idle: ${round(perMs.client * 1000, 1)}/s, taken off; most sent: ${busiest(from.sentBy, to.sentBy, APPLICATIONS)})`,
      },
      {
        section,
        name: `Redis commands the server ran, those inside scripts included, ${note}`,
        value: per(to.sent - from.sent - 2, perMs.sent),
        unit: `commands (idle: ${round(perMs.sent * 1000, 1)}/s, taken off; most run: ${busiest(from.by, to.by, APPLICATIONS)})`,
      },
    ];
  } finally {
    pg.Client.prototype.query = query;
    Redis.prototype.sendCommand = sendCommand;
    await pipeline.stop();
    await watcher.end();
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
    await database.close();
    admin.disconnect();
    await redis.stop();
  }
}
