import type { Kysely } from 'kysely';

// What each member's invitation to a meeting last said, per cohort and meeting: the sync compares the
// workflow's meetings with these rows, and only a difference is sent to anyone. `meeting` keeps the version
// people hold, since a cancellation must name the event as they last saw it after the workflow dropped it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meeting_syncs')
    .addColumn('cohort', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // The SEQUENCE an .ics update of this meeting carried; 0 for the meetings as first invited.
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('meeting', 'jsonb', (c) => c.notNull())
    .addColumn('removed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('synced_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_syncs_pkey', ['cohort', 'meeting_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('meeting_syncs').ifExists().execute();
}
