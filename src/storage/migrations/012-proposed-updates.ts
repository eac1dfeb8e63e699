import { type Kysely, sql } from 'kysely';

// A repeat submission's answers wait here for the owner to apply or discard them from their page: one row
// per application, the latest proposal replacing an earlier one, so nothing a person sent is dropped and
// nothing piles up. The answers are personal data: erasure deletes the row, the access export includes it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('proposed_updates')
    .addColumn('application_id', 'uuid', (c) => c.primaryKey().references('applications.id'))
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language IN ('he', 'ar', 'en')`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('proposed_updates').execute();
}
