import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMailer } from '../integrations/mail/index.ts';
import type { Mutex } from '../integrations/mutex.ts';
import { noCalendar, noCards, noSlack, noUserGroups } from '../integrations/noop.ts';
import type { Config } from './config.ts';
import type { CalendarPort, MailPort, ReviewCardPort, SlackPort, UserGroupPort } from './ports.ts';

/** Fakes of the outbound ports that tests and benchmarks pass in place of the real adapters. */
export interface PortOverrides {
  mail?: MailPort;
  calendar?: CalendarPort;
  slack?: SlackPort;
  cards?: ReviewCardPort;
  groups?: UserGroupPort;
  /** Pause between review cards in one channel (Slack's limit; default 1 s). */
  cardPaceMs?: number;
}

export type SlackSdk = Awaited<ReturnType<typeof loadSlack>>;

/** Every outbound port, built once from the config: the real adapter, or a stand-in where not configured. */
export interface Ports {
  mail: MailPort;
  calendar: CalendarPort;
  slack: SlackPort;
  cards: ReviewCardPort;
  groups: UserGroupPort;
  /** Slack's SDK and Web client when a bot token is configured (the web role mounts Bolt with them). */
  slackSdk?: SlackSdk | undefined;
  slackClient?: ReturnType<SlackSdk['createSlackWebClient']> | undefined;
}

/** The composition root of the outbound side: nothing downstream asks whether a service exists. */
export async function composePorts(opts: {
  config: Config;
  overrides: PortOverrides;
  mutex: Mutex;
  logger: { warn(obj: object, msg?: string): void };
}): Promise<Ports> {
  const { config, overrides, mutex } = opts;
  const calendar = overrides.calendar ?? (await googleCalendarFrom(config, mutex)) ?? noCalendar;
  const slackSdk = config.SLACK_BOT_TOKEN ? await loadSlack() : undefined;
  const slackClient =
    slackSdk && config.SLACK_BOT_TOKEN
      ? slackSdk.createSlackWebClient({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL })
      : undefined;
  const cards =
    overrides.cards ??
    (slackSdk && slackClient
      ? slackSdk.slackReviewCards(slackClient, {
          mutex,
          ...(overrides.cardPaceMs !== undefined ? { paceMs: overrides.cardPaceMs } : {}),
        })
      : noCards);
  const slack = overrides.slack ?? (slackSdk && slackClient ? slackSdk.slackChannels(slackClient) : noSlack);
  const groups =
    overrides.groups ??
    (slackSdk && slackClient ? slackSdk.slackUserGroups(slackClient, { logger: opts.logger }) : noUserGroups);
  const mail =
    overrides.mail ??
    createMailer({
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      outboxDir: join(config.DATA_DIR, 'outbox'),
    });
  return { mail, calendar, slack, cards, groups, slackSdk, slackClient };
}

/**
 * Slack's Web API client and the adapters over it, for every role that calls Slack. A deployment without
 * Slack never loads them; the same holds for Google's below and the queue board's.
 */
export async function loadSlack() {
  const [webClient, cards, channels, checkins, groups] = await Promise.all([
    import('../integrations/slack/web-client.ts'),
    import('../integrations/slack/review-cards.ts'),
    import('../integrations/slack/channels.ts'),
    import('../integrations/slack/checkins.ts'),
    import('../integrations/slack/user-groups.ts'),
  ]);
  return {
    createSlackWebClient: webClient.createSlackWebClient,
    slackReviewCards: cards.slackReviewCards,
    slackChannels: channels.slackChannels,
    slackCheckins: checkins.slackCheckins,
    slackUserGroups: groups.slackUserGroups,
  };
}

/**
 * Bolt with Express and the listeners on it: only the role that takes Slack's requests loads them. They
 * are a fifth of a worker's start-up CPU, and a worker is started again after every death.
 */
export async function loadSlackApp() {
  const [app, wiring, listeners] = await Promise.all([
    import('./slack/app.ts'),
    import('./slack/wiring.ts'),
    import('./checkins/listeners.ts'),
  ]);
  return {
    createSlackApp: app.createSlackApp,
    slackReviewDeps: wiring.slackReviewDeps,
    registerCheckinListeners: listeners.registerCheckinListeners,
  };
}

/** The Google Calendar adapter when the calendar and credentials are configured; otherwise none (ICS only). */
async function googleCalendarFrom(config: Config, mutex: Mutex): Promise<CalendarPort | undefined> {
  if (!config.GOOGLE_CALENDAR_ID) return undefined;
  const { createGoogleCalendar } = await import('../integrations/google/calendar.ts');
  const common = {
    calendarId: config.GOOGLE_CALENDAR_ID,
    rootUrl: config.GOOGLE_API_ROOT_URL,
    tokenUrl: config.GOOGLE_TOKEN_URL,
    mutex,
    lockTtlMs: config.CALENDAR_LOCK_TTL_MS,
  };
  const json =
    config.GOOGLE_SERVICE_ACCOUNT_JSON ??
    (config.GOOGLE_SERVICE_ACCOUNT_FILE
      ? await readFile(config.GOOGLE_SERVICE_ACCOUNT_FILE, 'utf8')
      : undefined);
  if (json) {
    const account = JSON.parse(json) as { client_email?: string; private_key?: string };
    if (!account.client_email || !account.private_key) {
      throw new Error('the Google service account JSON has no client_email or private_key');
    }
    return createGoogleCalendar({
      ...common,
      credentials: {
        type: 'service_account',
        clientEmail: account.client_email,
        privateKey: account.private_key,
        subject: config.GOOGLE_IMPERSONATE,
      },
    });
  }
  return createGoogleCalendar({
    ...common,
    credentials: {
      type: 'oauth',
      clientId: config.GOOGLE_OAUTH_CLIENT_ID ?? '',
      clientSecret: config.GOOGLE_OAUTH_CLIENT_SECRET ?? '',
      refreshToken: config.GOOGLE_OAUTH_REFRESH_TOKEN ?? '',
    },
  });
}
