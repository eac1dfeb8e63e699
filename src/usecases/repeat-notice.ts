import { renderRepeatNotice } from '../mail/repeat-texts.ts';
import { myApplicationUrl } from './applicant-link.ts';
import type { PipelineContext } from './context.ts';

/**
 * The `repeat` job: tells the owner that their form came in again, that their application stands and that
 * the new answers wait on their page, with the link to it. The decision to send (once per address in ten
 * minutes) was taken with the repeat itself; this only delivers, under the job's id, so a retry is one
 * e-mail. An application erased meanwhile, or whose proposal was already settled, gets nothing.
 */
export async function sendRepeatNotice(ctx: PipelineContext, applicationId: string, jobId: string) {
  const app = await ctx.db
    .selectFrom('applications')
    .innerJoin('proposed_updates', 'proposed_updates.application_id', 'applications.id')
    .select(['applications.id', 'cohort', 'email', 'full_name', 'applications.language'])
    .where('applications.id', '=', applicationId)
    .executeTakeFirst();
  const cohort = app ? ctx.workflows.cohorts.get(app.cohort) : undefined;
  if (!app?.email || !cohort) return;
  const notice = renderRepeatNotice({
    cohort,
    fullName: app.full_name ?? '',
    link: ctx.applicantLinks
      ? await myApplicationUrl(ctx.applicantLinks, ctx.publicUrl, app.id, ctx.clock())
      : undefined,
    lang: app.language,
    contact: ctx.workflows.contact,
  });
  await ctx.mail.send({
    to: { email: app.email, name: app.full_name ?? '' },
    ...notice,
    idempotencyKey: jobId,
  });
}
