import type { Kysely } from 'kysely';

// The applicant's own page is reached by a signed link sent by e-mail. Opening it proves the address works:
// `email_confirmed_at` is set once, on the first valid opening. `link_mails` holds when a link e-mail last went
// to an address, so "send me my link" mails it at most once in ten minutes whichever process answers; it is
// keyed by the SHA-256 of the address, so it holds nothing personal and erasure has nothing to clear there.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('applications').addColumn('email_confirmed_at', 'timestamptz').execute();
  await db.schema
    .createTable('link_mails')
    .addColumn('address_hash', 'text', (c) => c.primaryKey())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('link_mails').ifExists().execute();
  await db.schema.alterTable('applications').dropColumn('email_confirmed_at').execute();
}
