import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackCheckins } from '../../integrations/slack/checkins.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { periodSummary } from '../../src/checkins/blocks.ts';
import type { CheckinContext } from '../../src/checkins/context.ts';
import { leadHomeSection } from '../../src/checkins/home.ts';
import { registerCheckinListeners } from '../../src/checkins/listeners.ts';
import { tick } from '../../src/checkins/rounds.ts';
import { weekOf } from '../../src/checkins/schedule.ts';
import { createSlackApp } from '../../src/slack/app.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { interactivityBody, SIGNING_SECRET, slackHeaders } from '../helpers/slack-sign.ts';
import { eventBody, waitFor } from '../slack/harness.ts';

const LEAD = 'ULEAD3';
const workflows = loadWorkflows({
  programmes: {
    'negev-partnership': {
      leadershipChannel: 'CLEADERS',
      actionLines: [
        { id: 'math', name: 'מצוינות במתמטיקה', leads: ['ULEAD1'] },
        { id: 'girls', name: 'בנות במדע', leads: [LEAD] },
      ],
    },
  },
});
const programme = workflows.programmes.get('negev-partnership')!;
const logger = pino({ level: 'silent' });

let fake: SlackFake;
let database: OpenedDatabase;
beforeAll(async () => {
  fake = await startSlackFake();
});
afterAll(async () => {
  await fake.close();
});

/** Check-ins in Slack on a clock the test moves: signed requests in, the Slack fake out. */
async function setup(start: string) {
  database = await openDatabase({ dataDir: 'memory' });
  fake.calls.length = 0;
  fake.messages.length = 0;
  let now = new Date(start);
  const clock = () => now;
  const client = createSlackWebClient({ token: 'xoxb-t', slackApiUrl: fake.url });
  const ctx: CheckinContext = {
    db: database.db,
    workflows,
    clock,
    slack: slackCheckins(client, { paceMs: 0 }),
    logger,
  };
  const reviewCtx = { db: database.db, workflows, clock, publicUrl: 'http://x', poke: () => {} };
  const { app, receiver, publishHome } = createSlackApp({
    token: 'xoxb-t',
    signingSecret: SIGNING_SECRET,
    client,
    slackApiUrl: fake.url,
    clock: () => new Date(),
    logger,
    publicUrl: 'http://x',
    review: slackReviewDeps(reviewCtx, logger),
    homeSections: [leadHomeSection(ctx)],
  });
  registerCheckinListeners(app, { ctx, client, publishHome });
  const routes = receiver.routes();
  const send = async (body: string, type: string) =>
    routes.request('/events', {
      method: 'POST',
      headers: { 'content-type': type, ...(await slackHeaders(body)) },
      body,
    });
  const interact = (payload: unknown) =>
    send(
      interactivityBody({ team: { id: 'TTEAM' }, user: { id: LEAD }, ...(payload as object) }),
      'application/x-www-form-urlencoded',
    );
  const published = () =>
    fake.calls.filter((c) => c.method === 'views.publish').map((c) => JSON.stringify(c.args.view));
  const click = async (actionId: string) => {
    await interact({
      type: 'block_actions',
      trigger_id: `t${Math.random()}`,
      actions: [{ type: 'button', action_id: actionId, value: actionId, action_ts: `${Date.now() / 1000}` }],
    });
  };
  const submit = (until: string, reason = '') =>
    interact({
      type: 'view_submission',
      view: {
        id: 'VPAUSE',
        hash: `h${Math.random()}`,
        callback_id: 'checkin_pause',
        private_metadata: '',
        state: {
          values: { until: { value: { selected_date: until } }, reason: { value: { value: reason } } },
        },
      },
    });
  const dmsTo = (user: string) => fake.messages.filter((m) => m.channel === `D${user}`);
  const at = async (when: Date) => {
    now = when;
    await tick(ctx);
  };
  return { ctx, send, click, submit, published, dmsTo, at };
}

