import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Workflows } from '../../../workflows/index.ts';
import { checkinsOverview } from '../../checkins/overview.ts';
import { AppError } from '../../domain/errors.ts';
import { cleanText } from '../../domain/text.ts';
import { BoardPage } from '../../pages/admin/board.tsx';
import { CheckinsPage } from '../../pages/admin/checkins.tsx';
import { DetailPage } from '../../pages/admin/detail.tsx';
import type { Database } from '../../storage/schema.ts';
import { retryStep, withdraw } from '../../usecases/onboarding.ts';
import { audit, eraseApplication, type PrivacyContext } from '../../usecases/privacy.ts';
import { castVote, decide } from '../../usecases/review.ts';
import { reviewerIdentityOf } from '../../usecases/review-view.ts';
import {
  applicationDetail,
  boardColumns,
  exportApplicant,
  listApplications,
} from '../../usecases/staff-queries.ts';
import type { StaffContext } from '../../usecases/staff-sessions.ts';
import { requireStaff, staffPageGuards, staffWith } from '../admin-session.ts';
import { limitBody, STAFF_BODY_LIMIT_BYTES } from '../body-limit.ts';
import type { AppEnv } from '../deps.ts';
import { field, readForm } from '../form-body.ts';
import { formFields, intParam, pathParams, queryParams, stepParam, textParam, uuidParam } from '../input.ts';
import { failedStepParam, yesParam } from './admin-api-schemas.ts';
import { adminExports } from './admin-exports.ts';

export interface AdminPagesDeps extends PrivacyContext {
  db: Kysely<Database>;
  workflows: Workflows;
  /** Sessions and the current staff list. */
  sessions: StaffContext;
  publicUrl: string;
  poke: () => void;
}

const PAGE = 50;
const ID = { id: uuidParam };
const STEP = { id: uuidParam, step: stepParam };
const TEXT = textParam(100);
const PER_COLUMN = 12;
const BOARD_QUERY = {
  page: intParam(1, 10_000),
  cohort: TEXT,
  status: TEXT,
  flag: TEXT,
  q: textParam(200),
  failedStep: failedStepParam,
  deadlinePassed: yesParam,
  myVoteMissing: yesParam,
};
const CHECKINS_QUERY = { line: TEXT };
const VOTE_FORM = {
  vote: z.enum(['approve', 'reject', 'waitlist']),
  note: z
    .string()
    .max(2000)
    .transform((v) => cleanText(v).slice(0, 1000)),
};
const ANY_ROLE = ['coordinator', 'reviewer', 'viewer'] as const;
// A decision tells a person the outcome of their application: it is confirmed, and says why, every time.
const DECIDE_FORM = {
  outcome: z.enum(['accepted', 'declined', 'waitlisted']),
  confirm: z.literal('yes'),
  reason: z
    .string()
    .max(2000)
    .transform((v) => cleanText(v).slice(0, 500))
    .pipe(z.string().min(1)),
};
// A free-text reason may span lines; it is cleaned like every stored text.
const WITHDRAW_FORM = {
  confirm: z.literal('yes'),
  reason: z
    .string()
    .max(2000)
    .transform((v) => cleanText(v).slice(0, 500)),
};

