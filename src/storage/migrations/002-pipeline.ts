import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('applications')
    .addColumn('review_deadline', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .addColumn('card_channel', 'text')
    .addColumn('card_ts', 'text')
    .execute();

  await db.schema
    .createTable('votes')
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
    .addColumn('reviewer', 'text', (c) => c.notNull())
    .addColumn('reviewer_name', 'text', (c) => c.notNull())
    .addColumn('vote', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('counted', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('votes_pkey', ['application_id', 'reviewer'])
    .execute();

  await db.schema
    .createTable('steps')
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Bumped by a staff retry, so the retried job gets a fresh deterministic id.
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('steps_pkey', ['application_id', 'step'])
    .execute();
  await db.schema.createIndex('steps_status_idx').on('steps').columns(['status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('steps').ifExists().execute();
  await db.schema.dropTable('votes').ifExists().execute();
  for (const c of ['review_deadline', 'decided_at', 'decided_by', 'card_channel', 'card_ts']) {
    await db.schema.alterTable('applications').dropColumn(c).execute();
  }
}
