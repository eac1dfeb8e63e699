import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackCheckins } from '../../integrations/slack/checkins.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import type { CheckinContext } from '../../src/checkins/context.ts';
import { openRound, sendReminders } from '../../src/checkins/rounds.ts';
import { weekOf } from '../../src/checkins/schedule.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';

const CLIENT_TIMEOUT_MS = 300;

let database: OpenedDatabase;
let fake: SlackFake;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory' });
  fake = await startSlackFake();
});
afterAll(async () => {
  await fake.close();
  await database.close();
});

/** One line, one lead per test, and a week of its own, so rounds of one test are not another's. */
function setup(sunday: string, lead: string) {
  const id = 'negev-partnership';
  const workflows = loadWorkflows({
    programmes: {
      [id]: {
        leadershipChannel: 'CLEADERS',
        actionLines: [{ id: `${id}-line`, name: 'בנות במדע', leads: [lead] }],
      },
    },
  });
  const programme = workflows.programmes.get(id)!;
  let now = new Date(`${sunday}T08:00:00Z`);
  const client = createSlackWebClient({
    token: 'xoxb-t',
    slackApiUrl: fake.url,
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
  const ctx: CheckinContext = {
    db: database.db,
    workflows,
    clock: () => now,
    slack: slackCheckins(client, { paceMs: 0 }),
    logger: pino({ level: 'silent' }),
  };
  const week = weekOf(programme, now);
  const dms = (kind: 'prompt' | 'reminder') =>
    fake.messages.filter(
      (m) => m.metadata?.event_type === `kehila_checkin_${kind}` || (m.channel === lead && kind === 'prompt'),
    );
  const posts = () => fake.calls.filter((c) => c.method === 'chat.postMessage').length;
  return { ctx, programme, week, dms, posts, setNow: (at: Date) => (now = at) };
}

describe('a check-in DM whose answer is lost', () => {
  it('is found by its metadata at the next tick and not sent again, when Slack took it but answered too late', async () => {
    const s = setup('2027-06-13', 'ULATE0001');
    const before = s.posts();
    fake.fail('chat.postMessage', 1, { lateMs: CLIENT_TIMEOUT_MS * 4 });
    await expect(openRound(s.ctx, s.programme, s.week)).rejects.toMatchObject({ code: 'unavailable' });
    expect(s.dms('prompt')).toHaveLength(1);

    const round = await openRound(s.ctx, s.programme, s.week);
    expect(s.posts() - before).toBe(1);
    expect(s.dms('prompt')).toHaveLength(1);
    const prompt = await database.db
      .selectFrom('checkin_prompts')
      .selectAll()
      .where('round_id', '=', round.id)
      .executeTakeFirstOrThrow();
    expect(prompt).toMatchObject({ dm_channel: 'DULATE0001', dm_ts: s.dms('prompt')[0]?.ts });
    // What the history was asked for: metadata, which Slack leaves out unless asked.
    const read = fake.calls.find(
      (c) => c.method === 'conversations.history' && c.args.channel === 'DULATE0001',
    );
    expect(read?.args.include_all_metadata).toBe('true');

    s.setNow(s.week.reminderAt);
    fake.fail('chat.postMessage', 1, { drop: true });
    await expect(sendReminders(s.ctx, s.programme, round.id)).rejects.toMatchObject({ code: 'unavailable' });
    expect(s.dms('reminder')).toHaveLength(1);
    expect(await sendReminders(s.ctx, s.programme, round.id)).toBe(1);
    expect(s.dms('reminder')).toHaveLength(1);
    expect(s.dms('prompt')).toHaveLength(1);
  });

  it('sends a reminder Slack refused at the next tick, once', async () => {
    const s = setup('2027-06-20', 'UREFUSED1');
    const round = await openRound(s.ctx, s.programme, s.week);
    s.setNow(s.week.reminderAt);
    fake.fail('chat.postMessage', 1, { status: 500 });
    await expect(sendReminders(s.ctx, s.programme, round.id)).rejects.toMatchObject({ code: 'unavailable' });
    expect(s.dms('reminder').filter((m) => m.channel === 'DUREFUSED1')).toHaveLength(0);
    expect(await sendReminders(s.ctx, s.programme, round.id)).toBe(1);
    expect(await sendReminders(s.ctx, s.programme, round.id)).toBe(0);
    expect(s.dms('reminder').filter((m) => m.channel === 'DUREFUSED1')).toHaveLength(1);
  });
});
