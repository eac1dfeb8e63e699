import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { type Context, Hono } from 'hono';
import { limitBody, SLACK_BODY_LIMIT_BYTES } from '../http/body-limit.ts';
import type { AppEnv } from '../http/deps.ts';
import { checkDelivery } from './payload.ts';
import { checkSlackHeaders, verifySlackRequest } from './verify.ts';

export interface SlackLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Says whether a delivery (an event, a click, a submitted view) is seen for the first time. Shared across
 * processes and restarts in a deployment (Redis `SET NX PX`), so a retried or replayed request is acted on
 * once wherever it lands; `seenStore` is the one-process stand-in.
 */
export type FirstSeen = (key: string) => Promise<boolean>;

/** How long a delivery is remembered: longer than Slack's five-minute signature window. */
export const SEEN_TTL_MS = 10 * 60_000;

/** Remembers what was seen for a while, in this process only (tests, and a deployment without Redis). */
export function seenStore(ttlMs = SEEN_TTL_MS, max = 20_000) {
  const seen = new Map<string, number>();
  return {
    /** True the first time a key is seen within the TTL. */
    first(key: string, now: number): boolean {
      const at = seen.get(key);
      if (at !== undefined && now - at < ttlMs) return false;
      seen.delete(key);
      seen.set(key, now);
      if (seen.size > max) {
        const oldest = seen.keys().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      return true;
    },
  };
}

function identity(body: Record<string, unknown>): string | null {
  if (typeof body.event_id === 'string') return `event:${body.event_id}`;
  const actions = body.actions as { action_ts?: string; action_id?: string }[] | undefined;
  const user = (body.user as { id?: string } | undefined)?.id;
  if (actions?.[0]?.action_ts && user)
    return `action:${user}:${actions[0].action_id}:${actions[0].action_ts}`;
  const view = body.view as { id?: string; hash?: string } | undefined;
  if (body.type === 'view_submission' && view?.id) return `view:${view.id}:${view.hash ?? ''}`;
  return null;
}

/** Slack waits three seconds for an ack (HTTP answer or Socket Mode envelope ack); ours goes out before. */
export const ACK_TIMEOUT_MS = 2500;

/** What became of one delivery handed to Bolt. */
export type Delivery =
  | { kind: 'duplicate' }
  | { kind: 'unready' }
  /** Signed, but not the shape of anything Slack sends: never handed to Bolt, whose reading of it would throw. */
  | { kind: 'malformed'; problem: string }
  /** The listener acked; `reply` is its payload (view errors, a command's text), undefined for an empty ack. */
  | { kind: 'acked'; reply: unknown }
  /** No ack in time: answered empty so Slack does not retry or show the person an error. */
  | { kind: 'late' }
  /** Every listener done and none acked: answered empty at once, as a late one would be. */
  | { kind: 'unhandled' }
  /** The listener threw before acking: left unanswered (HTTP 500, no envelope ack) so an event is retried. */
  | { kind: 'failed' };

/**
 * Hands one delivery to Bolt, once: a delivery seen before (by its event, click or view, else by
 * `fallbackKey`) never reaches a listener. Resolves at the listener's ack, before its slower work ends, or
 * after ACK_TIMEOUT_MS by a timer — never the injected clock, so a frozen test clock cannot hold an answer.
 * Shared by the HTTP and Socket Mode transports, so both dedup and ack alike.
 */
export async function deliver(opts: {
  app: App | undefined;
  body: Record<string, unknown>;
  firstSeen: FirstSeen;
  logger: SlackLogger;
  retryNum?: number | undefined;
  retryReason?: string | undefined;
  /** The key of a delivery whose body names no event, click or view (Socket Mode: its envelope id). */
  fallbackKey?: string | undefined;
}): Promise<Delivery> {
  const { app, body, logger } = opts;
  if (!app) return { kind: 'unready' };
  const shape = checkDelivery(body);
  if (!shape.ok) {
    const type = typeof body.type === 'string' ? body.type : null;
    logger.warn({ type, problem: shape.problem }, 'slack payload refused');
    return { kind: 'malformed', problem: shape.problem };
  }
  const id = identity(body) ?? opts.fallbackKey ?? null;
  if (id && !(await opts.firstSeen(id))) return { kind: 'duplicate' };
  return new Promise<Delivery>((resolve) => {
    let settled = false;
    const settle = (delivery: Delivery) => {
      settled = true;
      clearTimeout(timer);
      resolve(delivery);
    };
    const timer = setTimeout(() => {
      if (!settled) settle({ kind: 'late' });
    }, ACK_TIMEOUT_MS);
    const event: ReceiverEvent = {
      body,
      ...(opts.retryNum !== undefined ? { retryNum: opts.retryNum } : {}),
      ...(opts.retryReason ? { retryReason: opts.retryReason } : {}),
      ack: async (reply?: unknown) => {
        // What a late ack carries (view errors) never reaches the person: worth knowing about.
        if (settled) logger.warn({ type: body.type }, 'slack ack after the answer was sent');
        else settle({ kind: 'acked', reply: reply === '' ? undefined : reply });
      },
    };
    app.processEvent(event).then(
      () => {
        // Bolt waits for every listener, so nothing acks after this: a delivery no listener took (a view
        // or button of no one's) is answered now instead of holding Slack until the timer.
        if (settled) return;
        logger.warn({ type: body.type }, 'slack delivery acked by no listener');
        settle({ kind: 'unhandled' });
      },
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'slack listener failed');
        if (!settled) settle({ kind: 'failed' });
      },
    );
  });
}

