// The queues for staff, through bull-board, behind the same login as the dashboard. Node only: the board's
// adapter reads its page and assets from the file system. Jobs carry ids only, so it shows no personal data.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { AppError } from '../../domain/errors.ts';
import type { StaffContext } from '../../usecases/staff-sessions.ts';
import { requireStaff, staffWith } from '../admin-session.ts';
import type { AppEnv } from '../deps.ts';

// The board's page sets a <base>, styles itself inline and loads its scripts from 'self'; nothing else is
// relaxed from the app's policy.
const BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;

/**
 * The queue board under /admin/queues: any signed-in staff may look, only a coordinator may change a queue
 * or a job, and only from our own pages.
 */
export function queueBoard(deps: {
  queues: Queue[];
  sessions: StaffContext;
  publicUrl: string;
  basePath?: string;
}): Hono<AppEnv> {
  const publicOrigin = new URL(deps.publicUrl).origin;
  const basePath = deps.basePath ?? '/admin/queues';
  const adapter = new HonoAdapter(serveStatic);
  createBullBoard({
    queues: deps.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'kehila', locale: { lng: 'en' } } },
  });
  adapter.setBasePath(basePath);
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff(deps.sessions));
  app.use('*', async (c, next) => {
    if (SAFE_METHOD.test(c.req.method)) return next();
    // The board's script sends JSON, which the form-only CSRF check in front of /admin lets through whatever
    // its Origin. A browser sends Origin on every such request, so a missing or foreign one is refused.
    const origin = c.req.header('origin');
    if (origin !== publicOrigin && origin !== new URL(c.req.url).origin) {
      throw new AppError('forbidden', 'changes to the queues must come from the board itself');
    }
    staffWith(c, 'coordinator');
    return next();
  });
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', BOARD_CSP);
  });
  app.route('/', adapter.registerPlugin() as unknown as Hono<AppEnv>);
  return app;
}
