import { type Kysely, sql } from 'kysely';

// A form saved to finish later, keyed by address and cohort so saving again updates the one draft. It holds
// what the person typed as typed (not validated yet) and lives 30 days from its last save; it is never part
// of an export, and it goes when the person is erased or the application it became is submitted.
// `mailed_at` is when its resume link last went out, which names that e-mail; how often one may go is the
// address's own rule (`link_mails`, migration 011).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('drafts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('cohort', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language IN ('he', 'ar', 'en')`))
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mailed_at', 'timestamptz')
    .addUniqueConstraint('drafts_cohort_email_key', ['cohort', 'email'])
    .execute();
  await db.schema.createIndex('drafts_expires_idx').on('drafts').column('expires_at').execute();
  await db.schema.createIndex('drafts_email_idx').on('drafts').column('email').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('drafts').ifExists().execute();
}
