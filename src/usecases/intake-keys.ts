import { sql, type Transaction } from 'kysely';
import type { Database } from '../storage/schema.ts';
import type { PendingSubmission, StoredKey, SubmitResult } from './submit-application.ts';

// The Idempotency-Key rows of a batch: taken before its applications are written, answered after, in the
// batch's transaction, so a key and the answer it replays commit together or not at all.

/** Takes each key's row; a key held by a transaction still running waits for it, as a lone request does. */
export async function claimKeys(
  trx: Transaction<Database>,
  batch: PendingSubmission[],
  ords: number[],
): Promise<Set<number>> {
  if (ords.length === 0) return new Set();
  const rows = ords.map((ord) => {
    const s = batch[ord] as PendingSubmission;
    return {
      ord,
      scope: s.idempotency?.scope,
      key: s.idempotency?.key,
      hash: s.idempotency?.hash,
      at: s.now,
    };
  });
  // Keys are taken in one order everywhere, so two batches holding some of the same keys cannot deadlock.
  const taken = await sql<{ ord: number }>`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(ord int, scope text, key text, hash text, at timestamptz)
    ), ins AS (
      INSERT INTO idempotency_keys (scope, key, request_hash, created_at, status_code, response)
      SELECT scope, key, hash, at, NULL, NULL FROM r ORDER BY scope, key
      ON CONFLICT (scope, key) DO NOTHING
      RETURNING scope, key
    )
    SELECT r.ord FROM r JOIN ins ON ins.scope = r.scope AND ins.key = r.key`.execute(trx);
  return new Set(taken.rows.map((r) => r.ord));
}

export async function storedKeys(
  trx: Transaction<Database>,
  batch: PendingSubmission[],
  ords: number[],
): Promise<Map<string, StoredKey>> {
  if (ords.length === 0) return new Map();
  const rows = ords.map((ord) => ({
    scope: batch[ord]?.idempotency?.scope,
    key: batch[ord]?.idempotency?.key,
  }));
  const found = await sql<StoredKey & { scope: string; key: string }>`
    SELECT k.scope, k.key, k.request_hash, k.status_code, k.response
    FROM idempotency_keys k
    JOIN jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(scope text, key text)
      ON k.scope = r.scope AND k.key = r.key`.execute(trx);
  return new Map(found.rows.map((r) => [`${r.scope}\u0000${r.key}`, r]));
}

export async function recordAnswers(
  trx: Transaction<Database>,
  batch: PendingSubmission[],
  answered: { ord: number; result: SubmitResult }[],
): Promise<void> {
  if (answered.length === 0) return;
  const rows = answered.map(({ ord, result }) => ({
    scope: batch[ord]?.idempotency?.scope,
    key: batch[ord]?.idempotency?.key,
    status: result.httpStatus,
    response: JSON.stringify(result.body),
  }));
  await sql`
    UPDATE idempotency_keys k SET status_code = r.status, response = r.response
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(scope text, key text, status int, response text)
    WHERE k.scope = r.scope AND k.key = r.key`.execute(trx);
}
