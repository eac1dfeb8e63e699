import type { Kysely, Transaction, Updateable } from 'kysely';
import { type ApplicationStatus, canTransition, type StepName, sourcesOf } from '../domain/lifecycle.ts';
import { isUuid } from '../domain/text.ts';
import { enqueue, type JobSpec, jobs } from './outbox.ts';
import type { ApplicationsTable, Database } from './schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

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
  to: ApplicationStatus;
  /**
   * Narrows the sources the lifecycle allows (e.g. a decision from the status the caller saw under its
   * lock); never widens them.
   */
  from?: readonly ApplicationStatus[];
  actor: string;
  at: Date;
  event?: string;
  data?: Record<string, unknown>;
  set?: Updateable<ApplicationsTable>;
  next?: JobSpec[];
}

/** The statuses a move to `to` may start from: the lifecycle's, narrowed by the caller's. */
export function transitionSources(to: ApplicationStatus, from?: readonly ApplicationStatus[]) {
  if (!from) return sourcesOf(to);
  const illegal = from.filter((f) => !canTransition(f, to));
  if (illegal.length > 0) throw new Error(`the lifecycle has no move from ${illegal.join(', ')} to ${to}`);
  return [...from];
}

/**
 * Moves an application only if it is still in one of the allowed sources (a conditional UPDATE, so two
 * racing workers cannot both win), records the event and the next jobs. Returns whether this call moved it.
 */
export async function transition(trx: Executor, input: TransitionInput): Promise<boolean> {
  const from = transitionSources(input.to, input.from);
  if (from.length === 0) return false;
  const moved = await trx
    .updateTable('applications')
    .set({ ...input.set, status: input.to, updated_at: input.at })
    .where('id', '=', input.applicationId)
    .where('status', 'in', from)
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

/**
 * Opens steps and queues their jobs. A step that already exists is opened again for a new reason (a
 * waitlisted person accepted, a withdrawal after the acceptance notice) with the next generation, so its
 * job gets a new id: BullMQ ignores an add whose id it still holds. Callers open steps only in the
 * transaction that made the move which calls for them, so a repeat of the same move opens nothing.
 */
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
    .onConflict((oc) =>
      oc.columns(['application_id', 'step']).doUpdateSet((eb) => ({
        status: 'pending',
        generation: eb('steps.generation', '+', 1),
        attempts: 0,
        last_error: null,
        detail: JSON.stringify({}) as never,
        updated_at: at,
      })),
    )
    .returning(['step', 'generation'])
    .execute();
  await enqueue(
    trx,
    inserted.map((r) => jobs.step(applicationId, r.step as StepName, r.generation)),
    at,
  );
}

/** Cancels every step not yet finished, for good: a cancelled step is never run or retried again. */
export async function cancelOpenSteps(trx: Executor, applicationId: string, at: Date): Promise<void> {
  await trx
    .updateTable('steps')
    .set({ status: 'cancelled', updated_at: at })
    .where('application_id', '=', applicationId)
    .where('status', 'in', ['pending', 'running', 'failed', 'waiting'])
    .execute();
}

/**
 * Locks the application row for the rest of the transaction (votes on one application queue up here). An id
 * that is not a UUID (a damaged Slack button) names no row: PostgreSQL would refuse the query rather than
 * find nothing, and the caller's not-found would become an internal error.
 */
export async function lockApplication(trx: Transaction<Database>, applicationId: string) {
  if (!isUuid(applicationId)) return undefined;
  return trx
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .forUpdate()
    .executeTakeFirst();
}
