import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackCheckins } from '../../integrations/slack/checkins.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { recordAnswer } from '../../src/checkins/answers.ts';
import type { Message } from '../../src/checkins/blocks.ts';
import type { CheckinContext, CheckinSlackPort } from '../../src/checkins/context.ts';
import { history } from '../../src/checkins/history.ts';
import { registerCheckinListeners } from '../../src/checkins/listeners.ts';
import { closeRound, openRound, tick } from '../../src/checkins/rounds.ts';
import { weekIndex, weekKey, weekOf } from '../../src/checkins/schedule.ts';
import { startCheckins } from '../../src/checkins/scheduler.ts';
import { createSlackApp } from '../../src/slack/app.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { startSlackFake } from '../fakes/slack.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { interactivityBody, SIGNING_SECRET, slackHeaders } from '../helpers/slack-sign.ts';

const HOSTILE = '<!channel> <@U999> <https://evil.example|click> & <#C1>';
const settings = {
  programmes: {
    'negev-partnership': {
      leadershipChannel: 'CLEADERS',
      actionLines: [
        { id: 'math', name: 'מצוינות במתמטיקה', leads: ['ULEAD1', 'ULEAD2'] },
        { id: 'girls', name: 'בנות במדע', leads: ['ULEAD3'] },
        { id: 'industry', name: 'תעשייה וקהילה', leads: ['ULEAD4'] },
      ],
    },
  },
};
const workflows = loadWorkflows(settings);
const programme = workflows.programmes.get('negev-partnership')!;

/** Records what would be sent to Slack. */
function recordingSlack() {
  const sent: { kind: 'dm' | 'post'; to: string; message: Message; thread?: string; at: Date }[] = [];
  let now = () => new Date();
  let n = 0;
  const port: CheckinSlackPort & { sent: typeof sent; setClock(c: () => Date): void } = {
    sent,
    setClock(c) {
      now = c;
    },
    async dm(userId, message) {
      sent.push({ kind: 'dm', to: userId, message, at: now() });
      return { channel: `D${userId}`, ts: `${++n}.1` };
    },
    async post(channel, message, thread) {
      sent.push({ kind: 'post', to: channel, message, ...(thread ? { thread } : {}), at: now() });
      return { channel, ts: `${++n}.2` };
    },
  };
  return port;
}

let database: OpenedDatabase;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory' });
});
afterAll(async () => {
  await database.close();
});

