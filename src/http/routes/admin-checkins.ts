import { type Context, Hono } from 'hono';
import { type CheckinContext, closeRoundNow, history, startRoundNow } from '../../checkins/rounds.ts';
import { AppError } from '../../domain/errors.ts';
import type { AppEnv } from '../deps.ts';
import { pathParams } from '../input.ts';
import { ROUND, SLUG } from './admin-api-schemas.ts';

/** Check-in history and staff controls under /admin/api/checkins (the admin API's bearer token guards it). */
export function adminCheckins(
  ctx: CheckinContext | Pick<CheckinContext, 'db' | 'workflows' | 'clock'>,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const known = (c: Context) => {
    const { id } = pathParams(c, SLUG);
    if (!ctx.workflows.programmes.has(id)) throw new AppError('not_found', 'no such programme');
    return id;
  };
  app.get('/programmes', (c) =>
    c.json({
      programmes: [...ctx.workflows.programmes.values()].map((p) => ({
        id: p.id,
        name: p.name,
        actionLines: p.actionLines,
      })),
    }),
  );
  app.get('/programmes/:id/rounds', async (c) => c.json({ rounds: await history.rounds(ctx, known(c)) }));
  app.get('/rounds/:id', async (c) => {
    const round = await history.round(ctx, pathParams(c, ROUND).id);
    if (!round) throw new AppError('not_found', 'no such round');
    return c.json(round);
  });
  app.get('/action-lines/:id', async (c) =>
    c.json({ answers: await history.actionLine(ctx, pathParams(c, SLUG).id) }),
  );
  const full = (): CheckinContext => {
    if (!('slack' in ctx))
      throw new AppError('unavailable', 'check-ins need Slack to be configured', { retryable: false });
    return ctx;
  };
  // The id is checked before the Slack configuration, so a bad one is a 400 or 404 either way.
  app.post('/programmes/:id/start', async (c) => {
    const id = known(c);
    return c.json({ round: await startRoundNow(full(), id) });
  });
  app.post('/programmes/:id/close', async (c) => {
    const id = known(c);
    return c.json({ closed: await closeRoundNow(full(), id) });
  });
  return app;
}
