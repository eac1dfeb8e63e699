import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { slackCheckins } from '../../integrations/slack/checkins.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { recordAnswer } from '../../src/checkins/answers.ts';
import type { CheckinContext } from '../../src/checkins/context.ts';
import { tick } from '../../src/checkins/rounds.ts';
import { summariesDue, weekOf } from '../../src/checkins/schedule.ts';
import { AppError } from '../../src/domain/errors.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { loadWorkflows, type Workflows } from '../../workflows/index.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { backends } from '../helpers/backends.ts';

const PROGRAMME = 'negev-partnership';

function workflowsWith(overrides: Record<string, unknown> = {}): Workflows {
  return loadWorkflows({
    programmes: {
      [PROGRAMME]: {
        leadershipChannel: 'CLEADERS',
        actionLines: [
          { id: 'math', name: 'מצוינות במתמטיקה', leads: ['ULEAD1'] },
          { id: 'girls', name: 'בנות במדע', leads: ['ULEAD2'] },
        ],
        ...overrides,
      },
    },
  });
}

const localHour = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Jerusalem',
  weekday: 'short',
  hour: '2-digit',
  hourCycle: 'h23',
});

interface Sent {
  channel: string;
  text: string;
  blocks: { type: string; elements?: { text: string }[] }[];
  /** The injected clock when the message reached Slack. */
  at: Date;
}

/**
 * A tick as the BullMQ job runs it (three attempts): a retryable failure, such as a kept-alive connection
 * the fake closed while the injected clock skipped quiet weeks, is tried again within the same hour.
 */
async function tickAsJob(ctx: CheckinContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tick(ctx);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof AppError && error.retryable)) throw error;
    }
  }
}

/**
 * Three scheduler processes, each with its own Slack client and (on PostgreSQL) its own connection pool, tick
 * together every hour of the injected clock. ULEAD1 answers every round that opens on Sunday at noon.
 */
async function runCalendar(opts: {
  database: OpenedDatabase & { url?: string; schema?: string };
  workflows: Workflows;
  from: string;
  to: string;
  /** While the service is down nothing ticks. */
  down?: { from: string; to: string };
}): Promise<{ sent: Sent[]; rounds: { week: string; status: string; skip_reason: string | null }[] }> {
  const fake: SlackFake = await startSlackFake();
  const { database, workflows } = opts;
  const { url, schema } = database;
  const pools =
    url && schema
      ? await Promise.all([1, 2].map(() => openDatabase({ url, schema, poolSize: 4 })))
      : [database, database];
  let now = new Date(opts.from);
  const clock = () => now;
  const sentAt = new Map<string, Date>();
  const processes: CheckinContext[] = [database, ...pools].map((db) => {
    const port = slackCheckins(createSlackWebClient({ token: 'xoxb-t', slackApiUrl: fake.url }), {
      paceMs: 0,
    });
    return {
      db: db.db,
      workflows,
      clock,
      logger: pino({ level: 'silent' }),
      slack: {
        async dm(user, message) {
          const r = await port.dm(user, message);
          sentAt.set(r.ts, clock());
          return r;
        },
        async post(channel, message, thread) {
          const r = await port.post(channel, message, thread);
          sentAt.set(r.ts, clock());
          return r;
        },
      },
    };
  });
  const programme = workflows.programmes.get(PROGRAMME)!;
  try {
    const down = opts.down && { from: new Date(opts.down.from), to: new Date(opts.down.to) };
    while (now < new Date(opts.to)) {
      if (down && now >= down.from && now < down.to) {
        now = new Date(now.getTime() + 3_600_000);
        continue;
      }
      await Promise.all(processes.map(tickAsJob));
      if (localHour.format(now) === 'Sun, 12') {
        const round = await database.db
          .selectFrom('checkin_rounds')
          .select(['id', 'status'])
          .where('week', '=', weekOf(programme, now).key)
          .executeTakeFirst();
        if (round?.status === 'open') {
          const answer = { progress: 'התקדמנו', nextSteps: 'להמשיך', blockers: '', helpNeeded: '' };
          const saved = await recordAnswer(processes[0]!, {
            roundId: round.id,
            actionLine: 'math',
            slackUserId: 'ULEAD1',
            answer: { ...answer, status: 'green' },
          });
          expect(saved.kind).toBe('saved');
        }
      }
      now = new Date(now.getTime() + 3_600_000);
    }
    const rounds = await database.db
      .selectFrom('checkin_rounds')
      .select(['week', 'status', 'skip_reason'])
      .orderBy('week')
      .execute();
    const sent = fake.messages.map((m) => ({
      channel: m.channel,
      text: m.text ?? '',
      blocks: (m.blocks ?? []) as Sent['blocks'],
      at: sentAt.get(m.ts)!,
    }));
    return { sent, rounds };
  } finally {
    if (url) for (const p of pools) await p.close();
    await fake.close();
  }
}