describe('the check-in schedule', () => {
  it('prompts Sunday 09:00 Israel time on both sides of the DST change', () => {
    expect(weekOf(programme, new Date('2027-03-15T12:00:00Z')).promptAt.toISOString()).toBe(
      '2027-03-14T07:00:00.000Z',
    );
    expect(weekOf(programme, new Date('2027-03-29T12:00:00Z')).promptAt.toISOString()).toBe(
      '2027-03-28T06:00:00.000Z',
    );
    expect(weekOf(programme, new Date('2027-03-29T12:00:00Z')).closeAt.toISOString()).toBe(
      '2027-03-30T09:00:00.000Z',
    );
  });
  it('keeps Sunday 09:00 across the October change, which falls on the Sunday itself', () => {
    expect(weekOf(programme, new Date('2027-10-27T12:00:00Z')).promptAt.toISOString()).toBe(
      '2027-10-24T06:00:00.000Z',
    );
    expect(weekOf(programme, new Date('2027-11-01T12:00:00Z')).promptAt.toISOString()).toBe(
      '2027-10-31T07:00:00.000Z',
    );
    expect(weekOf(programme, new Date('2027-11-01T12:00:00Z')).closeAt.toISOString()).toBe(
      '2027-11-02T10:00:00.000Z',
    );
  });
  it('gives the days after the Friday change in March their own offset within the same week', () => {
    const friday = loadWorkflows({
      programmes: {
        'negev-partnership': {
          cadence: {
            prompt: { day: 0, time: '09:00' },
            reminder: { day: 4, time: '09:00' },
            close: { day: 5, time: '12:00' },
          },
        },
      },
    }).programmes.get('negev-partnership')!;
    const week = weekOf(friday, new Date('2027-03-23T12:00:00Z'));
    expect(week.key).toBe('2027-03-21');
    expect(week.promptAt.toISOString()).toBe('2027-03-21T07:00:00.000Z');
    expect(week.reminderAt.toISOString()).toBe('2027-03-25T07:00:00.000Z');
    expect(week.closeAt.toISOString()).toBe('2027-03-26T09:00:00.000Z');
  });
  it('starts the week at Sunday midnight Israel time, and counts weeks without a gap across DST', () => {
    const tz = 'Asia/Jerusalem';
    expect(weekKey(new Date('2027-10-30T20:59:00Z'), tz)).toBe('2027-10-24');
    expect(weekKey(new Date('2027-10-30T21:00:00Z'), tz)).toBe('2027-10-31');
    expect(weekKey(new Date('2027-03-27T20:59:00Z'), tz)).toBe('2027-03-21');
    expect(weekKey(new Date('2027-03-27T21:00:00Z'), tz)).toBe('2027-03-28');
    expect(weekKey(new Date('2027-12-31T22:30:00Z'), tz)).toBe('2027-12-26');
    // The phase of "every two weeks" is the one the schedule has always had.
    expect(weekIndex('2027-10-03', tz)).toBe(3013);
    for (const [a, b] of [
      ['2027-03-21', '2027-03-28'],
      ['2027-10-24', '2027-10-31'],
      ['2027-12-26', '2028-01-02'],
    ] as const)
      expect(weekIndex(b, tz) - weekIndex(a, tz)).toBe(1);
  });
  it('skips every week a pause touches on a working day, and no week it touches only on a weekend', () => {
    const summer = { ...programme, pauses: [{ from: '2027-07-01', to: '2027-08-31', reason: 'חופשת הקיץ' }] };
    const skipped = (p: typeof programme, sunday: string) => weekOf(p, new Date(`${sunday}T12:00:00Z`)).skip;
    expect(skipped(summer, '2027-06-20')).toBeNull();
    expect(skipped(summer, '2027-06-27')).toBe('pause 2027-07-01 to 2027-08-31: חופשת הקיץ');
    expect(skipped(summer, '2027-08-01')).toContain('pause');
    expect(skipped(summer, '2027-08-29')).toContain('pause');
    expect(skipped(summer, '2027-09-05')).toBeNull();
    const weekend = { ...programme, pauses: [{ from: '2027-07-02', to: '2027-07-03' }] };
    expect(skipped(weekend, '2027-06-27')).toBeNull();
    const toSunday = { ...programme, pauses: [{ from: '2027-09-01', to: '2027-09-05' }] };
    expect(skipped(toSunday, '2027-09-05')).toBe('pause 2027-09-01 to 2027-09-05');
    expect(skipped(toSunday, '2027-09-12')).toBeNull();
  });
  it('refuses a pause that ends before it starts or names a day not in the calendar', () => {
    const load = (pauses: unknown) =>
      loadWorkflows({
        programmes: { 'negev-partnership': { ...settings.programmes['negev-partnership'], pauses } },
      });
    expect(
      load([{ from: '2027-07-01', to: '2027-08-31' }]).programmes.get('negev-partnership')?.pauses,
    ).toEqual([{ from: '2027-07-01', to: '2027-08-31' }]);
    expect(() => load([{ from: '2027-09-01', to: '2027-08-31' }])).toThrow(/pauses\.0\.to.*on or after/);
    expect(() => load([{ from: '2027-02-30', to: '2027-03-02' }])).toThrow(/pauses\.0\.from.*calendar/);
    expect(() => load([{ from: '2027-07-01' }])).toThrow(/pauses\.0\.to/);
    expect(() => load([{ from: '2027-07-01', to: '2027-08-31', reason: ' ' }])).toThrow(/pauses\.0\.reason/);
  });
  it('skips the weeks of Pesach, Yom HaAtzmaut and configured dates, not ordinary ones', () => {
    expect(weekOf(programme, new Date('2027-04-19T12:00:00Z')).skip).toContain('Pesach');
    expect(weekOf(programme, new Date('2027-04-26T12:00:00Z')).skip).toContain('Pesach');
    expect(weekOf(programme, new Date('2027-05-10T12:00:00Z')).skip).toMatch(/Atzma/);
    expect(weekOf(programme, new Date('2027-05-03T12:00:00Z')).skip).toBeNull();
    const withDate = { ...programme, skipDates: ['2027-05-04'] };
    expect(weekOf(withDate, new Date('2027-05-03T12:00:00Z')).skip).toContain('2027-05-04');
  });
});

