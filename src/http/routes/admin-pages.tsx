import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Workflows } from '../../../workflows/index.ts';
import { checkinsOverview } from '../../checkins/overview.ts';
import { AppError } from '../../domain/errors.ts';
import type { ApplicationStatus } from '../../domain/lifecycle.ts';
import { cleanText } from '../../domain/text.ts';
import { BoardPage } from '../../pages/admin/board.tsx';
import { CheckinsPage } from '../../pages/admin/checkins.tsx';
import { DetailPage } from '../../pages/admin/detail.tsx';
import type { Database } from '../../storage/schema.ts';
import { retryStep, withdraw } from '../../usecases/onboarding.ts';
import { audit, eraseApplication, exportPerson, type PrivacyContext } from '../../usecases/privacy.ts';
import { castVote, decide, staffReviewView } from '../../usecases/review.ts';
import { reviewerIdentityOf } from '../../usecases/review-view.ts';
import type { StaffContext } from '../../usecases/staff-sessions.ts';
import { requireStaff, staffPageGuards, staffWith } from '../admin-session.ts';
import { limitBody, STAFF_BODY_LIMIT_BYTES } from '../body-limit.ts';
import type { AppEnv } from '../deps.ts';
import { field, readForm } from '../form-body.ts';
import { formFields, intParam, pathParams, queryParams, stepParam, textParam, uuidParam } from '../input.ts';
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
const BOARD_QUERY = { page: intParam(1, 10_000), cohort: TEXT, status: TEXT, flag: TEXT, q: textParam(200) };
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

  app.get('/', async (c) => {
    const q = queryParams(c, BOARD_QUERY);
    const page = q.page ?? 1;
    let query = deps.db
      .selectFrom('applications')
      .select(['id', 'reference', 'cohort', 'full_name', 'organisation', 'status', 'flags', 'created_at'])
      .orderBy('created_at', 'desc')
      .limit(PAGE + 1)
      .offset((page - 1) * PAGE);
    if (q.cohort) query = query.where('cohort', '=', q.cohort);
    if (q.status) query = query.where('status', '=', q.status as ApplicationStatus);
    if (q.flag) query = query.where('flags', '@>', JSON.stringify([q.flag]) as never);
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('full_name', 'ilike', like),
          eb('email', 'ilike', like),
          eb('reference', 'ilike', like),
          eb('organisation', 'ilike', like),
        ]),
      );
    }
    const rows = await query.execute();
    const counts = await deps.db
      .selectFrom('applications')
      .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
      .groupBy('status')
      .execute();
    return c.html(
      <BoardPage
        rows={rows.slice(0, PAGE)}
        more={rows.length > PAGE}
        page={page}
        counts={counts.map((r) => ({ status: r.status, count: Number(r.count) }))}
        cohorts={[...deps.workflows.cohorts.values()].map((x) => ({ id: x.id, name: x.name.he }))}
        filter={{ cohort: q.cohort, status: q.status, flag: q.flag, q: q.q }}
        canExport={staffWith(c, ...ANY_ROLE).roles.includes('coordinator')}
      />,
    );
  });

  const detail = async (c: Context<AppEnv>, message?: string, status: ContentfulStatusCode = 200) => {
    const { id } = pathParams(c, ID);
    const appRow = await deps.db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!appRow) throw new AppError('not_found', 'no such application');
    const [votes, steps, events] = await Promise.all([
      deps.db.selectFrom('votes').selectAll().where('application_id', '=', id).orderBy('at').execute(),
      deps.db.selectFrom('steps').selectAll().where('application_id', '=', id).orderBy('step').execute(),
      deps.db
        .selectFrom('application_events')
        .selectAll()
        .where('application_id', '=', id)
        .orderBy('id')
        .execute(),
    ]);
    const person = staffWith(c, ...ANY_ROLE);
    await audit(deps.db, deps.clock(), person.actor, 'view_application', id);
    const cohort = deps.workflows.cohorts.get(appRow.cohort);
    const review = staffReviewView(cohort, appRow.status, votes, events);
    return c.html(
      <DetailPage
        app={appRow}
        cohort={cohort}
        votes={review.votes}
        votesHidden={review.hidden}
        steps={steps}
        events={review.events}
        message={message}
        viewer={{
          reviewer: reviewerIdentityOf(person.identity),
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
    const row = await deps.db
      .selectFrom('applications')
      .select('email')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row?.email) throw new AppError('not_found', 'nothing held for this application');
    const data = await exportPerson(deps, { email: row.email, actor: staffWith(c, 'coordinator').actor });
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
