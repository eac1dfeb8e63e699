import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Appends to the audit log: who, what, which record — never personal data. */
export async function audit(
  db: Kysely<Database>,
  at: Date,
  actor: string,
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
) {
  await db
    .insertInto('audit_log')
    .values({ at, actor, action, target, detail: JSON.stringify(detail) as never })
    .execute();
}

/**
 * The audit entry a staff change asks its use case to write. The use case writes it in the transaction of
 * the change, so there is never a change without its entry, nor an entry for a change that rolled back.
 */
export interface StaffAudit {
  actor: string;
  action: string;
  detail?: Record<string, unknown>;
}

/** Writes `entry` (if asked for) on `target`, with what the change came to. */
export async function auditChange(
  db: Kysely<Database>,
  at: Date,
  target: string,
  entry: StaffAudit | undefined,
  result: string,
) {
  if (entry) await audit(db, at, entry.actor, entry.action, target, { ...entry.detail, result });
}
