/**
 * The public form at the edge. The same Hono app, pages and schemas as the core serve
 * the form; a valid submission is relayed, signed, to the core's JSON intake, and when the core does not
 * answer in time it waits in a Cloudflare Queue and is delivered later under the same idempotency key.
 */
import { Hono } from 'hono';
import { loadWorkflows, type Workflows } from '../../workflows/index.ts';
import { admitApplication } from '../domain/application.ts';
import { timingSafeEqual } from '../domain/digest.ts';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import { type AppEnv, createApp, type Logger } from '../http/app.tsx';
import { formTokens } from '../http/form-token.ts';
import { memoryRateLimiter } from '../http/rate-limit.ts';
import type { SubmitRequest, SubmitResult } from '../usecases/submit-application.ts';
import type { KVNamespace, MessageBatch, Queue } from './bindings.ts';
import { type CoreLink, relayToCore, type Submission, submissionKey } from './relay.ts';
import { turnstile } from './turnstile.ts';

export interface EdgeEnv {
  /** The core's public base URL; its JSON intake is at /api/cohorts/:cohort/applications. */
  CORE_URL: string;
  /** This Worker's own public URL (form posts must come from it). */
  PUBLIC_URL: string;
  /** Shared with the core's EDGE_SHARED_SECRET; signs every relay. A Worker secret, never a var. */
  EDGE_SHARED_SECRET: string;
  /** Signs the form's fill-time tokens; falls back to the relay secret. */
  FORM_SECRET?: string;
  /** Cohort settings as JSON, the same document as the core's KEHILA_SETTINGS file. */
  KEHILA_SETTINGS?: string;
  TURNSTILE_SITE_KEY?: string;
  TURNSTILE_SECRET?: string;
  TURNSTILE_VERIFY_URL?: string;
  /** How long the form waits for the core before queueing (default 4000 ms). */
  CORE_TIMEOUT_MS?: string;
  /** First retry delay of the queue consumer; it doubles per attempt up to an hour (default 30 s). */
  RETRY_BASE_SECONDS?: string;
  /** The fewest milliseconds a person needs to fill the form (default 3000). */
  MIN_FILL_MS?: string;
  /** Bearer token for the dead-letter routes; without it they do not exist. */
  EDGE_ADMIN_TOKEN?: string;
  SUBMISSIONS: Queue<Submission>;
  DEAD_LETTERS: KVNamespace;
}

/** The dead-letter queue's name, as in wrangler.toml. */
export const DEAD_LETTER_QUEUE = 'kehila-submissions-dead';
/** How long a dead letter (which holds personal data) is kept for staff to replay it. */
export const DEAD_LETTER_TTL_SECONDS = 14 * 24 * 3600;

const logger: Logger = {
  info: (obj, msg) => console.log(JSON.stringify({ level: 'info', msg, ...obj })),
  warn: (obj, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...obj })),
  error: (obj, msg) => console.error(JSON.stringify({ level: 'error', msg, ...obj })),
};

const RELAYED_CODES = new Set<ErrorCode>([
  'validation_failed',
  'not_found',
  'cohort_closed',
  'idempotency_conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'bad_request',
]);

function linkOf(env: EdgeEnv): CoreLink {
  return {
    coreUrl: env.CORE_URL,
    secret: env.EDGE_SHARED_SECRET,
    timeoutMs: Number(env.CORE_TIMEOUT_MS ?? 4000),
    now: () => Date.now(),
  };
}

/**
 * The body as the core's JSON intake takes it, with the language the edge negotiated: the relay carries no
 * Accept-Language of the applicant's, and the body is what its signature covers.
 */
function withLanguage(body: unknown, language: SubmitRequest['language']): unknown {
  if (!language || typeof body !== 'object' || body === null || Array.isArray(body) || 'language' in body)
    return body;
  return { ...body, language };
}

