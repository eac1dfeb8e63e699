import { App, LogLevel, type Receiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { AppError } from '../domain/errors.ts';
import type { VoteChoice, VoteResult } from '../usecases/review.ts';
import { noteModal, reviewerSection, voteNotice } from './blocks.ts';
import { type HomeSection, homePublisher } from './home.ts';
import { type FirstSeen, HonoReceiver, type SlackLogger } from './receiver.ts';

/** What the Slack transport needs from the review engine; the service passes the real use cases. */
export interface SlackReviewDeps {
  castVote(input: {
    applicationId: string;
    slackUserId: string;
    vote: VoteChoice;
    clickedAt?: Date;
  }): Promise<VoteResult>;
  /** A decider's one click on the card of an applicant proposed from the waitlist. */
  acceptFromWaitlist(input: { applicationId: string; slackUserId: string }): Promise<unknown>;
  addNote(input: { applicationId: string; slackUserId: string; note: string }): Promise<VoteResult>;
  /** What waits for this person's vote, or null when they review no cohort. */
  reviewQueue(slackUserId: string): Promise<Parameters<typeof reviewerSection>[0] | null>;
  /** A user group's members changed in Slack: whoever decides reviewers asks Slack again. */
  groupChanged(groupId: string): void;
  onTeamJoin(input: { email: string }): Promise<unknown>;
  recordRefusal(input: { applicationId?: string; slackUserId: string; reason: string }): Promise<void>;
}

export interface SlackAppOptions {
  token: string;
  client: WebClient;
  /** SLACK_API_URL, for Bolt's own client. */
  slackApiUrl?: string | undefined;
  clock: () => Date;
  logger: SlackLogger & { info(obj: object, msg?: string): void };
  publicUrl: string;
  review: SlackReviewDeps;
  /** When set, requests from another workspace or app are refused. */
  teamId?: string | undefined;
  appId?: string | undefined;
  /** The shared record of deliveries already acted on (Redis in a deployment). */
  firstSeen?: FirstSeen;
  /** The App Home's sections after the review queue (a lead's check-ins). */
  homeSections?: HomeSection[];
}

/** What the App Home shows, published in one piece: listeners that change it call this again. */
export type PublishHome = (slackUserId: string) => Promise<void>;

const VOTES: Record<string, VoteChoice> = {
  vote_approve: 'approve',
  vote_reject: 'reject',
  vote_waitlist: 'waitlist',
};

const REFUSALS: Record<string, string> = {
  wrong_workspace: 'הבקשה הגיעה מסביבת עבודה או מאפליקציה לא מוכרת.',
};

/** A Slack timestamp (`1800000000.000100`, seconds) as a date, or undefined when absent or malformed. */
function slackTime(ts: string | undefined): Date | undefined {
  const seconds = ts ? Number(ts) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

/** Bolt with our listeners (votes, acceptance from the waitlist, notes, App Home, team_join, user groups), over HTTP, or over the receiver given (Socket Mode). */
export function createSlackApp(opts: SlackAppOptions & { signingSecret: string }): {
  app: App;
  receiver: HonoReceiver;
  publishHome: PublishHome;
};
export function createSlackApp<R extends Receiver>(
  opts: SlackAppOptions & { receiver: R },
): { app: App; receiver: R; publishHome: PublishHome };
export function createSlackApp(opts: SlackAppOptions & { signingSecret?: string; receiver?: Receiver }): {
  app: App;
  receiver: Receiver;
  publishHome: PublishHome;
} {
  const receiver = opts.receiver ?? httpReceiver(opts);
  const app = new App({
    token: opts.token,
    receiver,
    // Bolt builds its own client from these; it calls auth.test once, lazily, on the first event.
    clientOptions: {
      ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
      timeout: 10_000,
      rejectRateLimitedCalls: true,
    },
    // Start-up must not depend on Slack answering; the first event checks the token.
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });

  const foreign = (body: { team?: { id?: string } | null; api_app_id?: string }) =>
    (opts.teamId && body.team?.id !== opts.teamId) || (opts.appId && body.api_app_id !== opts.appId);

  const tell = async (channel: string | undefined, user: string, text: string) => {
    if (channel) await opts.client.chat.postEphemeral({ channel, user, text }).catch(() => {});
  };

  const refuse = async (
    channel: string | undefined,
    user: string,
    reason: string,
    applicationId?: string,
  ) => {
    await opts.review.recordRefusal({
      slackUserId: user,
      reason,
      ...(applicationId ? { applicationId } : {}),
    });
    await tell(channel, user, REFUSALS[reason] ?? reason);
  };

  /** A refused action: the coded error's words to the person, and the attempt on the timeline. */
  const refused = async (
    error: unknown,
    where: { channel: string | undefined; user: string; applicationId: string },
  ) => {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    await opts.review.recordRefusal({
      slackUserId: where.user,
      reason: error.code,
      applicationId: where.applicationId,
    });
    await tell(where.channel, where.user, error.staffText);
  };

  type Click = {
    user: { id: string };
    channel?: { id: string };
    team?: { id?: string };
    api_app_id?: string;
  };

  app.action(/^vote_(approve|reject|waitlist)$/, async ({ ack, body, action }) => {
    await ack();
    const b = body as Click;
    const applicationId = (action as { value?: string }).value ?? '';
    const vote = VOTES[(action as { action_id: string }).action_id];
    if (!vote) return;
    if (foreign(b)) return refuse(b.channel?.id, b.user.id, 'wrong_workspace', applicationId);
    // The card is refreshed by its job, queued with the vote; the listener answers the voter alone: a
    // refusal, or what the card does not say to them (their conflict flagged, the cohort full).
    const where = { channel: b.channel?.id, user: b.user.id, applicationId };
    const clickedAt = slackTime((action as { action_ts?: string }).action_ts);
    await opts.review
      .castVote({ applicationId, slackUserId: b.user.id, vote, ...(clickedAt ? { clickedAt } : {}) })
      .then(
        async (result) => {
          const notice = voteNotice(result);
          if (notice) await tell(where.channel, where.user, notice);
        },
        (error: unknown) => refused(error, where),
      );
  });

  app.action('accept_waitlisted', async ({ ack, body, action }) => {
    await ack();
    const b = body as Click;
    const applicationId = (action as { value?: string }).value ?? '';
    if (foreign(b)) return refuse(b.channel?.id, b.user.id, 'wrong_workspace', applicationId);
    // Deciders only, and only into a place that is free: both refusals come back as coded errors.
    await opts.review
      .acceptFromWaitlist({ applicationId, slackUserId: b.user.id })
      .catch((error: unknown) => refused(error, { channel: b.channel?.id, user: b.user.id, applicationId }));
  });

  app.action('add_note', async ({ ack, body, action }) => {
    await ack();
    const b = body as { trigger_id?: string; user: { id: string }; channel?: { id: string } };
    const applicationId = (action as { value?: string }).value ?? '';
    // views.open first: the trigger id expires three seconds after the click. One Slack no longer honours
    // (expired, or absent from a damaged payload) opens nothing; the person can click again.
    await opts.client.views
      .open({ trigger_id: b.trigger_id ?? '', view: noteModal(applicationId, '') as never })
      .catch((error: unknown) => {
        opts.logger.warn({ err: (error as Error).message, slackUser: b.user.id }, 'note form not opened');
      });
  });

  app.action('open_dashboard', async ({ ack }) => {
    await ack();
  });

  app.view('review_note', async ({ ack, body, view }) => {
    const note = view.state?.values.note?.value?.value ?? '';
    const applicationId = view.private_metadata ?? '';
    if (note.trim().length === 0) {
      await ack({ response_action: 'errors', errors: { note: 'נא לכתוב הערה' } });
      return;
    }
    await ack();
    await opts.review
      .addNote({ applicationId, slackUserId: body.user.id, note })
      .catch((error: unknown) => refused(error, { channel: undefined, user: body.user.id, applicationId }));
  });

  const reviewQueue: HomeSection = async (user) => {
    const pending = await opts.review.reviewQueue(user);
    return pending ? reviewerSection(pending, opts.publicUrl) : null;
  };
  const publishHome = homePublisher(opts.client, [reviewQueue, ...(opts.homeSections ?? [])]);

  // The one listener of the App Home: a second one would publish over the first's view.
  app.event('app_home_opened', async ({ event }) => {
    if (typeof event.user !== 'string') return;
    if (event.tab && event.tab !== 'home') return;
    await publishHome(event.user);
  });

  app.event('subteam_members_changed', async ({ event }) => {
    if (typeof event.subteam_id !== 'string') return;
    opts.review.groupChanged(event.subteam_id);
  });

  app.event('team_join', async ({ event }) => {
    const email = (event.user as { profile?: { email?: unknown } } | undefined)?.profile?.email;
    if (typeof email === 'string' && email) await opts.review.onTeamJoin({ email });
  });

  app.error(async (error) => {
    opts.logger.error({ err: error.message }, 'slack listener error');
  });
  return { app, receiver, publishHome };
}

function httpReceiver(opts: SlackAppOptions & { signingSecret?: string }): HonoReceiver {
  if (!opts.signingSecret) throw new Error('Slack over HTTP needs a signing secret');
  return new HonoReceiver({
    signingSecret: opts.signingSecret,
    clock: opts.clock,
    logger: opts.logger,
    ...(opts.firstSeen ? { firstSeen: opts.firstSeen } : {}),
  });
}
