import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Workflows } from '../../../workflows/index.ts';
import { checkinsCsv } from '../../checkins/export.ts';
import { AppError } from '../../domain/errors.ts';
import type { ApplicationStatus } from '../../domain/lifecycle.ts';
import type { Database } from '../../storage/schema.ts';
import { accessibilityCsv, applicationsCsv } from '../../usecases/csv.ts';
import { audit } from '../../usecases/privacy.ts';
import { staffWith } from '../admin-session.ts';
import type { AppEnv } from '../deps.ts';
import { pathParams, queryParams, slugParam, textParam } from '../input.ts';

export interface AdminExportsDeps {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
}

const TEXT = textParam(100);
const EXPORT_QUERY = { cohort: TEXT, status: TEXT };
const PROGRAMME = { programme: slugParam };

const csv = (c: Context, body: string, name: string) =>
  c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
  });

/**
 * The dashboard's CSV exports for Excel. Each is written to the audit log with its filters before it is
 * answered, so a file of personal data never leaves without a trace of who took it.
 */
export function adminExports(deps: AdminExportsDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const filterOf = (c: Context) => {
    const q = queryParams(c, EXPORT_QUERY);
    return { cohort: q.cohort, status: q.status as ApplicationStatus | undefined };
  };
  const filterDetail = (f: ReturnType<typeof filterOf>) => ({
    cohort: f.cohort ?? null,
    status: f.status ?? null,
  });

  app.get('/export.csv', async (c) => {
    const { actor } = staffWith(c, 'coordinator');
    const filter = filterOf(c);
    const body = await applicationsCsv(deps.db, deps.workflows, filter);
    await audit(deps.db, deps.clock(), actor, 'export_csv', null, filterDetail(filter));
    return csv(c, body, 'kehila-applications.csv');
  });
  // Accessibility needs are health information: only coordinators, who arrange the meetings, take them out.
  app.get('/export-accessibility.csv', async (c) => {
    const { actor } = staffWith(c, 'coordinator');
    const filter = filterOf(c);
    const body = await accessibilityCsv(deps.db, deps.workflows, filter);
    await audit(deps.db, deps.clock(), actor, 'export_accessibility_csv', null, filterDetail(filter));
    return csv(c, body, 'kehila-accessibility.csv');
  });
  app.get('/checkins/:programme/export.csv', async (c) => {
    const { actor } = staffWith(c, 'coordinator', 'reviewer', 'viewer');
    const { programme } = pathParams(c, PROGRAMME);
    const found = deps.workflows.programmes.get(programme);
    if (!found) throw new AppError('not_found', 'no such programme');
    const body = await checkinsCsv(deps, found);
    await audit(deps.db, deps.clock(), actor, 'export_checkins_csv', null, { programme });
    return csv(c, body, `kehila-checkins-${programme}.csv`);
  });
  return app;
}