/** The staff dashboard under /admin, for signed-in staff: the board, one application, check-ins, exports, privacy. */
export function adminPages(deps: AdminPagesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', ...staffPageGuards(deps.publicUrl));

  app.use('*', requireStaff(deps.sessions));
  app.use('/applications/*', limitBody(STAFF_BODY_LIMIT_BYTES));

  const viewerOf = (c: Context<AppEnv>) => {
    const person = staffWith(c, ...ANY_ROLE);
    return { person, viewer: { actor: person.actor, reviewer: reviewerIdentityOf(person.identity) } };
  };

  app.get('/', async (c) => {
    const { page: asked, ...filter } = queryParams(c, BOARD_QUERY);
    const page = asked ?? 1;
    const { person, viewer } = viewerOf(c);
    const common = {
      cohorts: [...deps.workflows.cohorts.values()].map((x) => ({ id: x.id, name: x.name.he })),
      filter,
      canExport: person.roles.includes('coordinator'),
    };
    // One status asked for: that stage as a list to page through; otherwise the board of every stage.
    if (filter.status) {
      const list = await listApplications(deps, viewer, filter, { limit: PAGE, offset: (page - 1) * PAGE });
      return c.html(<BoardPage {...common} list={{ rows: list.applications, more: list.more, page }} />);
    }
    const columns = await boardColumns(deps, viewer, filter, PER_COLUMN);
    return c.html(<BoardPage {...common} columns={columns} />);
  });

  const detail = async (c: Context<AppEnv>, message?: string, status: ContentfulStatusCode = 200) => {
    const { id } = pathParams(c, ID);
    const { person, viewer } = viewerOf(c);
    const found = await applicationDetail(deps, viewer, id);
    return c.html(
      <DetailPage
        app={found.application}
        cohort={found.cohort}
        votes={found.votes}
        votesHidden={found.votesHidden}
        steps={found.steps}
        events={found.events}
        message={message}
        viewer={{
          reviewer: viewer.reviewer,
          canVote: person.roles.includes('coordinator') || person.roles.includes('reviewer'),
          canDecide: person.roles.includes('coordinator'),
        }}
      />,
      status,
    );
  };
  /**
   * A review action the rules refuse (a conflicted reviewer, a full cohort, a decided application) comes
   * back as the application's page with the reason, where staff can act on it, instead of an error page.
   */
  const refusedHere = (c: Context<AppEnv>) => (error: unknown) => {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return detail(c, error.staffText, error.status as ContentfulStatusCode);
  };
  app.get('/applications/:id', (c) => detail(c, c.req.query('done') ? 'הפעולה בוצעה.' : undefined));

  const back = (c: Context, id: string) => c.redirect(`/admin/applications/${id}?done=1`, 303);
  app.post('/applications/:id/vote', async (c) => {
    const { id } = pathParams(c, ID);
    const { vote, note } = formFields(await readForm(c), VOTE_FORM);
    // Everyone votes in their own name only: the reviewer is the signed-in person, never a field.
    const { actor, identity } = staffWith(c, 'coordinator', 'reviewer');
    const reviewer = reviewerIdentityOf(identity);
    return castVote(deps, { applicationId: id, reviewer, vote, ...(note ? { note } : {}) }).then(
      async (result) => {
        await audit(deps.db, deps.clock(), actor, 'vote', id, { result: result.kind });
        return back(c, id);
      },
      refusedHere(c),
    );
  });
  app.post('/applications/:id/decide', async (c) => {
    const { id } = pathParams(c, ID);
    const { outcome, reason } = formFields(await readForm(c), DECIDE_FORM);
    const { actor, name } = staffWith(c, 'coordinator');
    const decided = decide(deps, { applicationId: id, outcome, actor, byName: name, reason });
    return decided.then(async (result) => {
      await audit(deps.db, deps.clock(), actor, 'decide', id, { outcome, reason, result: result.kind });
      return back(c, id);
    }, refusedHere(c));
  });
  app.post('/applications/:id/steps/:step/retry', async (c) => {
    const { id, step } = pathParams(c, STEP);
    const { actor } = staffWith(c, 'coordinator');
    const result = await retryStep(deps, { applicationId: id, step, actor });
    await audit(deps.db, deps.clock(), actor, 'retry', id, { step, result: result.kind });
    return back(c, id);
  });
  app.post('/applications/:id/withdraw', async (c) => {
    const { id } = pathParams(c, ID);
    const { reason } = formFields(await readForm(c), WITHDRAW_FORM);
    const { actor } = staffWith(c, 'coordinator');
    await withdraw(deps, { applicationId: id, actor, ...(reason ? { reason } : {}) });
    await audit(deps.db, deps.clock(), actor, 'withdraw', id, {});
    return back(c, id);
  });
  app.post('/applications/:id/erase', async (c) => {
    const { id } = pathParams(c, ID);
    const { actor } = staffWith(c, 'coordinator');
    if (field(await readForm(c), 'confirm') !== 'yes')
      throw new AppError('bad_request', 'confirmation required');
    const result = await eraseApplication(deps, { applicationId: id, actor, reason: 'staff' });
    if (result.kind === 'not_found') throw new AppError('not_found', 'no such application');
    return back(c, id);
  });
  app.get('/applications/:id/export.json', async (c) => {
    const { id } = pathParams(c, ID);
    const data = await exportApplicant(deps, { actor: staffWith(c, 'coordinator').actor }, id);
    c.header('Content-Disposition', `attachment; filename="kehila-${id}.json"`);
    return c.json(data);
  });

  app.route('/', adminExports(deps));

  app.get('/checkins', async (c) => {
    const lineId = queryParams(c, CHECKINS_QUERY).line;
    const overview = await checkinsOverview(deps, lineId);
    return c.html(<CheckinsPage programmes={overview.programmes} line={overview.line} />);
  });
  return app;
}
