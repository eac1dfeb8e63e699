import { meetingCancellation, meetingRequest } from '../../integrations/ics/index.ts';
import type { Cohort } from '../../workflows/index.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import { type NoticeKind, renderNotice } from '../mail/notices.ts';
import type { ApplicationRow } from '../storage/schema.ts';
import type { PipelineContext } from './context.ts';

/** Which notice an application's status calls for, if any. */
export function noticeFor(status: ApplicationStatus): NoticeKind | null {
  if (status === 'onboarding' || status === 'onboarded' || status === 'accepted') return 'accepted';
  if (status === 'declined' || status === 'waitlisted' || status === 'withdrawn') return status;
  return null;
}

const FALLBACK_ORGANIZER = { name: 'muni:STEM', email: 'no-reply@localhost' };

/**
 * Sends the applicant one notice, once per kind (the key lets a retried send be recognised). Without
 * Google Calendar the acceptance carries the .ics invitation, and the withdrawal of someone who had one
 * carries its cancellation, with a higher SEQUENCE so calendar clients take it.
 */
export async function sendNotice(
  ctx: PipelineContext,
  app: ApplicationRow,
  cohort: Cohort,
  kind: NoticeKind,
) {
  if (!app.email) return;
  const notice = renderNotice({
    kind,
    cohort,
    fullName: app.full_name ?? '',
    reference: app.reference,
    publicUrl: ctx.publicUrl,
    calendarInvites: ctx.calendar.configured,
  });
  const person = { email: app.email, name: app.full_name ?? '' };
  const ics = { publicUrl: ctx.publicUrl, organizer: ctx.organizer ?? FALLBACK_ORGANIZER, attendee: person };
  let attachment: { method: 'REQUEST' | 'CANCEL'; content: string } | undefined;
  if (!ctx.calendar.configured && kind === 'accepted') {
    attachment = {
      method: 'REQUEST',
      content: meetingRequest(cohort, cohort.meetings, { ...ics, sequence: 0 }),
    };
  }
  if (!ctx.calendar.configured && kind === 'withdrawn' && (await wasInvited(ctx, app.id))) {
    attachment = {
      method: 'CANCEL',
      content: meetingCancellation(cohort, cohort.meetings, { ...ics, sequence: 1 }),
    };
  }
  await ctx.mail.send({
    to: person,
    ...notice,
    idempotencyKey: `${kind}-${app.id}`,
    ...(attachment
      ? {
          attachments: [
            {
              filename: `${cohort.id}.ics`,
              contentType: `text/calendar; method=${attachment.method}; charset=utf-8`,
              content: attachment.content,
            },
          ],
        }
      : {}),
  });
}

/** Whether the person was sent an .ics invitation: their acceptance notice went out. */
async function wasInvited(ctx: PipelineContext, applicationId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('application_events')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('type', '=', 'step_done')
    .where('data', '@>', JSON.stringify({ kind: 'accepted' }) as never)
    .executeTakeFirst();
  return Boolean(row);
}
