import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checkin_rounds')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('programme', 'text', (c) => c.notNull())
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('skip_reason', 'text')
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('digest_channel', 'text')
    .addColumn('digest_ts', 'text')
    // One round per programme per week, however many schedulers fire at once.
    .addUniqueConstraint('checkin_rounds_week_key', ['programme', 'week'])
    .execute();
  await db.schema
    .createTable('checkin_prompts')
    .addColumn('round_id', 'uuid', (c) => c.notNull().references('checkin_rounds.id'))
    .addColumn('action_line', 'text', (c) => c.notNull())
    .addColumn('lead', 'text', (c) => c.notNull())
    .addColumn('prompted_at', 'timestamptz')
    .addColumn('dm_channel', 'text')
    .addColumn('dm_ts', 'text')
    .addColumn('reminded_at', 'timestamptz')
    .addPrimaryKeyConstraint('checkin_prompts_pkey', ['round_id', 'action_line', 'lead'])
    .execute();
  await db.schema
    .createTable('checkin_answers')
    .addColumn('round_id', 'uuid', (c) => c.notNull().references('checkin_rounds.id'))
    .addColumn('action_line', 'text', (c) => c.notNull())
    .addColumn('lead', 'text', (c) => c.notNull())
    .addColumn('progress', 'text', (c) => c.notNull())
    .addColumn('next_steps', 'text', (c) => c.notNull())
    .addColumn('blockers', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('help_needed', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkin_answers_pkey', ['round_id', 'action_line'])
    .execute();
  await sql`CREATE INDEX checkin_answers_line_idx ON checkin_answers (action_line, submitted_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['checkin_answers', 'checkin_prompts', 'checkin_rounds'])
    await db.schema.dropTable(t).ifExists().execute();
}
