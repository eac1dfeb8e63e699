import { type Kysely, sql } from 'kysely';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { Database, ProposedAnswers } from '../storage/schema.ts';
import { addEvent } from '../storage/transition.ts';

/** What the owner's page shows of a waiting proposal: the answers and when they came. */
export interface ProposedUpdate {
  answers: ProposedAnswers;
  language: 'he' | 'ar' | 'en';
  receivedAt: Date;
}

/** The application's waiting proposal, if there is one. */
export async function proposedUpdateOf(
  db: Kysely<Database>,
  applicationId: string,
): Promise<ProposedUpdate | undefined> {
  const row = await db
    .selectFrom('proposed_updates')
    .selectAll()
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  return row && { answers: row.answers, language: row.language, receivedAt: new Date(row.received_at) };
}

export type ProposalOutcome =
  | { kind: 'applied' }
  /** Reviewers had started voting: the answers went to staff as a note, the application as it was. */
  | { kind: 'noted' }
  | { kind: 'discarded' }
  /** Nothing waiting (settled already, from another tab, or erased). */
  | { kind: 'none' };

// Only while nothing is decided: a person cannot rewrite an application staff have already acted on.
const OPEN = ['submitted', 'in_review'] as const;

/**
 * The owner applies or discards the answers of their latest repeat submission. Applied before the first
 * vote, they replace the application's answers (a timeline event, and the review card refreshed by its
 * job), as a correction does; after the first vote they reach staff as a note on the timeline instead, and
 * the application stays as reviewers saw it. Either way the proposal is settled once: the row is taken
 * under a lock, so a double click acts once.
 */
export async function applyProposedUpdate(
  ctx: { db: Kysely<Database>; clock: () => Date },
  input: { applicationId: string; action: 'apply' | 'discard'; actor?: string },
): Promise<ProposalOutcome> {
  const now = ctx.clock();
  const actor = input.actor ?? 'applicant';
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx
      .deleteFrom('proposed_updates')
      .where('application_id', '=', input.applicationId)
      .returningAll()
      .executeTakeFirst();
    if (!taken) return { kind: 'none' as const };
    const receivedAt = new Date(taken.received_at).toISOString();
    if (input.action === 'discard') {
      await addEvent(trx, input.applicationId, actor, 'proposed_update_discarded', { receivedAt }, now);
      return { kind: 'discarded' as const };
    }
    const app = await trx
      .selectFrom('applications')
      .select(['status', 'card_ts', 'answers'])
      .where('id', '=', input.applicationId)
      .forUpdate()
      .executeTakeFirst();
    const votes = await trx
      .selectFrom('votes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('application_id', '=', input.applicationId)
      .executeTakeFirstOrThrow();
    const open = app && (OPEN as readonly string[]).includes(app.status);
    const a = taken.answers;
    if (!app || !open || Number(votes.n) > 0) {
      await addEvent(
        trx,
        input.applicationId,
        actor,
        'proposed_update_noted',
        { receivedAt, answers: a },
        now,
      );
      if (app?.card_ts) await enqueue(trx, [jobs.cardRefresh(input.applicationId)], now);
      return { kind: 'noted' as const };
    }
    const consentAt = (app.answers as { consentAt?: string }).consentAt ?? now.toISOString();
    await trx
      .updateTable('applications')
      .set({
        full_name: a.fullName,
        phone: a.phone,
        organisation: a.organisation,
        role_title: a.roleTitle,
        sector: a.sector,
        region: a.region,
        answers: sql`${JSON.stringify({
          motivation: a.motivation,
          topics: a.topics,
          confirmedMeetings: a.confirmedMeetings,
          accessibilityNeeds: a.accessibilityNeeds,
          consentAt,
        })}::jsonb`,
        updated_at: now,
      })
      .where('id', '=', input.applicationId)
      .execute();
    await addEvent(trx, input.applicationId, actor, 'proposed_update_applied', { receivedAt }, now);
    // The card shows the answers reviewers judge by; a card not yet posted is posted with the new ones.
    if (app.card_ts) await enqueue(trx, [jobs.cardRefresh(input.applicationId)], now);
    return { kind: 'applied' as const };
  });
}
