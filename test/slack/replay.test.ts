import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { firstUses } from '../../src/jobs/redis.ts';
import { createSlackApp } from '../../src/slack/app.ts';
import { SEEN_TTL_MS } from '../../src/slack/receiver.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { buttonClick, interactivityBody, SIGNING_SECRET, slackHeaders } from '../helpers/slack-sign.ts';

const logger = pino({ level: 'silent' });
const workflows = loadWorkflows(reviewSettings());

describe('a Slack delivery is acted on once across processes and restarts', () => {
  let fake: SlackFake;
  let database: OpenedDatabase;
  let redis: Redis;
  const prefix = randomPrefix('slk');
  beforeAll(async () => {
    fake = await startSlackFake();
    database = await openDatabase({ dataDir: 'memory' });
    redis = new Redis(TEST_REDIS_URL, { protocol: 2 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await fake.close();
    await database.close();
  });

  /** One web process's Slack transport, sharing nothing with another but Redis and the database. */
  function processRoutes() {
    const clock = () => new Date();
    const ctx = {
      db: database.db,
      workflows,
      clock,
      publicUrl: 'https://kehila.example.org',
      poke: () => {},
    };
    const firstUse = firstUses(redis, prefix);
    const { receiver } = createSlackApp({
      token: 'xoxb-test',
      signingSecret: SIGNING_SECRET,
      client: createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url }),
      slackApiUrl: fake.url,
      clock,
      logger,
      publicUrl: ctx.publicUrl,
      firstSeen: (key) => firstUse('slack', key, SEEN_TTL_MS),
      review: slackReviewDeps(ctx, logger),
    });
    return receiver.routes();
  }

  const vote = async (id: string) =>
    (
      await database.db
        .selectFrom('votes')
        .select('vote')
        .where('application_id', '=', id)
        .where('reviewer', '=', 'UDANA0001')
        .executeTakeFirst()
    )?.vote;

  it('a captured click replayed on a second process, or after a restart, changes nothing', async () => {
    const body = createdBody(
      await submitApplication(
        { db: database.db, workflows, clock: () => new Date() },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody({ email: 'replay@example.org' }) },
      ),
    );
    await transition(database.db, {
      applicationId: body.id,
      to: 'in_review',
      actor: 'system',
      at: new Date(),
    });
    const reject = interactivityBody(
      buttonClick({
        user: 'UDANA0001',
        actionId: 'vote_reject',
        value: body.id,
        actionTs: '1800000000.000100',
      }),
    );
    const approve = interactivityBody(
      buttonClick({
        user: 'UDANA0001',
        actionId: 'vote_approve',
        value: body.id,
        actionTs: '1800000001.000100',
      }),
    );
    const captured = await slackHeaders(reject);
    const post = (routes: ReturnType<typeof processRoutes>, raw: string, headers: Record<string, string>) =>
      routes.request('/events', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: raw,
      });

    const first = processRoutes();
    expect((await post(first, reject, captured)).status).toBe(200);
    expect(await vote(body.id)).toBe('reject');
    expect((await post(first, approve, await slackHeaders(approve))).status).toBe(200);
    expect(await vote(body.id)).toBe('approve');

    // The same signed bytes, inside the five-minute window, on another process and on a restarted one.
    const second = processRoutes();
    expect((await post(second, reject, captured)).status).toBe(200);
    expect(await vote(body.id)).toBe('approve');
    const restarted = processRoutes();
    expect((await post(restarted, reject, captured)).status).toBe(200);
    expect(await vote(body.id)).toBe('approve');
  });

  it('a replayed click older than the vote on record changes nothing even after Redis lost the record', async () => {
    const body = createdBody(
      await submitApplication(
        { db: database.db, workflows, clock: () => new Date() },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody({ email: 'flushed@example.org' }) },
      ),
    );
    await transition(database.db, {
      applicationId: body.id,
      to: 'in_review',
      actor: 'system',
      at: new Date(),
    });
    const click = (actionId: string, actionTs: string) =>
      interactivityBody(buttonClick({ user: 'UDANA0001', actionId, value: body.id, actionTs }));
    const routes = processRoutes();
    const send = async (raw: string, headers?: Record<string, string>) =>
      routes.request('/events', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(headers ?? (await slackHeaders(raw))),
        },
        body: raw,
      });
    const oldReject = click('vote_reject', '1800000100.000100');
    const captured = await slackHeaders(oldReject);
    await send(oldReject, captured);
    await send(click('vote_approve', '1800000200.000100'));
    expect(await vote(body.id)).toBe('approve');

    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    expect((await send(oldReject, captured)).status).toBe(200);
    expect(await vote(body.id)).toBe('approve');
    // A click made after the vote on record still counts.
    await send(click('vote_reject', '1800000300.000100'));
    expect(await vote(body.id)).toBe('reject');
  });
});