describe('eight weeks of check-ins on an injected clock', () => {
  it('prompts, reminds and digests exactly once per week with three schedulers, and skips Pesach', async () => {
    let now = new Date('2027-03-13T22:00:00Z');
    const clock = () => now;
    const slack = recordingSlack();
    slack.setClock(clock);
    const ctx: CheckinContext = {
      db: database.db,
      workflows,
      clock,
      slack,
      logger: pino({ level: 'silent' }),
    };
    const answer = async (
      lead: string,
      line: string,
      status: 'green' | 'yellow' | 'red',
      text = 'התקדמנו',
    ) => {
      const week = weekOf(programme, now);
      const round = await database.db
        .selectFrom('checkin_rounds')
        .select('id')
        .where('week', '=', week.key)
        .executeTakeFirstOrThrow();
      return recordAnswer(ctx, {
        roundId: round.id,
        actionLine: line,
        slackUserId: lead,
        answer: {
          progress: text,
          nextSteps: 'להמשיך',
          blockers: status === 'red' ? `תקציב ${text}` : '',
          status,
          helpNeeded: '',
        },
      });
    };
    const end = new Date('2027-05-08T00:00:00Z');
    while (now < end) {
      await Promise.all([tick(ctx), tick(ctx), tick(ctx)]);
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Jerusalem',
        weekday: 'short',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(now);
      const week = weekOf(programme, now).key;
      if (!weekOf(programme, now).skip && week !== '2027-03-28') {
        if (local === 'Sun, 12') expect((await answer('ULEAD1', 'math', 'green')).kind).toBe('saved');
        if (local === 'Mon, 10') expect((await answer('ULEAD3', 'girls', 'red', HOSTILE)).kind).toBe('saved');
        if (local === 'Mon, 11' && week === '2027-04-11')
          expect((await answer('ULEAD4', 'industry', 'yellow')).kind).toBe('saved');
        if (local === 'Mon, 12')
          expect((await answer('ULEAD2', 'math', 'yellow', 'עדכון')).kind).toBe('updated');
      }
      now = new Date(now.getTime() + 3_600_000);
    }

    const rounds = await database.db.selectFrom('checkin_rounds').selectAll().orderBy('week').execute();
    expect(rounds.map((r) => [r.week, r.status])).toEqual([
      ['2027-03-14', 'closed'],
      ['2027-03-21', 'closed'],
      ['2027-03-28', 'closed'],
      ['2027-04-04', 'closed'],
      ['2027-04-11', 'closed'],
      ['2027-04-18', 'skipped'],
      ['2027-04-25', 'skipped'],
      ['2027-05-02', 'closed'],
    ]);
    const weekOfSend = (at: Date) => weekOf(programme, at).key;
    for (const r of rounds) {
      const inWeek = slack.sent.filter((s) => weekOfSend(s.at) === r.week);
      const prompts = inWeek.filter((s) => s.kind === 'dm' && s.message.text.startsWith('עדכון שבועי'));
      const reminders = inWeek.filter((s) => s.kind === 'dm' && s.message.text.includes('תזכורת'));
      const digests = inWeek.filter(
        (s) => s.kind === 'post' && !s.thread && s.message.text.startsWith('סיכום שבועי'),
      );
      if (r.status === 'skipped') {
        expect(inWeek).toEqual([]);
        continue;
      }
      expect(prompts.map((p) => p.to).sort()).toEqual(['ULEAD1', 'ULEAD2', 'ULEAD3', 'ULEAD4']);
      // Reminders go only to leads whose line had no answer on Monday 09:00.
      const expected =
        r.week === '2027-03-28' ? ['ULEAD1', 'ULEAD2', 'ULEAD3', 'ULEAD4'] : ['ULEAD3', 'ULEAD4'];
      expect(reminders.map((p) => p.to).sort()).toEqual(expected);
      expect(digests).toHaveLength(1);
      const localClose = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Jerusalem',
        weekday: 'short',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(digests[0]!.at);
      expect(localClose).toBe('Tue, 12');
    }
    const nobody = slack.sent.find((s) => s.kind === 'post' && s.message.text.includes('2027-03-28'));
    expect(JSON.stringify(nobody?.message.blocks)).toContain('אף כיוון פעולה לא שלח');
    const all = slack.sent.find((s) => s.kind === 'post' && s.message.text.includes('2027-04-11'));
    expect(all?.message.text).toContain('ללא עדכון 0');
    // Red first in the thread, and a summary every two weeks and at the turn of each month.
    const thread = slack.sent.filter((s) => s.thread && s.at.toISOString().startsWith('2027-03-16'));
    expect(thread[0]?.message.text).toContain('🔴');
    expect(
      slack.sent.filter((s) => s.message.text.startsWith('סיכום 2 שבועות')).length,
    ).toBeGreaterThanOrEqual(2);
    expect(
      slack.sent.filter((s) => s.message.text.startsWith('סיכום חודשי')).map((s) => s.message.text),
    ).toEqual(['סיכום חודשי 2027-03: 3 שבועות', 'סיכום חודשי 2027-04: 2 שבועות']);
    // Hostile text was escaped everywhere it went.
    const everything = JSON.stringify(slack.sent.map((s) => s.message));
    for (const raw of ['<!channel>', '<@U999>', '<https://evil.example|click>', '<#C1>'])
      expect(everything).not.toContain(raw);
    expect(everything).toContain('&lt;!channel&gt;');
  }, 120_000);
});

