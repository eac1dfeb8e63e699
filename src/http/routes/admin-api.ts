import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Workflows } from '../../../workflows/index.ts';
import { AppError } from '../../domain/errors.ts';
import type { Database } from '../../storage/schema.ts';
import { retryStep, withdraw } from '../../usecases/onboarding.ts';
import { decide } from '../../usecases/review.ts';
import { applicationCounts, applicationDetail, listApplications } from '../../usecases/staff-queries.ts';
import { limitBody, STAFF_BODY_LIMIT_BYTES } from '../body-limit.ts';
import type { AppEnv } from '../deps.ts';
import { pathParams, queryParams } from '../input.ts';
import type { FailureLimiter } from '../rate-limit.ts';
import { limitTokenFailures } from '../signin-limits.ts';
import { decisionBody, ID, LIST_QUERY, STEP, withdrawBody } from './admin-api-schemas.ts';
import { adminCheckins } from './admin-checkins.ts';

export interface AdminApiDeps {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  publicUrl: string;
  token: string;
  /** Wrong tokens per client address (SignInLimits.token). */
  tokenFailures: FailureLimiter;
  clientIp: (c: Context) => string;
  poke: () => void;
  /** Check-in history and controls; with Slack configured the controls can send. */
  checkins?: Parameters<typeof adminCheckins>[0];
}

/** The machine identity the bearer token acts as; it never stands for a person or a reviewer. */
export const API_TOKEN = 'api-token';

async function json<T>(req: { json(): Promise<unknown> }, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError('bad_request', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || '_body', i.code]));
    throw new AppError('validation_failed', 'some fields are invalid', { fields });
  }
  return parsed.data;
}

/** The admin JSON API: the whole pipeline usable without Slack, behind the bearer token. */
export function adminApi(deps: AdminApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    limitTokenFailures({
      token: deps.token,
      limiter: deps.tokenFailures,
      clientIp: deps.clientIp,
      clock: deps.clock,
    }),
  );
  app.use(
    '*',
    bearerAuth({
      token: deps.token,
      noAuthenticationHeader: { message: { error: { code: 'unauthorized' } } },
    }),
  );
  app.use('*', limitBody(STAFF_BODY_LIMIT_BYTES));
  const ctx = { ...deps };

  // The token reads through the dashboard's own queries, so both show the same and both leave an audit row.
  const viewer = { actor: API_TOKEN };

  app.get('/applications', async (c) => {
    const { limit, offset, ...filter } = queryParams(c, LIST_QUERY);
    const { applications } = await listApplications(ctx, viewer, filter, {
      limit: limit ?? 100,
      offset: offset ?? 0,
    });
    return c.json({ applications });
  });

  app.get('/applications/:id', async (c) => {
    const { id } = pathParams(c, ID);
    const found = await applicationDetail(ctx, viewer, id);
    return c.json({
      application: found.application,
      votes: found.votes,
      steps: found.steps,
      events: found.events,
      ...(found.votesHidden ? { votesHidden: true } : {}),
    });
  });

  app.post('/applications/:id/decision', async (c) => {
    const { id } = pathParams(c, ID);
    const { outcome, reason } = await json(c.req, decisionBody);
    const result = await decide(ctx, {
      applicationId: id,
      outcome,
      reason,
      actor: API_TOKEN,
      byName: API_TOKEN,
    });
    return c.json({ result: result.kind });
  });

  app.post('/applications/:id/steps/:step/retry', async (c) => {
    const { id, step } = pathParams(c, STEP);
    const result = await retryStep(ctx, { applicationId: id, step, actor: API_TOKEN });
    return c.json({ result: result.kind });
  });

  app.post('/applications/:id/withdraw', async (c) => {
    const { id } = pathParams(c, ID);
    const body = await json(c.req, withdrawBody);
    const result = await withdraw(ctx, { applicationId: id, actor: API_TOKEN, ...body });
    return c.json({ result: result.kind });
  });

  // Without Slack only the history is served: the controls answer 503 rather than send nothing.
  app.route(
    '/checkins',
    adminCheckins(deps.checkins ?? { db: deps.db, workflows: deps.workflows, clock: deps.clock }),
  );

  app.get('/stats', async (c) => c.json({ counts: await applicationCounts(deps) }));
  // An unknown path under the API is the API's own 404 (JSON, after the token check), not the dashboard's
  // sign-in gate mounted at /admin behind it. Votes have no route: the token is no reviewer.
  app.all('*', () => {
    throw new AppError('not_found', 'no such admin API route');
  });
  return app;
}
