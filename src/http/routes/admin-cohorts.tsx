import { Hono } from 'hono';
import { CohortPage, CohortsPage } from '../../pages/admin/cohort.tsx';
import { type CohortViewContext, cohortsSummary, cohortView } from '../../usecases/cohort-view.ts';
import type { StaffContext } from '../../usecases/staff-sessions.ts';
import { requireStaff, staffPageGuards, staffWith } from '../admin-session.ts';
import type { AppEnv } from '../deps.ts';
import { pathParams, slugParam } from '../input.ts';

export interface AdminCohortsDeps extends CohortViewContext {
  sessions: StaffContext;
  publicUrl: string;
}

const COHORT = { cohort: slugParam };

/** The cohorts under /admin/cohorts, for signed-in staff: places, meetings, who is coming and what to prepare. */
export function adminCohorts(deps: AdminCohortsDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', ...staffPageGuards(deps.publicUrl));
  app.use('*', requireStaff(deps.sessions));

  app.get('/', async (c) => {
    staffWith(c, 'coordinator', 'reviewer', 'viewer');
    return c.html(<CohortsPage cohorts={await cohortsSummary(deps)} />);
  });
  app.get('/:cohort', async (c) => {
    const { cohort } = pathParams(c, COHORT);
    const person = staffWith(c, 'coordinator', 'reviewer', 'viewer');
    // The arrangements are health information: coordinators prepare them, everyone else sees how many.
    const showNeeds = person.roles.includes('coordinator');
    const view = await cohortView(deps, { cohortId: cohort, actor: person.actor, showNeeds });
    return c.html(<CohortPage view={view} />);
  });
  return app;
}