/** Validates at the edge, relays, and queues when the core is away. */
async function submitAtEdge(env: EdgeEnv, workflows: Workflows, req: SubmitRequest): Promise<SubmitResult> {
  // Answered here when invalid, in Hebrew with the values kept, without touching the core.
  const { cohort, input } = admitApplication(workflows, req.cohortId, req.body);
  const submission: Submission = {
    cohortId: cohort.id,
    key: await submissionKey(
      cohort.id,
      req.idempotencyKey ? `key:${req.idempotencyKey}` : JSON.stringify(input),
    ),
    body: JSON.stringify(withLanguage(req.body, req.language)),
    clientIp: req.clientIp ?? 'unknown',
    flags: req.flags ?? [],
    receivedAt: new Date().toISOString(),
  };
  const outcome = await relayToCore(linkOf(env), submission);
  if (outcome.kind === 'accepted') {
    return { httpStatus: outcome.status, body: outcome.body, created: outcome.status === 201 };
  }
  if (outcome.kind === 'refused') {
    const code = RELAYED_CODES.has(outcome.code as ErrorCode) ? (outcome.code as ErrorCode) : 'bad_request';
    throw new AppError(code, outcome.message, {
      ...(outcome.fields ? { fields: outcome.fields } : {}),
      ...(outcome.retryAfterSeconds ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
    });
  }
  try {
    await env.SUBMISSIONS.send({ ...submission, flags: [...submission.flags, 'queued_at_edge'] });
  } catch (error) {
    logger.error({ key: submission.key, err: (error as Error).message }, 'could not queue a submission');
    throw new AppError('unavailable', 'the submission could not be stored; please try again', {
      retryAfterSeconds: 30,
    });
  }
  logger.warn({ key: submission.key, reason: outcome.reason }, 'core away: submission queued');
  return {
    httpStatus: 201,
    body: { id: '', reference: '', status: 'received' },
    created: true,
    queued: true,
  };
}

let cached: { env: EdgeEnv; app: Hono<AppEnv> } | undefined;

/** One app per isolate: rate-limit windows live as long as the isolate does. */
export function edgeApp(env: EdgeEnv): Hono<AppEnv> {
  if (cached?.env === env) return cached.app;
  if (!env.EDGE_SHARED_SECRET || env.EDGE_SHARED_SECRET.length < 16) {
    // Without it nothing can be relayed; failing loudly beats accepting forms that cannot reach the core.
    throw new Error(
      'EDGE_SHARED_SECRET (16+ characters) is not set: `npx wrangler secret put EDGE_SHARED_SECRET`',
    );
  }
  const workflows = loadWorkflows(env.KEHILA_SETTINGS ? JSON.parse(env.KEHILA_SETTINGS) : {});
  const app = createApp({
    workflows,
    publicUrl: env.PUBLIC_URL,
    clock: () => new Date(),
    formTokens: formTokens(env.FORM_SECRET ?? env.EDGE_SHARED_SECRET),
    // A first line only: each isolate counts alone, and Cloudflare runs many, so a client spread over them gets
    // the limit many times. The real limits are the core's, in Redis, keyed by the address the relay signs.
    limits: {
      ip: memoryRateLimiter({ limit: 30, windowMs: 10 * 60_000 }),
      email: memoryRateLimiter({ limit: 5, windowMs: 60 * 60_000 }),
    },
    clientIp: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    submit: (req) => submitAtEdge(env, workflows, req),
    readiness: async () => ({ edge: true }),
    logger,
    botCheck:
      env.TURNSTILE_SITE_KEY && env.TURNSTILE_SECRET
        ? turnstile({
            siteKey: env.TURNSTILE_SITE_KEY,
            secret: env.TURNSTILE_SECRET,
            verifyUrl: env.TURNSTILE_VERIFY_URL,
          })
        : undefined,
    ...(env.MIN_FILL_MS !== undefined ? { minFillMs: Number(env.MIN_FILL_MS) } : {}),
    mounts: env.EDGE_ADMIN_TOKEN ? [{ path: '/edge', app: deadLetterRoutes(env) }] : [],
  });
  cached = { env, app };
  return app;
}

function deadLetterRoutes(env: EdgeEnv) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    if (!timingSafeEqual(c.req.header('authorization') ?? '', `Bearer ${env.EDGE_ADMIN_TOKEN}`)) {
      throw new AppError('unauthorized', 'bearer token required');
    }
    await next();
  });
  // How many are waiting, without personal data; staff replay them once the core is healthy.
  app.get('/dead-letters', async (c) => {
    const { keys } = await env.DEAD_LETTERS.list({ prefix: 'dead:' });
    return c.json({ count: keys.length, keys: keys.map((k) => k.name) });
  });
  app.post('/dead-letters/replay', async (c) => {
    const { keys } = await env.DEAD_LETTERS.list({ prefix: 'dead:' });
    let replayed = 0;
    for (const { name } of keys) {
      const stored = await env.DEAD_LETTERS.get(name);
      if (!stored) continue;
      const letter = JSON.parse(stored) as DeadLetter;
      await env.SUBMISSIONS.send(letter.submission);
      await env.DEAD_LETTERS.put(name, JSON.stringify({ ...letter, replayedAt: new Date().toISOString() }), {
        expirationTtl: 3600,
      });
      replayed += 1;
    }
    return c.json({ replayed });
  });
  return app;
}

interface DeadLetter {
  submission: Submission;
  reason: string;
  at: string;
  replayedAt?: string;
}

async function keepDeadLetter(env: EdgeEnv, submission: Submission, reason: string) {
  const letter: DeadLetter = { submission, reason, at: new Date().toISOString() };
  await env.DEAD_LETTERS.put(`dead:${submission.receivedAt}:${submission.key}`, JSON.stringify(letter), {
    expirationTtl: DEAD_LETTER_TTL_SECONDS,
  });
  logger.error({ key: submission.key, reason }, 'submission dead-lettered');
}

/** Delivers queued submissions; gives up on one only into the dead-letter store, never into nothing. */
export async function deliverQueued(batch: MessageBatch<Submission>, env: EdgeEnv): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) {
    for (const msg of batch.messages) {
      await keepDeadLetter(env, msg.body, `not delivered after ${msg.attempts} attempts`);
      msg.ack();
    }
    return;
  }
  const link = linkOf(env);
  const base = Number(env.RETRY_BASE_SECONDS ?? 30);
  for (const msg of batch.messages) {
    const outcome = await relayToCore(link, msg.body);
    if (outcome.kind === 'accepted') {
      logger.info(
        { key: msg.body.key, attempts: msg.attempts, status: outcome.status },
        'queued submission delivered',
      );
      msg.ack();
    } else if (outcome.kind === 'refused' && outcome.status !== 429) {
      await keepDeadLetter(env, msg.body, `${outcome.status} ${outcome.code}`);
      msg.ack();
    } else {
      const backoff = Math.min(base * 2 ** Math.max(0, msg.attempts - 1), 3600);
      msg.retry({ delaySeconds: outcome.retryAfterSeconds ?? backoff });
    }
  }
}
