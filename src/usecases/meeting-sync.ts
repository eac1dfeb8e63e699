import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Cohort, Meeting } from '../../workflows/index.ts';
import { AppError } from '../domain/errors.ts';
import { ENROLLED } from '../domain/lifecycle.ts';
import { meetingFingerprint } from '../domain/meetings.ts';
import { type JobSpec, jobs } from '../storage/outbox.ts';
import type { MeetingSyncsTable } from '../storage/schema.ts';
import type { PipelineContext } from './context.ts';
import { sendMeetingChange } from './notices.ts';
import { requeue } from './requeue.ts';

type SyncRecord = Selectable<MeetingSyncsTable>;

/** What differs between a cohort's meetings and what its members were last told. */
export interface MeetingChange {
  /** Moved, renamed, relocated or relinked, as they are now. */
  changed: Meeting[];
  /** New to the cohort, or back after a removal, as they are now. */
  added: Meeting[];
  /** Dropped from the workflow, as members last knew them. */
  removed: Meeting[];
}

export type MeetingSyncResult =
  | { kind: 'baseline' | 'in_sync' | 'no_cohort' }
  | { kind: 'synced'; sequence: number; changed: number; added: number; removed: number };

/** A digest of the cohort's meetings (ids and fingerprints): which version a sync job was asked for. */
export function meetingsDigest(cohort: Cohort): string {
  const canonical = cohort.meetings
    .map((m) => `${m.id}:${meetingFingerprint(m)}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Compares the workflow's meetings with the records of what was last synced. */
export function diffMeetings(cohort: Cohort, records: readonly SyncRecord[]): MeetingChange {
  const byId = new Map(records.map((r) => [r.meeting_id, r]));
  const current = new Set(cohort.meetings.map((m) => m.id));
  const change: MeetingChange = { changed: [], added: [], removed: [] };
  for (const meeting of cohort.meetings) {
    const record = byId.get(meeting.id);
    if (!record || record.removed) change.added.push(meeting);
    else if (record.fingerprint !== meetingFingerprint(meeting)) change.changed.push(meeting);
  }
  for (const r of records) {
    // Written by this module from a validated Meeting.
    if (!r.removed && !current.has(r.meeting_id)) change.removed.push(r.meeting as unknown as Meeting);
  }
  return change;
}

const isEmpty = (c: MeetingChange) => c.changed.length + c.added.length + c.removed.length === 0;
const lastSequence = (records: readonly SyncRecord[]) => Math.max(0, ...records.map((r) => r.sequence));

/**
 * The sync jobs the cohorts' meetings call for. A cohort with no record yet has its meetings recorded as
 * they are, telling nobody: the meetings as shipped are what people were invited to. A process started
 * before a cohort's last sync asks for nothing, so an older process still running during a rolling
 * deploy, with the older settings, never turns the meetings back.
 */
export async function meetingSyncSpecs(ctx: PipelineContext, startedAt: Date): Promise<JobSpec[]> {
  const records = await ctx.db.selectFrom('meeting_syncs').selectAll().execute();
  const specs: JobSpec[] = [];
  for (const cohort of ctx.workflows.cohorts.values()) {
    const mine = records.filter((r) => r.cohort === cohort.id);
    if (mine.length === 0) {
      await recordBaseline(ctx, cohort);
      continue;
    }
    if (isEmpty(diffMeetings(cohort, mine))) continue;
    const lastSynced = Math.max(...mine.map((r) => new Date(r.synced_at).getTime()));
    if (startedAt.getTime() < lastSynced) continue;
    specs.push(jobs.meetingSync(cohort.id, lastSequence(mine), meetingsDigest(cohort)));
  }
  return specs;
}

/**
 * At a worker's start: writes the intent to sync each cohort whose meetings changed, in a transaction of its
 * own. A job of the same id that Redis lost is handed over again, one that failed for good runs again.
 */
export async function requestMeetingSyncs(ctx: PipelineContext, startedAt: Date): Promise<JobSpec[]> {
  const specs = await meetingSyncSpecs(ctx, startedAt);
  if (specs.length === 0) return specs;
  await requeue(ctx, specs, ctx.clock());
  return specs;
}

/**
 * The sync job: each changed meeting's Google event is patched (attendees kept, Google tells them), a new
 * meeting gets every member, a removed one is cancelled; without Google, members on .ics invitations get an
 * update or a cancellation by e-mail. A meeting is recorded as synced only once its effects are done, and
 * every effect is idempotent, so a retry finishes what an attempt began and a repeat does nothing.
 */
export async function syncMeetings(
  ctx: PipelineContext,
  input: { cohortId: string; digest: string },
): Promise<MeetingSyncResult> {
  const cohort = ctx.workflows.cohorts.get(input.cohortId);
  if (!cohort) return { kind: 'no_cohort' };
  const records = await ctx.db
    .selectFrom('meeting_syncs')
    .selectAll()
    .where('cohort', '=', cohort.id)
    .execute();
  if (records.length === 0) {
    await recordBaseline(ctx, cohort);
    return { kind: 'baseline' };
  }
  const change = diffMeetings(cohort, records);
  if (isEmpty(change)) return { kind: 'in_sync' };
  if (meetingsDigest(cohort) !== input.digest) {
    // Asked for by a process with other settings (a deploy under way): one that has them takes it.
    throw new AppError('unavailable', `the meetings of ${cohort.id} here differ from the sync asked for`, {
      retryable: true,
    });
  }
  const sequence = lastSequence(records) + 1;
  if (ctx.calendar.configured) await syncCalendar(ctx, cohort, change, sequence);
  else await tellInvitees(ctx, cohort, change, sequence, input.digest);
  const result = {
    kind: 'synced' as const,
    sequence,
    changed: change.changed.length,
    added: change.added.length,
    removed: change.removed.length,
  };
  ctx.logger.info({ cohort: cohort.id, ...result }, 'meetings synced');
  return result;
}

async function syncCalendar(ctx: PipelineContext, cohort: Cohort, change: MeetingChange, sequence: number) {
  for (const meeting of change.changed) {
    await ctx.calendar.syncMeeting(cohort, meeting);
    await record(ctx, cohort, [meeting], sequence, false);
  }
  if (change.added.length > 0) {
    const people = await members(ctx, cohort.id, 'calendar');
    for (const meeting of change.added) {
      await ctx.calendar.syncMeeting(cohort, meeting);
      const list = people.map((p) => ({ email: p.email ?? '', name: p.full_name ?? '' }));
      if (list.length > 0) await ctx.calendar.addAttendees(cohort, meeting, list);
      await record(ctx, cohort, [meeting], sequence, false);
    }
  }
  for (const meeting of change.removed) {
    await ctx.calendar.cancelMeeting(cohort, meeting.id);
    await record(ctx, cohort, [meeting], sequence, true);
  }
}

/**
 * Without Google: every member who was sent the .ics invitation is told. The records move only after all
 * were, all together, so a retry reuses the same sequence and skips whoever was already told.
 */
async function tellInvitees(
  ctx: PipelineContext,
  cohort: Cohort,
  change: MeetingChange,
  sequence: number,
  digest: string,
) {
  const notice = {
    updated: [...change.changed, ...change.added],
    cancelled: change.removed,
    sequence,
    digest,
  };
  for (const app of await members(ctx, cohort.id, 'notice')) {
    await sendMeetingChange(ctx, app, cohort, notice);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const tx = { ...ctx, db: trx };
    await record(tx, cohort, [...change.changed, ...change.added], sequence, false);
    await record(tx, cohort, change.removed, sequence, true);
  });
}

/**
 * The cohort's members whose invitation went out: on Google, those whose calendar step is done (a step still
 * to run adds them to the meetings as they are then); on .ics, those sent the acceptance with its invitation.
 */
async function members(ctx: PipelineContext, cohortId: string, via: 'calendar' | 'notice') {
  let query = ctx.db
    .selectFrom('applications')
    .innerJoin('steps', 'steps.application_id', 'applications.id')
    .selectAll('applications')
    .where('applications.cohort', '=', cohortId)
    .where('applications.status', 'in', [...ENROLLED])
    .where('applications.erased_at', 'is', null)
    .where('applications.email', 'is not', null)
    .where('steps.step', '=', via)
    .where('steps.status', '=', 'done');
  if (via === 'notice')
    query = query.where('steps.detail', '@>', JSON.stringify({ kind: 'accepted' }) as never);
  return query.orderBy('applications.created_at').execute();
}

async function record(
  ctx: Pick<PipelineContext, 'db' | 'clock'>,
  cohort: Cohort,
  meetings: readonly Meeting[],
  sequence: number,
  removed: boolean,
) {
  if (meetings.length === 0) return;
  const now = ctx.clock();
  await ctx.db
    .insertInto('meeting_syncs')
    .values(
      meetings.map((m) => ({
        cohort: cohort.id,
        meeting_id: m.id,
        fingerprint: meetingFingerprint(m),
        sequence,
        meeting: JSON.stringify(m) as never,
        removed,
        synced_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['cohort', 'meeting_id']).doUpdateSet((eb) => ({
        fingerprint: eb.ref('excluded.fingerprint'),
        sequence: eb.ref('excluded.sequence'),
        meeting: eb.ref('excluded.meeting'),
        removed: eb.ref('excluded.removed'),
        synced_at: eb.ref('excluded.synced_at'),
      })),
    )
    .execute();
}

/** The meetings as they are, recorded as what everyone holds; two processes doing it at once write one. */
async function recordBaseline(ctx: PipelineContext, cohort: Cohort) {
  const now = ctx.clock();
  await ctx.db
    .insertInto('meeting_syncs')
    .values(
      cohort.meetings.map((m) => ({
        cohort: cohort.id,
        meeting_id: m.id,
        fingerprint: meetingFingerprint(m),
        sequence: 0,
        meeting: JSON.stringify(m) as never,
        removed: false,
        synced_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['cohort', 'meeting_id']).doNothing())
    .execute();
}
