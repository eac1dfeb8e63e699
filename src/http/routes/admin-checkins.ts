import { Hono } from 'hono';
import { type CheckinContext, closeRoundNow, history, startRoundNow } from '../../checkins/rounds.ts';
import { AppError } from '../../domain/errors.ts';
import type { AppEnv } from '../deps.ts';

/** Check-in history and staff controls under /admin/api/checkins (the admin API's bearer token guards it). */
export function adminCheckins(
  ctx: CheckinContext | Pick<CheckinContext, 'db' | 'workflows' | 'clock'>,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const known = (id: string) => {
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
  app.get('/programmes/:id/rounds', async (c) =>
    c.json({ rounds: await history.rounds(ctx, known(c.req.param('id'))) }),
  );
  app.get('/rounds/:id', async (c) => {
    const round = await history.round(ctx, c.req.param('id')).catch(() => null);
    if (!round) throw new AppError('not_found', 'no such round');
    return c.json(round);
  });
  app.get('/action-lines/:id', async (c) =>
    c.json({ answers: await history.actionLine(ctx, c.req.param('id')) }),
  );
  const full = (): CheckinContext => {
    if (!('slack' in ctx))
      throw new AppError('unavailable', 'check-ins need Slack to be configured', { retryable: false });
    return ctx;
  };
  app.post('/programmes/:id/start', async (c) => {
    const round = await startRoundNow(full(), known(c.req.param('id')));
    return c.json({ round });
  });
  app.post('/programmes/:id/close', async (c) =>
    c.json({ closed: await closeRoundNow(full(), known(c.req.param('id'))) }),
  );
  return app;
}
