import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { memoryMailer } from '../integrations/mail/index.ts';
import { startPipeline } from '../src/jobs/pipeline.ts';
import type { CalendarPort, ReviewCardPort, SlackPort } from '../src/ports.ts';
import { openDatabase } from '../src/storage/db.ts';
import { castVote } from '../src/usecases/review.ts';
import { createdBody, submitApplication } from '../src/usecases/submit-application.ts';
import { recordingCalendar, recordingCards, recordingSlack } from '../test/helpers/fakes.ts';
import { reviewSettings } from '../test/helpers/pipeline.ts';
import { loadWorkflows } from '../workflows/index.ts';
import { percentile, type Row } from './util.ts';

const LATENCY_MS = 25;
const APPLICATIONS = 50;

/** Wraps every method of a port so each call takes a fixed time, like a remote API would. */
function slow<T extends object>(port: T, ms: number): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, ms));
        return value.apply(target, args);
      };
    },
  });
}

/** Submit → review card and approve → onboarded (5 meetings, 3 channels) through the real queues. */
export async function benchPipeline(env: { databaseUrl: string; redisUrl: string }): Promise<Row[]> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ url: env.databaseUrl, schema });
  const workflows = loadWorkflows(reviewSettings());
  const calendar = slow(recordingCalendar(), LATENCY_MS) as CalendarPort;
  const slack = slow(recordingSlack(), LATENCY_MS) as SlackPort;
  const cards = slow(recordingCards(), LATENCY_MS) as ReviewCardPort;
  const pipeline = await startPipeline({
    target: { url: env.redisUrl },
    prefix: `bench${schema}`,
    workers: true,
    relayPollMs: 200,
    context: {
      db: database.db,
      workflows,
      clock: () => new Date(),
      publicUrl: 'http://localhost:3000',
      logger: pino({ level: 'silent' }),
      mail: slow(memoryMailer(), LATENCY_MS),
      calendar,
      slack,
      cards,
    },
  });
  const reviewCtx = {
    db: database.db,
    workflows,
    clock: () => new Date(),
    publicUrl: '',
    poke: pipeline.relay.poke,
  };
  const eventAt = async (id: string, type: string) => {
    for (let i = 0; i < 600; i++) {
      const e = await database.db
        .selectFrom('application_events')
        .select('at')
        .where('application_id', '=', id)
        .where('type', '=', type)
        .executeTakeFirst();
      if (e) return new Date(e.at).getTime();
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${type} never happened for ${id}`);
  };

  const toCard: number[] = [];
  const toOnboarded: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < APPLICATIONS; i++) {
    const body = createdBody(
      await submitApplication(
        { db: database.db, workflows, clock: () => new Date() },
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
    await new Promise((r) => setTimeout(r, 40));
  }
  for (const id of ids) toCard.push((await eventAt(id, 'card_posted')) - (await eventAt(id, 'submitted')));
  for (const id of ids) {
    await castVote(reviewCtx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve' });
    await castVote(reviewCtx, { applicationId: id, reviewer: { slackId: 'URINA0001' }, vote: 'approve' });
    await new Promise((r) => setTimeout(r, 40));
  }
  for (const id of ids)
    toOnboarded.push((await eventAt(id, 'status_onboarded')) - (await eventAt(id, 'decided')));

  for (const q of Object.values(pipeline.queues.queues)) await q.obliterate({ force: true }).catch(() => {});
  await pipeline.stop();
  await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
  await database.close();
  const section = 'pipeline';
  return [
    {
      section,
      name: `submit → review card posted (fake Slack ${LATENCY_MS} ms/call)`,
      value: percentile(toCard, 50),
      unit: `ms p50 (p95 ${percentile(toCard, 95)} ms)`,
    },
    {
      section,
      name: `approve → onboarded: 5 meetings, 3 channels, notice (fakes ${LATENCY_MS} ms/call)`,
      value: percentile(toOnboarded, 50),
      unit: `ms p50 (p95 ${percentile(toOnboarded, 95)} ms)`,
      baseline: { name: 'sum of the fake calls on the critical path', value: LATENCY_MS * 12 },
    },
  ];
}
