import type { Kysely, Transaction, Updateable } from 'kysely';
import type { ApplicationStatus, StepName } from '../domain/lifecycle.ts';
import { type JobSpec, jobs } from './outbox.ts';
import type { ApplicationsTable, Database } from './schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

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

/** Appends one entry to an application's timeline: who did what, when. */
export async function addEvent(
  db: Executor,
  applicationId: string,
  actor: string,
  type: string,
  data: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await db
    .insertInto('application_events')
    .values({ application_id: applicationId, at, actor, type, data: JSON.stringify(data) as never })
    .execute();
}

export interface TransitionInput {
  applicationId: string;
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  actor: string;
  at: Date;
  event?: string;
  data?: Record<string, unknown>;
  set?: Updateable<ApplicationsTable>;
  next?: JobSpec[];
}

/**
 * Moves an application only if it is still in one of `from` (a conditional UPDATE, so two racing workers
 * cannot both win), records the event and the next jobs. Returns whether this call made the move.
 */
export async function transition(trx: Executor, input: TransitionInput): Promise<boolean> {
  const moved = await trx
    .updateTable('applications')
    .set({ ...input.set, status: input.to, updated_at: input.at })
    .where('id', '=', input.applicationId)
    .where('status', 'in', [...input.from])
    .returning('id')
    .executeTakeFirst();
  if (!moved) return false;
  await addEvent(
    trx,
    input.applicationId,
    input.actor,
    input.event ?? `status_${input.to}`,
    input.data ?? {},
    input.at,
  );
  await enqueue(trx, input.next ?? [], input.at);
  return true;
}

/** Creates the step rows and their jobs; an existing step keeps its state (idempotent). */
export async function openSteps(
  trx: Executor,
  applicationId: string,
  steps: StepName[],
  at: Date,
): Promise<void> {
  if (steps.length === 0) return;
  const inserted = await trx
    .insertInto('steps')
    .values(
      steps.map((step) => ({
        application_id: applicationId,
        step,
        status: 'pending',
        generation: 0,
        attempts: 0,
        detail: JSON.stringify({}) as never,
        updated_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['application_id', 'step']).doNothing())
    .returning(['step', 'generation'])
    .execute();
  await enqueue(
    trx,
    inserted.map((r) => jobs.step(applicationId, r.step as StepName, r.generation)),
    at,
  );
}

/** Locks the application row for the rest of the transaction (votes on one application queue up here). */
export async function lockApplication(trx: Transaction<Database>, applicationId: string) {
  return trx
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .forUpdate()
    .executeTakeFirst();
}
