import { type Kysely, sql } from 'kysely';

// The relay reads pending rows in id order. Its index was on available_at, which nothing reads by, so each
// poll walked every entry the partial index still held for rows long dispatched (an entry goes only when
// the table is vacuumed): at 10,000 applications a poll took 50 ms. Keyed by id, the read follows the index
// in the order it wants.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX outbox_pending_id_idx ON outbox (id) WHERE dispatched_at IS NULL`.execute(db);
  await sql`DROP INDEX IF EXISTS outbox_pending_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX outbox_pending_idx ON outbox (available_at) WHERE dispatched_at IS NULL`.execute(db);
  await sql`DROP INDEX IF EXISTS outbox_pending_id_idx`.execute(db);
}
