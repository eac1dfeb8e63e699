import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { slackCheckins } from '../integrations/slack/checkins.ts';
import { createSlackWebClient } from '../integrations/slack/web-client.ts';
import { openRound } from '../src/checkins/rounds.ts';
import { weekOf } from '../src/checkins/schedule.ts';
import { openDatabase } from '../src/storage/db.ts';
import { startSlackFake } from '../test/fakes/slack.ts';
import { loadWorkflows } from '../workflows/index.ts';
import { type Row, round } from './util.ts';

const LEADS = 1000;
const LATENCY_MS = 10;
/** The fake's workspace-wide chat.postMessage limit; Slack does not publish its own figure. */
const LIMIT_PER_SECOND = 50;

/**
 * One weekly round for 1,000 leads through the real Web API client against a fake Slack that answers in
 * 10 ms and allows 50 messages a second across the workspace (429 + Retry-After past it). The floor is what
 * the limit alone permits: 1,000 / 50 = 20 s.
 */
export async function benchCheckins(env: { databaseUrl: string }): Promise<Row[]> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ url: env.databaseUrl, schema });
  const lines = Array.from({ length: LEADS / 10 }, (_, i) => ({
    id: `line-${i}`,
    name: `קו פעולה ${i}`,
    leads: Array.from({ length: 10 }, (_, j) => `U${String(i * 10 + j).padStart(6, '0')}`),
  }));
  const workflows = loadWorkflows({
    programmes: { 'negev-partnership': { leadershipChannel: 'CLEADERS', actionLines: lines } },
  });
  const programme = workflows.programmes.get('negev-partnership');
  if (!programme) throw new Error('no programme');
  const fake = await startSlackFake();
  fake.latencyMs = LATENCY_MS;
  fake.postLimitPerSecond = LIMIT_PER_SECOND;
  const slack = slackCheckins(createSlackWebClient({ token: 'xoxb-bench', slackApiUrl: fake.url }));
  const ctx = {
    db: database.db,
    workflows,
    clock: () => new Date(),
    slack,
    logger: pino({ level: 'silent' }),
  };
  const started = performance.now();
  await openRound(ctx, programme, weekOf(programme, new Date()));
  const seconds = (performance.now() - started) / 1000;
  const prompted = Number(
    (
      await database.db
        .selectFrom('checkin_prompts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('dm_ts', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const delivered = new Set(fake.messages.map((m) => m.channel)).size;
  const limited = fake.calls.filter((c) => c.method === 'chat.postMessage').length - fake.messages.length;
  await fake.close();
  await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
  await database.close();
  if (prompted !== LEADS || delivered !== LEADS || fake.messages.length !== LEADS) {
    throw new Error(
      `round incomplete: ${prompted} prompted, ${fake.messages.length} messages to ${delivered} leads`,
    );
  }
  return [
    {
      section: 'checkins',
      name: `round for ${LEADS} leads (fake Slack ${LATENCY_MS} ms, ${LIMIT_PER_SECOND} msg/s workspace limit)`,
      value: round(seconds, 1),
      unit: `s (${round(LEADS / seconds, 1)} prompts/s, ${limited} answered 429, each lead once)`,
      baseline: { name: 'rate-limit floor, 1,000 / 50 per s', value: LEADS / LIMIT_PER_SECOND },
    },
  ];
}
