import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { type Context, Hono } from 'hono';
import { limitBody, SLACK_BODY_LIMIT_BYTES } from '../http/body-limit.ts';
import type { AppEnv } from '../http/deps.ts';
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

const ACK_TIMEOUT_MS = 2500;

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
      const id = identity(body);
      if (id && !(await this.firstSeen(id))) return c.body(null, 200);
      if (!this.app) return c.body(null, 503);

      const response = await new Promise<Response>((resolve) => {
        let acked = false;
        const timer = setTimeout(() => {
          if (!acked) {
            acked = true;
            resolve(new Response(null, { status: 200 }));
          }
        }, ACK_TIMEOUT_MS);
        const event: ReceiverEvent = {
          body,
          ...(c.req.header('x-slack-retry-num')
            ? { retryNum: Number(c.req.header('x-slack-retry-num')) }
            : {}),
          ...(c.req.header('x-slack-retry-reason')
            ? { retryReason: c.req.header('x-slack-retry-reason') as string }
            : {}),
          ack: async (reply?: unknown) => {
            if (acked) return;
            acked = true;
            clearTimeout(timer);
            resolve(
              reply === undefined || reply === ''
                ? new Response(null, { status: 200 })
                : typeof reply === 'string'
                  ? new Response(reply, { status: 200 })
                  : Response.json(reply),
            );
          },
        };
        this.app?.processEvent(event).catch((error: unknown) => {
          this.opts.logger.error({ err: (error as Error).message }, 'slack listener failed');
          if (!acked) {
            acked = true;
            clearTimeout(timer);
            resolve(new Response(null, { status: 500 }));
          }
        });
      });
      return response;
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
