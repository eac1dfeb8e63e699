import type { Kysely } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import type { CalendarPort, MailPort, SlackPort } from '../ports.ts';
import { enqueue, jobs } from '../storage/outbox.ts';

// The audit log's writer, where the staff routes have always found it.
export { audit } from '../storage/audit.ts';

import { audit } from '../storage/audit.ts';
import type { Database } from '../storage/schema.ts';
import { cancelOpenSteps } from '../storage/transition.ts';
import { eraseDrafts } from './drafts.ts';

export interface PrivacyContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  calendar: CalendarPort;
  slack: SlackPort;
  mail: MailPort;
  /** Removes the named jobs from the queues (their payloads hold ids only, but they must not run again). */
  removeJobs?: (jobIds: { queue: string; jobId: string }[]) => Promise<void>;
  poke?: () => void;
}

/**
 * Erases one application's personal data. The removals a withdrawal makes come first, since they need the
 * e-mail: off every meeting, out of the cohort's channels. Then the queued jobs go, then the row's personal
 * fields, vote notes, timeline details and any proposed update, and last the e-mails the file outbox kept about them. The row, its reference, status
 * history and an audit entry stay, so counts and decisions remain explainable. The review card is
 * re-rendered to say the data was erased.
 */
export async function eraseApplication(
  ctx: PrivacyContext,
  input: { applicationId: string; actor: string; reason: string },
) {
  const app = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', input.applicationId)
    .executeTakeFirst();
  if (!app) return { kind: 'not_found' as const };
  if (app.erased_at) return { kind: 'already_erased' as const };
  const cohort = ctx.workflows.cohorts.get(app.cohort);
  if (ctx.calendar.configured && cohort && app.email) {
    for (const meeting of cohort.meetings) await ctx.calendar.removeAttendee(cohort, meeting, app.email);
  }
  const channels = cohort?.onboarding.slackChannels ?? [];
  if (ctx.slack.configured && channels.length > 0 && app.email) {
    await ctx.slack.removeFromChannels({ email: app.email }, channels);
  }
  const queued = await ctx.db
    .selectFrom('outbox')
    .select(['queue', 'job_id'])
    .where('application_id', '=', app.id)
    .execute();
  await ctx.removeJobs?.(queued.map((q) => ({ queue: q.queue, jobId: q.job_id })));
  const now = ctx.clock();
  const drafts = await ctx.db.transaction().execute(async (trx) => {
    // A form they saved to finish later is theirs too, whichever cohort it was for.
    const gone = app.email
      ? await trx.deleteFrom('drafts').where('email', '=', app.email).returning('id').execute()
      : [];
    await trx
      .updateTable('applications')
      .set({
        email: null,
        full_name: null,
        phone: null,
        organisation: null,
        role_title: null,
        answers: JSON.stringify({}) as never,
        status: 'erased',
        erased_at: now,
        updated_at: now,
      })
      .where('id', '=', app.id)
      .execute();
    await trx.updateTable('votes').set({ note: null }).where('application_id', '=', app.id).execute();
    // A repeat's answers waiting for the owner are theirs as much as the first ones.
    await trx.deleteFrom('proposed_updates').where('application_id', '=', app.id).execute();
    await trx
      .updateTable('application_events')
      .set({ data: JSON.stringify({}) as never })
      .where('application_id', '=', app.id)
      .execute();
    await trx
      .updateTable('steps')
      .set({ detail: JSON.stringify({}) as never, last_error: null })
      .where('application_id', '=', app.id)
      .execute();
    // Nothing left may run for them again, not even a staff retry.
    await cancelOpenSteps(trx, app.id, now);
    await trx.deleteFrom('outbox').where('application_id', '=', app.id).execute();
    await trx
      .insertInto('application_events')
      .values({
        application_id: app.id,
        at: now,
        actor: input.actor,
        type: 'erased',
        data: JSON.stringify({}) as never,
      })
      .execute();
    await audit(trx, now, input.actor, 'erase', app.id, {
      reason: input.reason.slice(0, 40),
      ...(gone.length > 0 ? { drafts: gone.length } : {}),
    });
    if (app.card_ts) await enqueue(trx, [jobs.card(app.id, `erased-${now.getTime()}`)], now);
    return gone;
  });
  await ctx.mail.forget(app.id);
  for (const d of drafts) await ctx.mail.forget(d.id);
  ctx.poke?.();
  return { kind: 'erased' as const };
}

/**
 * Erases every application of one e-mail address (a person's request covers all their applications), and
 * the forms they saved to finish later, also when they never sent one.
 */
export async function erasePerson(ctx: PrivacyContext, input: { email: string; actor: string }) {
  const email = input.email.trim().toLowerCase();
  const rows = await ctx.db.selectFrom('applications').select('id').where('email', '=', email).execute();
  for (const r of rows)
    await eraseApplication(ctx, { applicationId: r.id, actor: input.actor, reason: 'request' });
  const drafts = await eraseDrafts(ctx, email);
  if (drafts > 0) await audit(ctx.db, ctx.clock(), input.actor, 'erase_drafts', null, { drafts });
  return rows.length;
}

/** Everything held about a person, as one JSON document (the right of access). */
export async function exportPerson(
  ctx: Pick<PrivacyContext, 'db' | 'clock'>,
  input: { email: string; actor: string },
) {
  const email = input.email.trim().toLowerCase();
  const applications = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('email', '=', email)
    .execute();
  const ids = applications.map((a) => a.id);
  const of = <T>(rows: Promise<T[]>) => (ids.length === 0 ? Promise.resolve([] as T[]) : rows);
  const [events, votes, steps, proposedUpdates] = await Promise.all([
    of(
      ctx.db
        .selectFrom('application_events')
        .selectAll()
        .where('application_id', 'in', ids)
        .orderBy('id')
        .execute(),
    ),
    of(ctx.db.selectFrom('votes').selectAll().where('application_id', 'in', ids).execute()),
    of(ctx.db.selectFrom('steps').selectAll().where('application_id', 'in', ids).execute()),
    of(ctx.db.selectFrom('proposed_updates').selectAll().where('application_id', 'in', ids).execute()),
  ]);
  await audit(ctx.db, ctx.clock(), input.actor, 'access_export', ids[0] ?? null, {
    applications: ids.length,
  });
  return {
    exportedAt: ctx.clock().toISOString(),
    email,
    applications,
    events,
    votes,
    steps,
    proposedUpdates,
  };
}

/** Erases declined and withdrawn applications older than the cohort's retention period. */
export async function applyRetention(ctx: PrivacyContext): Promise<number> {
  const now = ctx.clock().getTime();
  let erased = 0;
  for (const cohort of ctx.workflows.cohorts.values()) {
    for (const [status, days] of [
      ['declined', cohort.retention.declinedDays],
      ['withdrawn', cohort.retention.withdrawnDays],
    ] as const) {
      const due = await ctx.db
        .selectFrom('applications')
        .select('id')
        .where('cohort', '=', cohort.id)
        .where('status', '=', status)
        .where('erased_at', 'is', null)
        .where('updated_at', '<', new Date(now - days * 86_400_000))
        .execute();
      for (const r of due) {
        await eraseApplication(ctx, {
          applicationId: r.id,
          actor: 'retention',
          reason: `${status}>${days}d`,
        });
        erased++;
      }
    }
  }
  return erased;
}
