import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { parseConfig } from '../../src/config.ts';
import { startService } from '../../src/service.ts';
import { createSlackApp } from '../../src/slack/app.ts';
import { SocketReceiver } from '../../src/slack/socket-receiver.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { type SocketModeFake, startSocketModeFake } from '../fakes/socket-mode.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { buttonClick } from '../helpers/slack-sign.ts';

const logger = pino({ level: 'silent' });
const workflows = loadWorkflows(reviewSettings());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let slack: SlackFake;
let sockets: SocketModeFake;
let database: OpenedDatabase;
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  slack = await startSlackFake();
  sockets = await startSocketModeFake();
  database = await openDatabase({ dataDir: 'memory' });
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  slack.calls.length = 0;
});
afterAll(async () => {
  await sockets.close();
  await slack.close();
  await database.close();
});

/** Bolt with the review listeners on a Socket Mode connection to the fake, connected. */
async function connect(opts: { appToken?: string } = {}) {
  const clock = () => new Date();
  const ctx = { db: database.db, workflows, clock, publicUrl: 'https://kehila.example.org', poke: () => {} };
  const receiver = new SocketReceiver({
    appToken: opts.appToken ?? sockets.appToken,
    slackApiUrl: sockets.url,
    clock,
    logger,
    // The library waits this long before reconnecting; a second keeps the reconnect tests short.
    clientPingTimeoutMs: 1000,
  });
  const { app } = createSlackApp({
    token: 'xoxb-test',
    client: createSlackWebClient({ token: 'xoxb-test', slackApiUrl: slack.url }),
    slackApiUrl: slack.url,
    clock,
    logger,
    publicUrl: ctx.publicUrl,
    review: slackReviewDeps(ctx, logger),
    receiver,
  });
  const hello = sockets.connected();
  await receiver.start();
  await hello;
  stops.push(() => receiver.stop());
  return { app, receiver, ctx };
}

/** An application in review, as the review listeners find it. */
async function inReview(): Promise<string> {
  const clock = () => new Date();
  const body = createdBody(
    await submitApplication(
      { db: database.db, workflows, clock },
      {
        cohortId: 'leading-team-2027',
        source: 'api',
        body: validBody({ email: `s${Math.random()}@example.org` }),
      },
    ),
  );
  await transition(database.db, {
    applicationId: body.id,
    from: ['submitted'],
    to: 'in_review',
    actor: 'system',
    at: clock(),
  });
  return body.id;
}

const homeOpened = (user: string, eventId = `Ev${Math.random().toString(36).slice(2)}`) => ({
  token: 'legacy',
  team_id: 'TTEAM',
  api_app_id: 'AAPP',
  type: 'event_callback',
  event_id: eventId,
  event_time: Math.floor(Date.now() / 1000),
  event: { type: 'app_home_opened', user, channel: 'DHOME', tab: 'home', event_ts: `${Date.now() / 1000}` },
});

