import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pino from 'pino';
import { slackChannels } from '../integrations/slack/channels.ts';
import { createSlackWebClient } from '../integrations/slack/web-client.ts';
import { notFound } from '../src/domain/errors.ts';
import { createSlackApp, type SlackReviewDeps } from '../src/slack/app.ts';
import { startSlackFake } from '../test/fakes/slack.ts';
import { buttonClick, interactivityBody, SIGNING_SECRET, slackHeaders } from '../test/helpers/slack-sign.ts';
import { percentile, type Row, round } from './util.ts';

const RATE = 20;
const SECONDS = 10;

/** Acknowledgement latency of signed clicks at 20/s over real HTTP, and Slack calls per accepted member. */
export async function benchSlack(): Promise<Row[]> {
  const fake = await startSlackFake();
  const client = createSlackWebClient({ token: 'xoxb-bench', slackApiUrl: fake.url });
  const review: SlackReviewDeps = {
    castVote: async () => {
      throw notFound('application');
    },
    acceptFromWaitlist: async () => {
      throw notFound('application');
    },
    addNote: async () => {
      throw notFound('application');
    },
    reviewQueue: async () => null,
    groupChanged: () => {},
    onTeamJoin: async () => 0,
    recordRefusal: async () => {},
  };
  const { receiver } = createSlackApp({
    token: 'xoxb-bench',
    signingSecret: SIGNING_SECRET,
    client,
    slackApiUrl: fake.url,
    clock: () => new Date(),
    logger: pino({ level: 'silent' }),
    publicUrl: 'http://localhost',
    review,
  });
  const app = new Hono();
  app.route('/slack', receiver.routes());
  app.post('/bare', (c) => c.body(null, 200));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;

  const measure = async (path: string) => {
    const times: number[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < RATE * SECONDS; i++) {
      const body = interactivityBody(
        buttonClick({ user: 'UBENCH', actionId: 'vote_approve', value: 'x', actionTs: `${i}.${Date.now()}` }),
      );
      const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(await slackHeaders(body)) };
      pending.push(
        (async () => {
          const t0 = performance.now();
          await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body }).then((r) =>
            r.arrayBuffer(),
          );
          times.push(performance.now() - t0);
        })(),
      );
      await new Promise((r) => setTimeout(r, 1000 / RATE));
    }
    await Promise.all(pending);
    return times;
  };
  const bare = await measure('/bare');
  const clicks = await measure('/slack/events');
  server.close();

  const channels = ['C1', 'C2', 'C3'];
  for (let i = 0; i < 11; i++) fake.users.set(`p${i}@example.org`, `UP${i}`);
  const port1 = slackChannels(client, { batchWindowMs: 100 });
  let before = fake.calls.length;
  await port1.inviteToChannels({ email: 'p0@example.org', name: 'x' }, channels);
  const alone = fake.calls.length - before;
  const port2 = slackChannels(client, { batchWindowMs: 100 });
  before = fake.calls.length;
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      port2.inviteToChannels({ email: `p${i + 1}@example.org`, name: 'x' }, channels),
    ),
  );
  const together = (fake.calls.length - before) / 10;
  await fake.close();

  const section = 'slack';
  return [
    {
      section,
      name: `signed button click acknowledged (${RATE} clicks/s)`,
      value: round(percentile(clicks, 99), 1),
      unit: `ms p99 (p50 ${round(percentile(clicks, 50), 1)} ms)`,
      baseline: { name: 'bare route p99', value: round(percentile(bare, 99), 1) },
      goal: 'p99 < 50 ms',
    },
    { section, name: 'Slack calls per accepted member, alone (3 channels)', value: alone, unit: 'calls' },
    {
      section,
      name: 'Slack calls per accepted member, 10 accepted together',
      value: round(together, 2),
      unit: 'calls',
    },
  ];
}
