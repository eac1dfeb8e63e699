import pino from 'pino';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noSlack } from '../../integrations/noop.ts';
import { slackReviewCards } from '../../integrations/slack/review-cards.ts';
import { slackUserGroups } from '../../integrations/slack/user-groups.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { processors } from '../../src/jobs/index.ts';
import { createSlackApp, type SlackAppOptions, type SlackReviewDeps } from '../../src/slack/app.ts';
import type { HomeSection } from '../../src/slack/home.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { refreshCard } from '../../src/usecases/review-card.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import type { SlackFake } from '../fakes/slack.ts';
import { validBody } from '../helpers/app.ts';
import { outboxRunner } from '../helpers/outbox.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { buttonClick, interactivityBody, SIGNING_SECRET, slackHeaders } from '../helpers/slack-sign.ts';

export const logger = pino({ level: 'silent' });

export interface HarnessOptions {
  /** Deployment settings; the review settings of the tests by default (blind as asked). */
  settings?: unknown;
  blind?: boolean;
  teamId?: string;
  review?: SlackReviewDeps;
  homeSections?: HomeSection[];
  /** Sees what the receiver, Bolt and the listeners log; silent otherwise. */
  logger?: SlackAppOptions['logger'];
}

/**
 * The Bolt app with our receiver over a test database, its Web API client pointed at the Slack fake, and
 * the review queue's real processor running the card jobs a use case queued, in process.
 */
export function slackHarness(database: OpenedDatabase, fake: SlackFake, opts: HarnessOptions = {}) {
  const workflows = loadWorkflows(opts.settings ?? reviewSettings({ blind: opts.blind ?? false }));
  const clock = () => new Date();
  const client = createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url });
  const groups = slackUserGroups(client, { logger });
  const ctx = {
    db: database.db,
    workflows,
    clock,
    publicUrl: 'https://kehila.example.org',
    poke: () => runner.poke(),
    groups,
  };
  const log = opts.logger ?? logger;
  const {
    app: bolt,
    receiver,
    publishHome,
  } = createSlackApp({
    token: 'xoxb-test',
    signingSecret: SIGNING_SECRET,
    client,
    slackApiUrl: fake.url,
    clock,
    logger: log,
    publicUrl: ctx.publicUrl,
    teamId: opts.teamId,
    review: opts.review ?? slackReviewDeps(ctx, log),
    ...(opts.homeSections ? { homeSections: opts.homeSections } : {}),
  });
  const routes = receiver.routes();
  const cards = slackReviewCards(client, { paceMs: 0 });
  const post = async (
    body: string,
    headers: Record<string, string> = {},
    contentType = 'application/x-www-form-urlencoded',
  ) =>
    routes.request('/events', {
      method: 'POST',
      headers: { 'content-type': contentType, ...(await slackHeaders(body)), ...headers },
      body,
    });
  const pctx = { ...ctx, logger, mail: memoryMailer(), calendar: noCalendar, slack: noSlack, cards };
  const runner = outboxRunner(database.db, { review: processors(pctx).review }, (job) => job.name === 'card');
  /** An application in review with its card posted in the review channel. */
  const inReview = async (overrides: Record<string, unknown> = {}) => {
    const body = createdBody(
      await submitApplication(
        { db: database.db, workflows, clock },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: validBody({ email: `s${Math.random()}@example.org`, ...overrides }),
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
    await refreshCard(pctx, body.id);
    return body.id;
  };
  return { ctx, client, bolt, routes, post, cards, inReview, pctx, runner, publishHome };
}

/** A signed-to-be interactivity body for one button click on the card. */
export const click = (
  user: string,
  actionId: string,
  applicationId: string,
  extra: Partial<Parameters<typeof buttonClick>[0]> = {},
) => interactivityBody(buttonClick({ user, actionId, value: applicationId, ...extra }));

/** Polls until the check passes; throws when the time is up. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A signed-to-be Events API delivery of one event. */
export const eventBody = (event: Record<string, unknown>) =>
  JSON.stringify({
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    team_id: 'TTEAM',
    api_app_id: 'AAPP',
    event: { event_ts: `${Date.now() / 1000}`, ...event },
  });
