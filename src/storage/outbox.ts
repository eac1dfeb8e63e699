import type { Kysely, Transaction } from 'kysely';
import type { StepName } from '../domain/lifecycle.ts';
import type { Database } from './schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The queues, one per kind of work. */
export const QUEUES = ['intake', 'review', 'steps', 'maintenance'] as const;
export type QueueName = (typeof QUEUES)[number];

/** A job as the outbox records it: ids only, never personal data (Redis is not a place for it). */
export interface JobSpec {
  queue: QueueName;
  name: string;
  /** Deterministic, so adding it twice is one job; BullMQ forbids ':' in custom ids. */
  jobId: string;
  data: Record<string, string | number>;
  /** Run no earlier than this. */
  notBefore?: Date;
}

export const jobs = {
  intake: (applicationId: string): JobSpec => ({
    queue: 'intake',
    name: 'intake',
    jobId: `intake-${applicationId}`,
    data: { applicationId },
  }),
  card: (applicationId: string, version: string | number = 0): JobSpec => ({
    queue: 'review',
    name: 'card',
    jobId: `card-${applicationId}-${version}`,
    data: { applicationId },
  }),
  /** A refresh after a vote or a note: a fresh id each time, since every change must reach the card. */
  cardRefresh: (applicationId: string): JobSpec => jobs.card(applicationId, `r${crypto.randomUUID()}`),
  /**
   * The owner's e-mail after a repeat submission: their link, and the new answers waiting on their page. The
   * id names the repeat by its time, so a repeat intended twice is one e-mail.
   */
  repeatNotice: (applicationId: string, at: Date): JobSpec => ({
    queue: 'intake',
    name: 'repeat',
    jobId: `repeat-${at.getTime()}-${applicationId}`,
    data: { applicationId },
  }),
  /**
   * "Send me my link": the e-mail with a fresh link to the applicant's page. Named by the moment it was asked
   * for (at most once in ten minutes per address), and ending with the id, as mail to an application must.
   */
  myLink: (applicationId: string, askedAt: Date): JobSpec => ({
    queue: 'review',
    name: 'my-link',
    jobId: `my-link-${askedAt.getTime()}-${applicationId}`,
    data: { applicationId },
  }),
  remind: (applicationId: string, at: Date): JobSpec => ({
    queue: 'review',
    name: 'remind',
    jobId: `remind-${applicationId}`,
    data: { applicationId },
    notBefore: at,
  }),
  escalate: (applicationId: string, at: Date): JobSpec => ({
    queue: 'review',
    name: 'escalate',
    jobId: `escalate-${applicationId}`,
    data: { applicationId },
    notBefore: at,
  }),
  /**
   * Brings the invitations to a cohort's meetings in line with the workflow's. The id names the change: the
   * sequence the records stood at and the digest of the meetings asked for, so processes that start together
   * with the same settings queue one job, and a later change (even back to earlier meetings) is a new one.
   */
  meetingSync: (cohortId: string, base: number, digest: string): JobSpec => ({
    queue: 'maintenance',
    name: 'meetings',
    jobId: `meetings-${cohortId}-${base}-${digest}`,
    data: { cohortId, digest },
  }),
  /** A saved form's resume link, once per save that may send one: the id names the draft and the save. */
  draftLink: (draftId: string, at: Date): JobSpec => ({
    queue: 'maintenance',
    name: 'draft-link',
    jobId: `draft-link-${draftId}-${at.getTime()}`,
    data: { draftId },
  }),
  step: (applicationId: string, step: StepName, generation: number): JobSpec => ({
    queue: 'steps',
    name: step,
    jobId: `step-${applicationId}-${step}-${generation}`,
    data: { applicationId, step, generation },
  }),
};

/** Writes the intent to run jobs, in the caller's transaction; the relay hands them to BullMQ after commit. */
export async function enqueue(db: Executor, specs: JobSpec[], now: Date): Promise<void> {
  if (specs.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      specs.map((s) => ({
        job_id: s.jobId,
        queue: s.queue,
        application_id: typeof s.data.applicationId === 'string' ? s.data.applicationId : null,
        payload: JSON.stringify({ ...s.data, __name: s.name }) as never,
        available_at: s.notBefore ?? now,
        created_at: now,
      })),
    )
    // The same job intended twice is one job.
    .onConflict((oc) => oc.column('job_id').doNothing())
    .execute();
}
