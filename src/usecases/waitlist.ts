import { type Kysely, sql, type Transaction } from 'kysely';
import { ENROLLED } from '../domain/lifecycle.ts';
import { PROPOSED_FROM_WAITLIST } from '../domain/review-policy.ts';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { addEvent } from '../storage/transition.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** What staff read when an acceptance would go past the cohort's capacity. */
export const cohortFullHe = (taken: number, capacity: number) =>
  `המחזור מלא (${taken} מתוך ${capacity} המקומות תפוסים), ולכן אי אפשר לקבל את הבקשה עכשיו. אפשר להעביר אותה לרשימת ההמתנה, וכשיתפנה מקום היא תוצע למכריעים.`;

/** People holding (or taking up) a place in the cohort, read without a lock: for views. */
export async function placesTaken(db: Executor, cohort: string): Promise<number> {
  const row = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cohort', '=', cohort)
    .where('status', 'in', [...ENROLLED])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The places taken, counted under a per-cohort lock held to the end of the transaction: two acceptances
 * racing for the last place count one after the other, and the second sees the first once it committed
 * (each statement of a READ COMMITTED transaction reads what was committed before it began). An advisory
 * lock rather than a row lock, since a cohort has no row of its own.
 */
export async function lockPlaces(trx: Transaction<Database>, cohort: string): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`capacity:${cohort}`}))`.execute(trx);
  return placesTaken(trx, cohort);
}

/**
 * A place opened in the cohort: the applicant waitlisted earliest and not yet proposed is proposed to the
 * deciders — flagged, on the timeline, and on the card through its job. Nobody is accepted here; a person
 * (or the api-token identity) decides. Returns the proposed application's id, or null.
 */
export async function proposeFromWaitlist(
  trx: Transaction<Database>,
  input: { cohort: string; openedBy: string; at: Date },
): Promise<string | null> {
  // FOR UPDATE waits for a decision in progress on that row and then re-reads it, so someone accepted or
  // withdrawn meanwhile is passed over for the next in line.
  const next = await trx
    .selectFrom('applications')
    .select(['id', 'flags'])
    .where('cohort', '=', input.cohort)
    .where('status', '=', 'waitlisted')
    .where('erased_at', 'is', null)
    .where((eb) => eb.not(eb('flags', '@>', JSON.stringify([PROPOSED_FROM_WAITLIST]) as never)))
    .orderBy('decided_at')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  if (!next) return null;
  await trx
    .updateTable('applications')
    .set({ flags: JSON.stringify([...next.flags, PROPOSED_FROM_WAITLIST]) as never, updated_at: input.at })
    .where('id', '=', next.id)
    .execute();
  await addEvent(trx, next.id, 'system', 'proposed_from_waitlist', { opening: input.openedBy }, input.at);
  await enqueue(trx, [jobs.cardRefresh(next.id)], input.at);
  return next.id;
}
