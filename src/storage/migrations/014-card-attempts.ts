import type { Kysely } from 'kysely';

// When posting the application's review card was first begun. A later attempt (its worker died, the job
// ran again) may find a card the first one posted before it could store where, so only then does it look
// through the channel; the first attempt posts at once, sparing a history call Slack counts against a
// tight per-minute limit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('applications').addColumn('card_attempted_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('applications').dropColumn('card_attempted_at').execute();
}