/** A delivery's outcome as the answer to Slack's HTTP request. */
function httpAnswer(delivery: Delivery): Response {
  switch (delivery.kind) {
    case 'unready':
      return new Response(null, { status: 503 });
    case 'failed':
      return new Response(null, { status: 500 });
    case 'malformed':
      return Response.json({ error: { code: 'bad_request', message: delivery.problem } }, { status: 400 });
    case 'acked': {
      const { reply } = delivery;
      if (reply === undefined) return new Response(null, { status: 200 });
      return typeof reply === 'string' ? new Response(reply, { status: 200 }) : Response.json(reply);
    }
    default:
      return new Response(null, { status: 200 });
  }
}

/**
 * Bolt's transport behind Hono: POST /slack/events is verified on the raw body, parsed (JSON events,
 * urlencoded interactivity `payload=` and commands), handed to `app.processEvent`, and answered with
 * whatever the listener acks — before the listener's slower work finishes.
 */
export class HonoReceiver implements Receiver {
  private app: App | undefined;
  private readonly firstSeen: FirstSeen;

  constructor(
    private readonly opts: {
      signingSecret: string;
      clock: () => Date;
      logger: SlackLogger;
      firstSeen?: FirstSeen;
    },
  ) {
    const local = seenStore();
    this.firstSeen = opts.firstSeen ?? (async (key) => local.first(key, opts.clock().getTime()));
  }

  init(app: App): void {
    this.app = app;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** The Hono sub-app to mount at /slack. */
  routes(): Hono<AppEnv> {
    const routes = new Hono<AppEnv>();
    const refuse = (c: Context, reason: string) => {
      this.opts.logger.warn({ reason }, 'slack request refused');
      return c.json({ error: { code: 'unauthorized', message: reason } }, 401);
    };
    // What can be judged on the headers is judged before a byte of the body is read, and the body is
    // then read only up to Slack's size: an unsigned or stale flood costs nothing, a signed one 1 MB.
    routes.use('*', async (c, next) => {
      const headers = checkSlackHeaders({
        timestamp: c.req.header('x-slack-request-timestamp'),
        signature: c.req.header('x-slack-signature'),
        nowSeconds: Math.floor(this.opts.clock().getTime() / 1000),
      });
      if (!headers.ok) return refuse(c, headers.reason);
      await next();
    });
    routes.use('*', limitBody(SLACK_BODY_LIMIT_BYTES));
    routes.post('/events', async (c) => {
      const raw = await c.req.text();
      const verdict = await verifySlackRequest({
        signingSecret: this.opts.signingSecret,
        body: raw,
        timestamp: c.req.header('x-slack-request-timestamp'),
        signature: c.req.header('x-slack-signature'),
        nowSeconds: Math.floor(this.opts.clock().getTime() / 1000),
      });
      if (!verdict.ok) return refuse(c, verdict.reason);
      let body: Record<string, unknown>;
      try {
        body = parseBody(raw, c.req.header('content-type') ?? '');
      } catch {
        return c.json({ error: { code: 'bad_request', message: 'unreadable body' } }, 400);
      }
      if (body.type === 'url_verification') return c.json({ challenge: body.challenge });
      const delivery = await deliver({
        app: this.app,
        body,
        firstSeen: this.firstSeen,
        logger: this.opts.logger,
        retryNum: c.req.header('x-slack-retry-num') ? Number(c.req.header('x-slack-retry-num')) : undefined,
        retryReason: c.req.header('x-slack-retry-reason'),
      });
      return httpAnswer(delivery);
    });
    return routes;
  }
}

/** Slack's body as an object; anything else (`null`, an array, a number), even signed, is unreadable. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return asObject(JSON.parse(raw));
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  if (payload !== null) return asObject(JSON.parse(payload));
  return Object.fromEntries(form.entries());
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('not a JSON object');
  }
  return value as Record<string, unknown>;
}
