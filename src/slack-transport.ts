// Slack's way in: HTTP events at /slack/events or a Socket Mode connection, carrying events, clicks and
// views to the same listeners. Wired here so the service's start-up reads as the list of its parts.
import type { Hono } from 'hono';
import { leadHomeSection } from './checkins/home.ts';
import { type composePorts, loadSlackApp } from './compose.ts';
import type { Config } from './config.ts';
import type { AppEnv } from './http/app.tsx';
import type { Pipeline } from './jobs/pipeline.ts';
import type { AppLogger } from './logger.ts';
import type { SocketReceiver } from './slack/socket-receiver.ts';

export async function startSlackTransport(opts: {
  config: Config;
  ports: Awaited<ReturnType<typeof composePorts>>;
  deps: Pipeline['context'];
  clock: () => Date;
  logger: AppLogger;
  firstSeen: (key: string) => Promise<boolean>;
}): Promise<{ socket?: SocketReceiver | undefined; mount?: { path: string; app: Hono<AppEnv> } }> {
  const { config, ports, deps, clock, logger, firstSeen } = opts;
  const { slackSdk, slackClient } = ports;
  if (!slackSdk || !config.SLACK_BOT_TOKEN || !(config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN))
    return {};
  const { createSlackApp, slackReviewDeps, registerCheckinListeners } = await loadSlackApp();
  const slackWeb =
    slackClient ??
    slackSdk.createSlackWebClient({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL });
  // Socket Mode carries events, clicks and views to the same listeners; /slack/events is then not served.
  const socket = config.SLACK_APP_TOKEN
    ? new (await import('./slack/socket-receiver.ts')).SocketReceiver({
        appToken: config.SLACK_APP_TOKEN,
        slackApiUrl: config.SLACK_API_URL,
        clock,
        logger,
        firstSeen,
      })
    : undefined;
  const slackOptions = {
    token: config.SLACK_BOT_TOKEN,
    client: slackWeb,
    slackApiUrl: config.SLACK_API_URL,
    clock,
    logger,
    publicUrl: config.publicUrl,
    teamId: config.SLACK_TEAM_ID,
    appId: config.SLACK_APP_ID,
    firstSeen,
    review: slackReviewDeps(deps, logger),
    homeSections: [leadHomeSection(deps)],
  };
  const {
    app: bolt,
    receiver,
    publishHome,
  } = socket
    ? createSlackApp({ ...slackOptions, receiver: socket })
    : createSlackApp({ ...slackOptions, signingSecret: config.SLACK_SIGNING_SECRET as string });
  registerCheckinListeners(bolt, { ctx: deps, client: slackWeb, publishHome });
  if (socket) {
    // Start-up does not wait for Slack; the client retries apps.connections.open on its own.
    socket.start().catch((error: unknown) => {
      logger.error({ err: (error as Error).message }, 'Slack Socket Mode could not connect');
    });
    logger.info({}, 'Slack on (Socket Mode)');
    return { socket };
  }
  if ('routes' in receiver) {
    logger.info({}, 'Slack on (HTTP events at /slack/events)');
    return { mount: { path: '/slack', app: receiver.routes() } };
  }
  return {};
}
