import type { App, Receiver } from '@slack/bolt';
import { type Logger, LogLevel, SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import { type Delivery, deliver, type FirstSeen, type SlackLogger, seenStore } from './receiver.ts';

type ServiceLogger = SlackLogger & { info(obj: object, msg?: string): void };

/** One envelope as the client hands it on (`slack_event`): the payload, and the ack that answers it. */
interface Envelope {
  envelope_id: string;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
  ack(response?: unknown): Promise<void>;
}

export interface SocketReceiverOptions {
  /** SLACK_APP_TOKEN (xapp-…): opens connections, nothing else. */
  appToken: string;
  /** SLACK_API_URL: where `apps.connections.open` is called, as every other Web API call. */
  slackApiUrl?: string | undefined;
  clock: () => Date;
  logger: ServiceLogger;
  /** The shared record of deliveries already acted on (Redis in a deployment), the same as over HTTP. */
  firstSeen?: FirstSeen;
  /** The library's pong deadline, which is also its pause before reconnecting (default 5 s). */
  clientPingTimeoutMs?: number;
  serverPingTimeoutMs?: number;
}

/**
 * Slack over Socket Mode: `@slack/socket-mode`'s client behind our own Receiver rather than Bolt's
 * SocketModeReceiver, because Bolt's hands every envelope straight to the listeners — no memory of what was
 * delivered, though Slack redelivers an envelope whose ack it missed, on any of the app's connections — and
 * never acks a slow listener (its own TODO). Ours sends each envelope through the same `deliver` as HTTP:
 * deduplicated through the shared `firstSeen`, the listener's ack payload (a view's `response_action: errors`)
 * returned in the envelope ack, an empty ack before Slack's three seconds, and our logger, payloads never logged.
 */
export class SocketReceiver implements Receiver {
  private app: App | undefined;
  private stopped = false;
  private readonly firstSeen: FirstSeen;
  private readonly client: SocketClient;

  constructor(private readonly opts: SocketReceiverOptions) {
    const local = seenStore();
    this.firstSeen = opts.firstSeen ?? (async (key) => local.first(key, opts.clock().getTime()));
    this.client = new SocketClient(
      {
        appToken: opts.appToken,
        logger: slackLogger(opts.logger),
        // A fresh object: the client writes its own retry policy into the options it is given.
        clientOptions: { ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}), timeout: 10_000 },
        ...(opts.clientPingTimeoutMs ? { clientPingTimeout: opts.clientPingTimeoutMs } : {}),
        ...(opts.serverPingTimeoutMs ? { serverPingTimeout: opts.serverPingTimeoutMs } : {}),
      },
      (error) => {
        // A stop while a reconnection waits for hello rejects it too (with nothing): not a failure.
        if (!this.stopped) opts.logger.error({ err: String(error) }, 'slack socket mode reconnect failed');
      },
    );
    this.client.on('slack_event', (envelope: Envelope) => {
      void this.onEnvelope(envelope);
    });
    this.client.on('connected', () => {
      // A connection opened while stop() was waiting for apps.connections.open: close it too.
      if (this.stopped) void this.client.disconnect();
      else opts.logger.info({}, 'slack socket mode connected');
    });
    this.client.on('reconnecting', () => opts.logger.info({}, 'slack socket mode reconnecting'));
  }

  init(app: App): void {
    this.app = app;
  }

  /** Resolves once Slack has said hello on the first connection; rejects if the token is refused. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.client.connect().catch((error: unknown) => {
      // A stop before the first hello is not a failure to connect.
      if (!this.stopped) throw error;
    });
  }

  /** Closes the connection and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.client.disconnect();
  }

  private async onEnvelope(envelope: Envelope): Promise<void> {
    const delivery = await deliver({
      app: this.app,
      body: envelope.body,
      firstSeen: this.firstSeen,
      logger: this.opts.logger,
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
      fallbackKey: `envelope:${envelope.envelope_id}`,
    }).catch((error: unknown): Delivery => {
      this.opts.logger.error({ err: (error as Error).message }, 'slack delivery failed');
      return { kind: 'failed' };
    });
    // Left unanswered, as HTTP answers 500 or 503: Slack delivers an event again (firstSeen has it already).
    if (delivery.kind === 'failed' || delivery.kind === 'unready') return;
    // A malformed envelope is acked empty like a duplicate: delivered again, it would be refused again.
    const reply = delivery.kind === 'acked' ? delivery.reply : undefined;
    // A socket that dropped since the envelope came cannot carry its ack; Slack redelivers on the next one,
    // where firstSeen answers it without acting twice.
    await envelope.ack(reply).catch((error: unknown) => {
      this.opts.logger.warn({ err: (error as Error).message, type: envelope.type }, 'slack ack not sent');
    });
  }
}

/**
 * The library reconnects by calling `this.start()` and never handles its rejection — a token revoked while
 * reconnecting, or a stop while a reconnect waits for hello — and in Node an unhandled rejection ends the
 * process. Reconnects go through this override, which reports the failure instead; the first connection
 * (`connect`) still rejects to its caller.
 */
class SocketClient extends SocketModeClient {
  constructor(
    options: SocketModeOptions,
    private readonly onReconnectFailure: (error: unknown) => void,
  ) {
    super(options);
  }

  /** The first connection, rejecting as the library's start does. */
  async connect(): Promise<void> {
    await super.start();
  }

  override start(): ReturnType<SocketModeClient['start']> {
    return super.start().catch((error: unknown) => {
      this.onReconnectFailure(error);
      return { ok: false };
    });
  }
}

/**
 * Our logger in @slack/logger's shape. Debug lines are dropped: the library writes whole payloads (people's
 * names and answers) and the connection URL, with its ticket, at debug.
 */
function slackLogger(logger: ServiceLogger): Logger {
  const line = (parts: unknown[]) => parts.map(String).join(' ');
  const context = { transport: 'slack-socket-mode' };
  return {
    debug: () => {},
    info: (...parts: unknown[]) => logger.info(context, line(parts)),
    warn: (...parts: unknown[]) => logger.warn(context, line(parts)),
    error: (...parts: unknown[]) => logger.error(context, line(parts)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
