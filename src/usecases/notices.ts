import { meetingCancellation, meetingRequest } from '../../integrations/ics/index.ts';
import type { Cohort, Meeting } from '../../workflows/index.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import { type Notice, type NoticeKind, renderMeetingChange, renderNotice } from '../mail/notices.ts';
import type { ApplicationRow } from '../storage/schema.ts';
import { addEvent } from '../storage/transition.ts';
import { myApplicationUrl } from './applicant-link.ts';
import type { PipelineContext } from './context.ts';

/** Which notice an application's status calls for, if any. */
export function noticeFor(status: ApplicationStatus): NoticeKind | null {
  if (status === 'onboarding' || status === 'onboarded' || status === 'accepted') return 'accepted';
  if (status === 'declined' || status === 'waitlisted' || status === 'withdrawn') return status;
  return null;
}

const FALLBACK_ORGANIZER = { name: 'muni:STEM', email: 'no-reply@localhost' };

type Attachment = { method: 'REQUEST' | 'CANCEL'; content: string };

/** The e-mail with its .ics, named for the method so clients offer to accept or remove. */
function message(
  person: { email: string; name: string },
  cohort: Cohort,
  notice: Notice,
  key: string,
  ics?: Attachment,
) {
  return {
    to: person,
    ...notice,
    idempotencyKey: key,
    ...(ics
      ? {
          attachments: [
            {
              filename: `${cohort.id}.ics`,
              contentType: `text/calendar; method=${ics.method}; charset=utf-8`,
              content: ics.content,
            },
          ],
        }
      : {}),
  };
}

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
    lang: app.language,
    contact: ctx.workflows.contact,
    // The received notice is where the applicant first gets the way back to their own page.
    ...(kind === 'received' && ctx.applicantLinks
      ? { pageLink: await myApplicationUrl(ctx.applicantLinks, ctx.publicUrl, app.id, ctx.clock()) }
      : {}),
  });
  const person = { email: app.email, name: app.full_name ?? '' };
  const ics = {
    publicUrl: ctx.publicUrl,
    organizer: ctx.organizer ?? FALLBACK_ORGANIZER,
    attendee: person,
    lang: app.language,
  };
  let attachment: Attachment | undefined;
  if (!ctx.calendar.configured && kind === 'accepted') {
    attachment = {
      method: 'REQUEST',
      content: meetingRequest(cohort, cohort.meetings, { ...ics, sequence: 0 }),
    };
  }
  if (!ctx.calendar.configured && kind === 'withdrawn' && (await wasInvited(ctx, app.id))) {
    // Above every update the cohort's meetings were sent with, or a client keeps the later update.
    const sequence = (await lastSequence(ctx, cohort.id)) + 1;
    attachment = {
      method: 'CANCEL',
      content: meetingCancellation(cohort, cohort.meetings, { ...ics, sequence }),
    };
  }
  await ctx.mail.send(message(person, cohort, notice, `${kind}-${app.id}`, attachment));
}

/** One change of a cohort's meetings, as the sync sends it to members on .ics invitations. */
export interface MeetingChangeNotice {
  /** Moved or new meetings, as they are now: an update (REQUEST). */
  updated: readonly Meeting[];
  /** Meetings dropped from the cohort, as members last knew them: a CANCEL. */
  cancelled: readonly Meeting[];
  /** SEQUENCE of this change, higher than anything sent for the cohort's meetings before. */
  sequence: number;
  /** The meetings' digest the change brings them to: with the sequence, it names the change. */
  digest: string;
}

/**
 * Tells one member on .ics invitations of a change to the meetings: an update of the moved and new ones and
 * a cancellation of the dropped ones, each its own e-mail (a calendar client reads one METHOD per message).
 * Each goes once per change: the timeline records it, and a retry skips what it holds. Returns how many
 * e-mails went out.
 */
export async function sendMeetingChange(
  ctx: PipelineContext,
  app: ApplicationRow,
  cohort: Cohort,
  change: MeetingChangeNotice,
): Promise<number> {
  if (!app.email) return 0;
  const person = { email: app.email, name: app.full_name ?? '' };
  const ics = {
    publicUrl: ctx.publicUrl,
    organizer: ctx.organizer ?? FALLBACK_ORGANIZER,
    attendee: person,
    sequence: change.sequence,
    lang: app.language,
  };
  const parts = [
    { kind: 'updated' as const, method: 'REQUEST' as const, meetings: change.updated },
    { kind: 'cancelled' as const, method: 'CANCEL' as const, meetings: change.cancelled },
  ];
  let sent = 0;
  for (const part of parts) {
    if (part.meetings.length === 0) continue;
    const mark = { sequence: change.sequence, digest: change.digest, method: part.method };
    if (await alreadyTold(ctx, app.id, mark)) continue;
    const notice = renderMeetingChange({
      kind: part.kind,
      cohort,
      meetings: part.meetings,
      fullName: person.name,
      reference: app.reference,
      lang: app.language,
      contact: ctx.workflows.contact,
    });
    const content =
      part.method === 'REQUEST'
        ? meetingRequest(cohort, part.meetings, ics)
        : meetingCancellation(cohort, part.meetings, ics);
    const key = `meetings-${change.sequence}-${change.digest}-${part.method.toLowerCase()}-${app.id}`;
    await ctx.mail.send(message(person, cohort, notice, key, { method: part.method, content }));
    await addEvent(
      ctx.db,
      app.id,
      'system',
      'meetings_changed',
      { ...mark, meetings: part.meetings.map((m) => m.id) },
      ctx.clock(),
    );
    sent++;
  }
  return sent;
}

async function alreadyTold(ctx: PipelineContext, applicationId: string, mark: Record<string, unknown>) {
  const row = await ctx.db
    .selectFrom('application_events')
    .select('id')
    .where('application_id', '=', applicationId)
    .where('type', '=', 'meetings_changed')
    .where('data', '@>', JSON.stringify(mark) as never)
    .executeTakeFirst();
  return Boolean(row);
}

/** The highest SEQUENCE the cohort's meetings were sent with (0: as first invited). */
async function lastSequence(ctx: PipelineContext, cohortId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('meeting_syncs')
    .select((eb) => eb.fn.max('sequence').as('sequence'))
    .where('cohort', '=', cohortId)
    .executeTakeFirst();
  return Number(row?.sequence ?? 0);
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