const noteSubmission = (applicationId: string, note: string) => ({
  type: 'view_submission',
  team: { id: 'TTEAM' },
  api_app_id: 'AAPP',
  user: { id: 'UDANA0001', team_id: 'TTEAM' },
  trigger_id: `trigger-${Math.random()}`,
  view: {
    id: `V${Math.random().toString(36).slice(2)}`,
    type: 'modal',
    callback_id: 'review_note',
    private_metadata: applicationId,
    hash: '1700000000.abc',
    state: { values: { note: { value: { type: 'plain_text_input', value: note } } } },
  },
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('Slack over Socket Mode', () => {
  it('opens the connection at SLACK_API_URL with the app-level token', async () => {
    const before = sockets.opens.length;
    await connect();
    expect(sockets.opens.slice(before)).toEqual([{ authorization: `Bearer ${sockets.appToken}` }]);
  });

  it('refuses to start with an app token Slack does not know', async () => {
    const receiver = new SocketReceiver({
      appToken: 'xapp-1-AOTHER-1-wrong',
      slackApiUrl: sockets.url,
      clock: () => new Date(),
      logger,
    });
    await expect(receiver.start()).rejects.toThrow(/invalid_auth/);
    await receiver.stop();
  });

  it('carries an Events API envelope to the App Home listener, whose views.publish reaches Slack', async () => {
    await connect();
    const sent = sockets.send('events_api', homeOpened('UDANA0001'));
    const ack = await sent.acked;
    expect(ack.payload ?? {}).toEqual({});
    await until(() => slack.count('views.publish') === 1);
    expect(slack.calls.find((c) => c.method === 'views.publish')?.args.user_id).toBe('UDANA0001');
  });

  it('records a vote clicked on a card, and acks the click within three seconds', async () => {
    await connect();
    const id = await inReview();
    const sent = sockets.send(
      'interactive',
      buttonClick({ user: 'UDANA0001', actionId: 'vote_approve', value: id }),
    );
    const ack = await sent.acked;
    expect(ack.receivedAt - sent.sentAt).toBeLessThan(3000);
    await until(async () => {
      const votes = await database.db
        .selectFrom('votes')
        .select(['reviewer', 'vote'])
        .where('application_id', '=', id)
        .execute();
      return votes.length === 1 && votes[0]?.vote === 'approve';
    });
  });

  it("answers a view submission's errors in the envelope ack", async () => {
    await connect();
    const id = await inReview();
    const sent = sockets.send('interactive', noteSubmission(id, '   '));
    const ack = await sent.acked;
    expect(ack.payload).toEqual({ response_action: 'errors', errors: { note: 'נא לכתוב הערה' } });
  });

  it('acts once on an envelope delivered twice, and acks both deliveries', async () => {
    await connect();
    const payload = homeOpened('URINA0001', 'EvTwice0001');
    const first = sockets.send('events_api', payload, { envelopeId: 'env-twice-1' });
    await first.acked;
    const second = sockets.send('events_api', payload, { envelopeId: 'env-twice-1', retryAttempt: 1 });
    await second.acked;
    await until(() => slack.count('views.publish') >= 1);
    await sleep(300);
    expect(slack.count('views.publish')).toBe(1);
  });

  it('acks a listener that never acks before Slack gives up, with an empty payload', async () => {
    const { app } = await connect();
    app.action('slow_button', async () => {
      await sleep(4000);
    });
    const sent = sockets.send(
      'interactive',
      buttonClick({ user: 'UDANA0001', actionId: 'slow_button', value: 'x' }),
    );
    const ack = await sent.acked;
    expect(ack.receivedAt - sent.sentAt).toBeGreaterThanOrEqual(2000);
    expect(ack.receivedAt - sent.sentAt).toBeLessThan(3000);
    expect(ack.payload ?? {}).toEqual({});
  });

  it.each([
    ['Slack asks for a refresh', () => sockets.requestRefresh('refresh_requested')],
    ['the socket drops', () => sockets.drop()],
  ])('reconnects when %s, with a new apps.connections.open, and goes on delivering', async (_, cut) => {
    await connect();
    const opens = sockets.opens.length;
    const next = sockets.connected(sockets.connections + 1);
    cut();
    await next;
    expect(sockets.opens.length).toBe(opens + 1);
    await sockets.send('events_api', homeOpened('UAVI00001')).acked;
    await until(() => slack.count('views.publish') === 1);
  });

  it('stops quietly while waiting to reconnect, and opens nothing afterwards', async () => {
    const { receiver } = await connect();
    const opens = sockets.opens.length;
    sockets.drop();
    await sleep(100);
    await receiver.stop();
    await sleep(1500);
    expect(sockets.opens.length).toBe(opens);
  });

  it('stops quietly while a reconnection waits for hello', async () => {
    const { receiver } = await connect();
    const accepted = sockets.accepted;
    sockets.holdHello = true;
    try {
      sockets.drop();
      await until(() => sockets.accepted === accepted + 1);
      await receiver.stop();
      await sleep(200);
    } finally {
      sockets.holdHello = false;
    }
    expect(sockets.accepted).toBe(accepted + 1);
  });
});

describe('the service with SLACK_APP_TOKEN', () => {
  it('connects over Socket Mode, serves no /slack/events, and keeps every other route', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kehila-socket-'));
    // One SLACK_API_URL for both: apps.connections.open answered by the Socket Mode fake, the rest passed on.
    const api = await startSocketModeFake({ webApi: slack.url });
    const hello = api.connected();
    const service = await startService({
      config: parseConfig({
        PORT: '0',
        DATA_DIR: dir,
        REDIS_URL: TEST_REDIS_URL,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: api.appToken,
        SLACK_API_URL: api.url,
      }),
      logger,
      settings: reviewSettings(),
      role: 'web',
      overrides: { redisPrefix: randomPrefix('sock') },
    });
    try {
      await hello;
      const base = `http://127.0.0.1:${service.port}`;
      expect((await fetch(`${base}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/apply`)).status).toBe(200);
      await api.send('events_api', homeOpened('UDANA0001')).acked;
      await until(() => slack.count('views.publish') === 1);
    } finally {
      await service.stop();
      await api.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an app token that is not one, and one without a bot token', () => {
    expect(() => parseConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xoxb-wrong' })).toThrow(
      /SLACK_APP_TOKEN: must be an app-level token/,
    );
    expect(() => parseConfig({ SLACK_APP_TOKEN: 'xapp-1-AAPP-1-test' })).toThrow(
      /SLACK_APP_TOKEN: Socket Mode needs SLACK_BOT_TOKEN/,
    );
    expect(
      parseConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-AAPP-1-test' }).SLACK_APP_TOKEN,
    ).toBe('xapp-1-AAPP-1-test');
  });
});
