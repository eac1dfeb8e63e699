import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerCheckinListeners } from '../../src/checkins/listeners.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { interactivityBody } from '../helpers/slack-sign.ts';
import { click, slackHarness, waitFor } from './harness.ts';

// Signed bodies of shapes Slack never sends (what the fuzz of /slack/events found): each is answered without
// a 5xx, and no listener fails on it.

let fake: SlackFake;
let database: OpenedDatabase;
beforeAll(async () => {
  fake = await startSlackFake();
  database = await openDatabase({ dataDir: 'memory' });
});
afterAll(async () => {
  await fake.close();
  await database.close();
});
afterEach(() => {
  fake.calls.length = 0;
});

function setup() {
  const lines: { level: string; msg: string | undefined; obj: object }[] = [];
  const logger = {
    info: (obj: object, msg?: string) => lines.push({ level: 'info', msg, obj }),
    warn: (obj: object, msg?: string) => lines.push({ level: 'warn', msg, obj }),
    error: (obj: object, msg?: string) => lines.push({ level: 'error', msg, obj }),
  };
  const harness = slackHarness(database, fake, { logger });
  registerCheckinListeners(harness.bolt, {
    ctx: harness.ctx,
    client: harness.client,
    publishHome: harness.publishHome,
  });
  const errors = () => lines.filter((l) => l.level === 'error');
  const logged = (msg: string) => lines.some((l) => l.msg === msg);
  return { ...harness, lines, errors, logged };
}

const person = { id: 'UDANA0001', team_id: 'TTEAM' };
const view = (fields: Record<string, unknown>) => ({
  type: 'view_submission',
  team: { id: 'TTEAM' },
  user: person,
  // Each its own view, or the second would be taken for a retry of the first.
  view: { id: `V${Math.random()}`, hash: 'h1', type: 'modal', ...fields },
});
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('signed payloads of shapes Slack never sends', () => {
  it.each([
    ['a view whose user is null', interactivityBody({ ...view({ callback_id: 'review_note' }), user: null })],
    [
      'a message shortcut without its person',
      interactivityBody({ type: 'message_action', callback_id: 'x' }),
    ],
    [
      'a click whose action is not an object',
      interactivityBody({ type: 'block_actions', user: person, actions: [true] }),
    ],
    [
      'a click on an action id that is not text',
      interactivityBody({ type: 'block_actions', user: person, actions: [{ action_id: {} }] }),
    ],
    [
      'a click from a channel of null',
      interactivityBody({ type: 'block_actions', user: person, channel: null, actions: [] }),
    ],
    [
      'a shortcut from a workspace named __proto__',
      interactivityBody({ type: 'shortcut', callback_id: '', user: person, team: { id: '__proto__' } }),
    ],
    [
      'a command from a workspace named constructor',
      new URLSearchParams({ command: '/x', text: '', user_id: 'U1', team_id: 'constructor' }).toString(),
    ],
  ])('refuses %s with 400 before Bolt reads it', async (_name, body) => {
    const { post, errors, logged } = setup();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    await settle();
    expect(errors()).toEqual([]);
    expect(logged('slack payload refused')).toBe(true);
  });

  it('refuses an event that is not an object with 400', async () => {
    const { post, errors } = setup();
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev-not-object', event: 'team_join' });
    expect((await post(body, {}, 'application/json')).status).toBe(400);
    expect(errors()).toEqual([]);
  });

  it('refuses a vote whose button carries no application id as not found, on no timeline', async () => {
    const { post, errors, logged } = setup();
    for (const value of ['', 'not-a-uuid', '3656f4f2-de81-4520-a6ef-1b4ce60b58e7|girls'])
      expect((await post(click('UDANA0001', 'vote_approve', value))).status).toBe(200);
    await waitFor(() => fake.count('chat.postEphemeral') >= 3);
    expect(logged('slack action refused')).toBe(true);
    expect(errors()).toEqual([]);
  });

  it('refuses a note on an id that is not a UUID', async () => {
    const { post, errors, logged } = setup();
    const body = view({
      callback_id: 'review_note',
      private_metadata: 'x|y',
      state: { values: { note: { value: { value: 'מה' } } } },
    });
    expect((await post(interactivityBody(body))).status).toBe(200);
    await waitFor(() => logged('slack action refused'));
    expect(errors()).toEqual([]);
  });

  it('asks for a note when the submitted view has no state or metadata at all', async () => {
    const { post, errors } = setup();
    const res = await post(interactivityBody(view({ callback_id: 'review_note' })));
    expect(await res.json()).toEqual({ response_action: 'errors', errors: { note: 'נא לכתוב הערה' } });
    expect(errors()).toEqual([]);
  });

  it('opens no check-in form for a damaged Answer button, and refuses a submission for no round', async () => {
    const { post, errors } = setup();
    const answer = {
      type: 'block_actions',
      team: { id: 'TTEAM' },
      user: person,
      trigger_id: 't',
      actions: [{ action_id: 'checkin_answer', value: 'nope|math', action_ts: '1.2' }],
    };
    expect((await post(interactivityBody(answer))).status).toBe(200);
    const submitted = await post(
      interactivityBody(view({ callback_id: 'checkin_answer', private_metadata: 'nope|math' })),
    );
    expect(await submitted.json()).toMatchObject({ response_action: 'errors' });
    const bare = await post(interactivityBody(view({ callback_id: 'checkin_answer' })));
    expect(await bare.json()).toMatchObject({ response_action: 'errors' });
    await settle();
    expect(fake.count('views.open')).toBe(0);
    expect(errors()).toEqual([]);
  });

  it('takes a note button without a trigger id as a modal Slack would not open, not as a failure', async () => {
    const { post, errors, logged } = setup();
    const body = {
      ...JSON.parse(new URLSearchParams(click('UDANA0001', 'add_note', 'x')).get('payload') ?? '{}'),
    };
    delete body.trigger_id;
    fake.fail('views.open', 1, { error: 'invalid_trigger_id' });
    expect((await post(interactivityBody(body))).status).toBe(200);
    await waitFor(() => logged('note form not opened'));
    expect(errors()).toEqual([]);
  });

  it.each([
    ['team_join without its user', { type: 'team_join' }],
    ['team_join whose e-mail is not text', { type: 'team_join', user: { id: 'U1', profile: { email: 7 } } }],
    ['app_home_opened whose user is an object', { type: 'app_home_opened', user: { id: 'U1' }, tab: 'home' }],
  ])('ignores %s', async (_name, event) => {
    const { post, errors } = setup();
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'TTEAM',
      event_id: `Ev${Math.random()}`,
      event,
    });
    expect((await post(body, {}, 'application/json')).status).toBe(200);
    await settle();
    expect(errors()).toEqual([]);
  });

  it('answers a view no listener takes at once, not after the ack timer', async () => {
    const { post, logged } = setup();
    const started = Date.now();
    const res = await post(interactivityBody(view({ callback_id: 'nobody-listens', private_metadata: '' })));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(logged('slack delivery acked by no listener')).toBe(true);
  });
});
