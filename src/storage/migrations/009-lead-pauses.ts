import type { Kysely } from 'kysely';

// A lead's pause of their own check-in prompts and reminders, until a day (YYYY-MM-DD, Israel time,
// inclusive), one per lead across programmes. A prompt row remembers that its lead was paused during the
// round, so the digest and the summaries say "paused" rather than "no answer".
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lead_pauses')
    .addColumn('lead', 'text', (c) => c.primaryKey())
    .addColumn('until', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('checkin_prompts').addColumn('paused_until', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('checkin_prompts').dropColumn('paused_until').execute();
  await db.schema.dropTable('lead_pauses').ifExists().execute();
}
