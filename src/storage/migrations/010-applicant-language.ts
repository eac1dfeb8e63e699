import { type Kysely, sql } from 'kysely';

// Every message after the form (received, decisions, withdrawal, meeting changes, the .ics) goes out in the
// language the person applied in. Rows from before the column were all written in Hebrew, the default.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('applications')
    .addColumn('language', 'text', (c) =>
      c.notNull().defaultTo('he').check(sql`language IN ('he', 'ar', 'en')`),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('applications').dropColumn('language').execute();
}
