import { MY_APPLICATION, myApplicationPath } from '../domain/applicant-link.ts';
import { signLink } from '../domain/signed-link.ts';
import { renderMyLink } from '../mail/notices.ts';
import { addEvent } from '../storage/transition.ts';
import type { ApplicantLinks, PipelineContext } from './context.ts';

export type { ApplicantLinks };

/** A fresh link to the application's own page, valid for the configured number of days from `now`. */
export async function myApplicationUrl(
  links: ApplicantLinks,
  publicUrl: string,
  applicationId: string,
  now: Date,
): Promise<string> {
  const expires = new Date(now.getTime() + links.days * 86_400_000);
  return `${publicUrl}${myApplicationPath(await signLink(links.secret, MY_APPLICATION, applicationId, expires))}`;
}

/**
 * The `my-link` job: e-mails the applicant a fresh link to their page. The job id names the request, so a
 * retry sends the same message id and a mail server drops the copy; the timeline records each one sent.
 */
export async function mailMyLink(ctx: PipelineContext, applicationId: string, jobId: string): Promise<void> {
  const links = ctx.applicantLinks;
  if (!links) return;
  const app = await ctx.db
    .selectFrom('applications')
    .select(['id', 'email', 'full_name', 'cohort', 'language'])
    .where('id', '=', applicationId)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  const cohort = app ? ctx.workflows.cohorts.get(app.cohort) : undefined;
  if (!app?.email || !cohort) return;
  const now = ctx.clock();
  const notice = renderMyLink({
    cohort,
    fullName: app.full_name ?? '',
    url: await myApplicationUrl(links, ctx.publicUrl, app.id, now),
    days: links.days,
    lang: app.language,
    contact: ctx.workflows.contact,
  });
  await ctx.mail.send({
    to: { email: app.email, name: app.full_name ?? '' },
    ...notice,
    // Ends with the application's id, as erasure's `forget` expects of every message about one.
    idempotencyKey: jobId,
  });
  await addEvent(ctx.db, app.id, 'system', 'my_link_mailed', {}, now);
}