describe("a lead's pause from the App Home", () => {
  it('opens the form, stores the pause, skips their prompts and reminders until the day, and then asks again', async () => {
    const s = await setup('2027-06-12T10:00:00Z');
    await s.send(eventBody({ type: 'app_home_opened', user: LEAD, tab: 'home' }), 'application/json');
    await waitFor(() => s.published().length === 1);
    expect(s.published()[0]).toContain('"action_id":"checkin_pause"');

    await s.click('checkin_pause');
    await waitFor(() => fake.count('views.open') === 1);
    const modal = JSON.stringify(fake.calls.find((c) => c.method === 'views.open')?.args.view);
    expect(modal).toContain('"callback_id":"checkin_pause"');
    expect(modal).toContain('"type":"datepicker"');
    expect(modal).toContain('"initial_date":"2027-06-12"');

    const past = await s.submit('2027-06-11');
    expect(await past.json()).toMatchObject({
      response_action: 'errors',
      errors: { until: expect.stringContaining('עבר') },
    });
    const saved = await s.submit('2027-06-20', 'מילואים');
    expect(saved.status).toBe(200);
    await waitFor(() => s.published().length === 2);
    const home = s.published()[1] ?? '';
    // The date as Hebrew writes it, held apart from the right-to-left sentence, and the days still to go.
    expect(home).toContain('מושהים עד \u206820 ביוני 2027\u2069 (כולל), עוד 9 ימים.');
    expect(home).toContain('מילואים');
    expect(home).toContain('"action_id":"checkin_resume"');
    expect(home).not.toContain('"action_id":"checkin_pause"');

    const first = weekOf(programme, new Date('2027-06-13T08:00:00Z'));
    await s.at(first.promptAt);
    expect(s.dmsTo('ULEAD1')).toHaveLength(1);
    expect(s.dmsTo(LEAD)).toHaveLength(0);
    await s.at(first.reminderAt);
    expect(s.dmsTo('ULEAD1')).toHaveLength(2);
    expect(s.dmsTo(LEAD)).toHaveLength(0);
    await s.at(first.closeAt);
    const digest = fake.messages.find((m) => m.channel === 'CLEADERS' && m.text?.startsWith('סיכום שבועי'));
    expect(digest?.text).toContain('ללא עדכון 1 · בהשהיה 1');
    const blocks = JSON.stringify(digest?.blocks);
    expect(blocks).toContain('בהשהיה: בנות במדע (עד 20.06.2027)');
    expect(blocks).toMatch(/לא עדכנו: מצוינות במתמטיקה"/);

    // The pause's last day is a Sunday: still no prompt on it.
    const second = weekOf(programme, new Date('2027-06-20T08:00:00Z'));
    await s.at(second.promptAt);
    expect(s.dmsTo(LEAD)).toHaveLength(0);
    // Monday 06:00 in Israel, the first tick after the pause and before the week's reminder.
    await s.at(new Date(second.promptAt.getTime() + 21 * 3_600_000));
    expect(s.dmsTo(LEAD)).toHaveLength(1);
    expect(s.dmsTo(LEAD)[0]?.metadata?.event_type).toBe('kehila_checkin_prompt');
    await database.close();
  });

  it('ends the pause from the App Home, and the next prompt reaches the lead', async () => {
    const s = await setup('2027-06-12T10:00:00Z');
    await s.submit('2027-07-31');
    await waitFor(() => s.published().length === 1);
    await s.click('checkin_resume');
    await waitFor(() => s.published().length === 2);
    expect(s.published()[1]).toContain('"action_id":"checkin_pause"');
    expect(await database.db.selectFrom('lead_pauses').selectAll().execute()).toHaveLength(0);
    await s.at(weekOf(programme, new Date('2027-06-13T08:00:00Z')).promptAt);
    expect(s.dmsTo(LEAD)).toHaveLength(1);
    await database.close();
  });

  it('marks a paused line in a period summary apart from a missing one', () => {
    const summary = JSON.stringify(
      periodSummary(programme, 'סיכום שבועיים', [
        { week: '2027-06-13', answers: [], paused: new Map([['girls', '2027-06-20']]) },
      ]).blocks,
    );
    expect(summary).toContain('*בנות במדע*: ⏸️');
    expect(summary).toContain('*מצוינות במתמטיקה*: ⚪');
    expect(summary).toContain('⏸️ = בהשהיה');
  });
});
