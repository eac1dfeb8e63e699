import { type Kysely, sql } from 'kysely';
import { INITIAL_STATUS, transitionPairs } from '../domain/lifecycle.ts';

const FUNCTION = 'applications_lifecycle_guard';
const TRIGGER = 'applications_lifecycle';

/** The trigger function's body, generated from the lifecycle's table (statuses are code, never input). */
export function guardBody(): string {
  const allowed = transitionPairs()
    .map(([from, to]) => `'${from}>${to}'`)
    .join(', ');
  return `
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> '${INITIAL_STATUS}' THEN
      RAISE EXCEPTION 'lifecycle: an application starts as ${INITIAL_STATUS}, not %', NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
  ELSIF NEW.status IS DISTINCT FROM OLD.status
    AND (OLD.status || '>' || NEW.status) NOT IN (${allowed}) THEN
    RAISE EXCEPTION 'lifecycle: no move from % to %', OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
`;
}

/**
 * Installs (or brings up to date) the trigger that refuses any status change the lifecycle does not list,
 * even from hand-written SQL. It runs at every start, after the migrations, so the database follows the
 * table in code without a migration per change. Processes starting together are serialised by an
 * advisory lock, and a guard already up to date is left alone: replacing a trigger locks the table.
 */
export async function installLifecycleGuard<DB>(db: Kysely<DB>): Promise<void> {
  const body = guardBody();
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.lifecycle_guard'))`.execute(trx);
    const current = await sql<{ prosrc: string }>`
      SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE p.proname = ${FUNCTION} AND n.nspname = current_schema()`.execute(trx);
    if (current.rows[0]?.prosrc !== body) {
      await sql
        .raw(
          `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $guard$${body}$guard$`,
        )
        .execute(trx);
    }
    const trigger = await sql`
      SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE t.tgname = ${TRIGGER} AND c.relname = 'applications' AND n.nspname = current_schema()`.execute(
      trx,
    );
    if (trigger.rows.length === 0) {
      await sql
        .raw(
          `CREATE TRIGGER ${TRIGGER} BEFORE INSERT OR UPDATE OF status ON applications
           FOR EACH ROW EXECUTE FUNCTION ${FUNCTION}()`,
        )
        .execute(trx);
    }
  });
}