describe('answers', () => {
  it('are taken from the prompted lead only, editable until the window closes', async () => {
    let now = new Date('2027-06-06T07:30:00Z');
    const slack = recordingSlack();
    const ctx: CheckinContext = {
      db: database.db,
      workflows,
      clock: () => now,
      slack,
      logger: pino({ level: 'silent' }),
    };
    const week = weekOf(programme, now);
    const round = await openRound(ctx, programme, week);
    const base = { progress: 'א', nextSteps: 'ב', blockers: '', status: 'green' as const, helpNeeded: '' };
    expect(
      (
        await recordAnswer(ctx, {
          roundId: round.id,
          actionLine: 'math',
          slackUserId: 'UOTHER',
          answer: base,
        })
      ).kind,
    ).toBe('not_prompted');
    expect(
      (
        await recordAnswer(ctx, {
          roundId: round.id,
          actionLine: 'math',
          slackUserId: 'ULEAD3',
          answer: base,
        })
      ).kind,
    ).toBe('not_prompted');
    expect(
      (
        await recordAnswer(ctx, {
          roundId: round.id,
          actionLine: 'math',
          slackUserId: 'ULEAD1',
          answer: base,
        })
      ).kind,
    ).toBe('saved');
    expect(
      (
        await recordAnswer(ctx, {
          roundId: round.id,
          actionLine: 'math',
          slackUserId: 'ULEAD1',
          answer: { ...base, status: 'red' },
        })
      ).kind,
    ).toBe('updated');
    now = new Date(week.closeAt.getTime() + 1000);
    expect(
      (
        await recordAnswer(ctx, {
          roundId: round.id,
          actionLine: 'math',
          slackUserId: 'ULEAD1',
          answer: base,
        })
      ).kind,
    ).toBe('closed');
    expect(await closeRound(ctx, programme, round.id)).toBe(true);
    expect(await closeRound(ctx, programme, round.id)).toBe(false);
    const detail = await history.round(ctx, round.id);
    expect(detail?.answers).toEqual([expect.objectContaining({ actionLine: 'math', status: 'red' })]);
    expect((await history.actionLine(ctx, 'math')).length).toBeGreaterThan(0);
  });
});