/** The week keys a period summary says it covers. */
const weeksCovered = (m: Sent) =>
  m.blocks
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.text.startsWith('שבועות:'))
    ?.text.match(/\d{4}-\d{2}-\d{2}/g) ?? [];

const inIsrael = (at: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Jerusalem',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(at);

describe('which summaries are due', () => {
  it('names each summary by the week that owes it and the weeks it covers, whatever that week holds', () => {
    const programme = workflowsWith().programmes.get(PROGRAMME)!;
    expect(summariesDue(programme, '2027-09-26', '2027-10-24')).toEqual([
      { kind: 'weeks', due: '2027-10-03', from: '2027-09-26', to: '2027-10-03' },
      { kind: 'month', due: '2027-10-03', from: '2027-09-01', to: '2027-09-30', month: '2027-09' },
      { kind: 'weeks', due: '2027-10-17', from: '2027-10-10', to: '2027-10-17' },
    ]);
    expect(summariesDue(programme, '2027-10-24', '2027-10-24')).toEqual([]);
    const threeWeekly = workflowsWith({
      cadence: { leadershipDigestEveryWeeks: 3, monthlySummary: false },
    }).programmes.get(PROGRAMME)!;
    expect(summariesDue(threeWeekly, '2027-12-19', '2028-01-16').map((s) => [s.from, s.to])).toEqual([
      ['2027-12-19', '2028-01-02'],
    ]);
    expect(summariesDue(programme, '2028-01-02', '2028-01-02')).toEqual([
      { kind: 'month', due: '2028-01-02', from: '2027-12-01', to: '2027-12-31', month: '2027-12' },
    ]);
  });
});

describe.each(backends)('summaries due in weeks without a round ($name)', (backend) => {
  it('posts September 2027 and the two weeks due at Rosh Hashana at the first round after the holidays, once', async () => {
    const database = await backend.open();
    try {
      const { sent, rounds } = await runCalendar({
        database,
        workflows: workflowsWith(),
        // Sunday 2027-09-12 00:00 in Israel, to the Wednesday after the first round past the holidays.
        from: '2027-09-11T21:00:00Z',
        to: '2027-11-03T00:00:00Z',
      });
      expect(rounds.map((r) => [r.week, r.status])).toEqual([
        ['2027-09-12', 'closed'],
        ['2027-09-19', 'closed'],
        ['2027-09-26', 'closed'],
        ['2027-10-03', 'skipped'],
        ['2027-10-10', 'skipped'],
        ['2027-10-17', 'skipped'],
        ['2027-10-24', 'closed'],
        ['2027-10-31', 'closed'],
      ]);
      const leadership = sent.filter((m) => m.channel === 'CLEADERS');
      const monthly = leadership.filter((m) => m.text.startsWith('סיכום חודשי'));
      expect(monthly.map((m) => [m.text, inIsrael(m.at), weeksCovered(m)])).toEqual([
        ['סיכום חודשי 2027-09: 3 שבועות', '2027-10-26 12:00', ['2027-09-12', '2027-09-19', '2027-09-26']],
      ]);
      expect(JSON.stringify(monthly[0]?.blocks)).toContain('2027-10-03');
      const twoWeeks = leadership.filter((m) => m.text.startsWith('סיכום 2 שבועות'));
      expect(twoWeeks.map((m) => [inIsrael(m.at), weeksCovered(m)])).toEqual([
        ['2027-09-21 12:00', ['2027-09-12', '2027-09-19']],
        // Due in the Rosh Hashana week; the one due at Sukkot covers no round and is not posted.
        ['2027-10-26 12:00', ['2027-09-26']],
        ['2027-11-02 12:00', ['2027-10-24', '2027-10-31']],
      ]);
      // The late summaries follow that round's digest, never precede it.
      const order = leadership.filter((m) => inIsrael(m.at) === '2027-10-26 12:00').map((m) => m.text);
      expect(order[0]).toMatch(/^סיכום שבועי 2027-10-24/);
      expect(order.slice(-2)).toEqual([twoWeeks[1]?.text, monthly[0]?.text]);
      // Only ULEAD1 answered: the two-week summary shows their week and a blank for the other line.
      expect(JSON.stringify(twoWeeks[1]?.blocks)).toContain('*מצוינות במתמטיקה*: 🟢');
      expect(JSON.stringify(twoWeeks[1]?.blocks)).toContain('*בנות במדע*: ⚪');
      expect(sent.filter((m) => m.text.startsWith('עדכון שבועי'))).toHaveLength(5 * 2);
    } finally {
      await database.close();
    }
  }, 180_000);

  it('posts a summary whose week the service missed altogether at the next round', async () => {
    const database = await backend.open();
    try {
      const { sent, rounds } = await runCalendar({
        database,
        workflows: workflowsWith(),
        from: '2027-09-11T21:00:00Z',
        to: '2027-10-01T00:00:00Z',
        // Down from Saturday night before the week of 2027-09-19 until the next Saturday night.
        down: { from: '2027-09-18T21:00:00Z', to: '2027-09-25T21:00:00Z' },
      });
      expect(rounds.map((r) => [r.week, r.status])).toEqual([
        ['2027-09-12', 'closed'],
        ['2027-09-26', 'closed'],
      ]);
      const twoWeeks = sent.filter((m) => m.text.startsWith('סיכום 2 שבועות'));
      expect(twoWeeks.map((m) => [m.text, inIsrael(m.at), weeksCovered(m)])).toEqual([
        ['סיכום 2 שבועות: שבוע אחד', '2027-09-28 12:00', ['2027-09-12']],
      ]);
      expect(JSON.stringify(twoWeeks[0]?.blocks)).toContain('2027-09-19');
    } finally {
      await database.close();
    }
  }, 120_000);

  it('sends nothing during the summer break and posts what fell due in it at the first round after', async () => {
    const database = await backend.open();
    try {
      const { sent, rounds } = await runCalendar({
        database,
        workflows: workflowsWith({
          pauses: [{ from: '2027-07-01', to: '2027-08-31', reason: 'חופשת הקיץ' }],
        }),
        // Sunday 2027-06-13 00:00 in Israel, to the Wednesday after the first round past the break.
        from: '2027-06-12T21:00:00Z',
        to: '2027-09-08T00:00:00Z',
      });
      const skipped = rounds.filter((r) => r.status === 'skipped');
      expect(rounds.filter((r) => r.status !== 'skipped').map((r) => [r.week, r.status])).toEqual([
        ['2027-06-13', 'closed'],
        ['2027-06-20', 'closed'],
        ['2027-09-05', 'closed'],
      ]);
      // From the week the break starts on its Thursday to the week it ends on its Tuesday.
      expect(skipped.map((r) => r.week)).toEqual([
        '2027-06-27',
        '2027-07-04',
        '2027-07-11',
        '2027-07-18',
        '2027-07-25',
        '2027-08-01',
        '2027-08-08',
        '2027-08-15',
        '2027-08-22',
        '2027-08-29',
      ]);
      expect(new Set(skipped.map((r) => r.skip_reason))).toEqual(
        new Set(['pause 2027-07-01 to 2027-08-31: חופשת הקיץ']),
      );
      const inBreak = sent.filter(
        (m) => m.at >= new Date('2027-06-26T21:00:00Z') && m.at < new Date('2027-09-04T21:00:00Z'),
      );
      expect(inBreak).toEqual([]);
      expect(sent.filter((m) => m.text.startsWith('עדכון שבועי'))).toHaveLength(3 * 2);
      const summaries = sent.filter((m) => m.text.startsWith('סיכום') && !m.text.startsWith('סיכום שבועי'));
      expect(summaries.map((m) => [m.text, inIsrael(m.at), weeksCovered(m)])).toEqual([
        ['סיכום 2 שבועות: שבוע אחד', '2027-06-15 12:00', ['2027-06-13']],
        // Due in the break's first week and at the turn of June; July and August had no round to summarise.
        ['סיכום 2 שבועות: שבוע אחד', '2027-09-07 12:00', ['2027-06-20']],
        ['סיכום חודשי 2027-06: 2 שבועות', '2027-09-07 12:00', ['2027-06-13', '2027-06-20']],
        ['סיכום 2 שבועות: שבוע אחד', '2027-09-07 12:00', ['2027-09-05']],
      ]);
      const late = summaries.filter((m) => JSON.stringify(m.blocks).includes('באיחור'));
      expect(late.map((m) => JSON.stringify(m.blocks).match(/ב־(\d{4}-\d{2}-\d{2})/)?.[1])).toEqual([
        '2027-06-27',
        '2027-07-04',
      ]);
    } finally {
      await database.close();
    }
  }, 180_000);
});
