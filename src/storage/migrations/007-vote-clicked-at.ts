import type { Kysely } from 'kysely';

// When the click behind a vote was made, by Slack's clock (`action_ts`): a replayed older click must not
// undo a later vote even when the record of deliveries already acted on was lost (a flushed Redis).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('votes').addColumn('clicked_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('votes').dropColumn('clicked_at').execute();
}