describe('check-ins in Slack and on BullMQ', () => {
  it("opens the form on Answer and records the lead's submission, refusing anyone else", async () => {
    const fake = await startSlackFake();
    try {
      const clock = () => new Date('2027-06-13T08:00:00Z');
      const client = createSlackWebClient({ token: 'xoxb-t', slackApiUrl: fake.url });
      const ctx: CheckinContext = {
        db: database.db,
        workflows,
        clock,
        slack: recordingSlack(),
        logger: pino({ level: 'silent' }),
      };
      const round = await openRound(ctx, programme, weekOf(programme, clock()));
      const reviewCtx = { db: database.db, workflows, clock, publicUrl: 'http://x', poke: () => {} };
      const { app, receiver, publishHome } = createSlackApp({
        token: 'xoxb-t',
        signingSecret: SIGNING_SECRET,
        client,
        slackApiUrl: fake.url,
        clock: () => new Date(),
        logger: pino({ level: 'silent' }),
        publicUrl: 'http://x',
        review: slackReviewDeps(reviewCtx, pino({ level: 'silent' })),
      });
      registerCheckinListeners(app, { ctx, client, publishHome });
      const routes = receiver.routes();
      const post = async (payload: unknown) => {
        const body = interactivityBody(payload);
        return routes.request('/events', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(await slackHeaders(body)) },
          body,
        });
      };
      await post({
        type: 'block_actions',
        team: { id: 'TTEAM' },
        user: { id: 'ULEAD3' },
        trigger_id: 't1',
        actions: [
          { type: 'button', action_id: 'checkin_answer', value: `${round.id}|girls`, action_ts: '1.1' },
        ],
      });
      for (let i = 0; i < 100 && fake.count('views.open') === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(fake.count('views.open')).toBe(1);
      const submission = (user: string, hash: string) => ({
        type: 'view_submission',
        team: { id: 'TTEAM' },
        user: { id: user },
        view: {
          id: 'V1',
          hash,
          callback_id: 'checkin_answer',
          private_metadata: `${round.id}|girls`,
          state: {
            values: {
              progress: { value: { value: 'סדנה לבנות' } },
              next_steps: { value: { value: 'עוד סדנה' } },
              blockers: { value: { value: '' } },
              status: { value: { selected_option: { value: 'green' } } },
              help_needed: { value: { value: '' } },
            },
          },
        },
      });
      const refused = await post(submission('UOTHER', 'h1'));
      expect(await refused.json()).toMatchObject({ response_action: 'errors' });
      const saved = await post(submission('ULEAD3', 'h2'));
      expect(saved.status).toBe(200);
      const answers = (await history.round(ctx, round.id))?.answers ?? [];
      expect(answers.find((a) => a.actionLine === 'girls')?.progress).toBe('סדנה לבנות');
    } finally {
      await fake.close();
    }
  });

  it('keeps one job scheduler when three processes start together', async () => {
    const prefix = randomPrefix('chk');
    const ctx: CheckinContext = {
      db: database.db,
      workflows,
      clock: () => new Date(),
      slack: recordingSlack(),
      logger: pino({ level: 'silent' }),
    };
    const started = await Promise.all(
      [1, 2, 3].map(() => startCheckins({ target: { url: TEST_REDIS_URL }, prefix, ctx })),
    );
    try {
      const schedulers = await started[0]!.queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: 'checkins-tick', tz: 'Asia/Jerusalem' });
    } finally {
      await started[0]!.queue.obliterate({ force: true }).catch(() => {});
      for (const s of started) await s.stop();
    }
  });
});

describe('check-in messages under Slack rate limits', () => {
  it('waits out a short Retry-After and sends once, but gives up on a long one', async () => {
    const fake = await startSlackFake();
    try {
      const port = slackCheckins(createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url }), {
        paceMs: 0,
      });
      const message = { text: 'שבוע טוב', blocks: [] };
      fake.fail('chat.postMessage', 2, { status: 429, retryAfter: 1 });
      const started = Date.now();
      const sent = await port.dm('ULEAD1', message);
      expect(sent.ts).not.toBe('');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(fake.messages.filter((m) => m.channel === 'ULEAD1')).toHaveLength(1);

      fake.fail('chat.postMessage', 1, { status: 429, retryAfter: 120 });
      await expect(port.dm('ULEAD2', message)).rejects.toMatchObject({ code: 'rate_limited' });
      expect(fake.messages.filter((m) => m.channel === 'ULEAD2')).toHaveLength(0);
    } finally {
      await fake.close();
    }
  }, 20_000);
});
