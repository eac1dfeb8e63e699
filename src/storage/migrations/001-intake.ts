import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('applications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('cohort', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('full_name', 'text')
    .addColumn('phone', 'text')
    .addColumn('organisation', 'text')
    .addColumn('role_title', 'text')
    .addColumn('sector', 'text')
    .addColumn('region', 'text')
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('flags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('erased_at', 'timestamptz')
    // One application per person per cohort; erased rows have no e-mail and never collide.
    .addUniqueConstraint('applications_cohort_email_key', ['cohort', 'email'])
    .execute();
  await db.schema
    .createIndex('applications_status_idx')
    .on('applications')
    .columns(['cohort', 'status'])
    .execute();
  await db.schema
    .createIndex('applications_phone_idx')
    .on('applications')
    .columns(['cohort', 'phone'])
    .execute();

  await db.schema
    .createTable('application_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('applications.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex('application_events_app_idx')
    .on('application_events')
    .columns(['application_id', 'id'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    // Text, not jsonb: a replayed response must be byte-for-byte the first one, and jsonb reorders keys.
    .addColumn('response', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().unique())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('application_id', 'uuid')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('available_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('dispatched_at', 'timestamptz')
    .execute();
  // Secrets the service makes for itself (the form-token key) so every process of one installation agrees.
  await db.schema
    .createTable('service_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  // The relay reads only what is still pending; a partial index keeps that scan small forever.
  await sql`CREATE INDEX outbox_pending_idx ON outbox (available_at) WHERE dispatched_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['service_secrets', 'outbox', 'idempotency_keys', 'application_events', 'applications']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
