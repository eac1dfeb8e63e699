import { type Kysely, sql, type Transaction } from 'kysely';
import { newReference } from '../domain/reference.ts';
import type { Database } from '../storage/schema.ts';
import { proposedAnswers, REPEAT_BODY, recordRepeats } from './repeats.ts';
import {
  applicationColumns,
  INTAKE_QUEUE,
  type PendingSubmission,
  replay,
  type StoredKey,
  type SubmitResult,
  writeSubmission,
} from './submit-application.ts';

/** One submission's answer: its result, or the error that concerns it alone. */
export type Settled = { ok: true; result: SubmitResult } | { ok: false; error: unknown };

const settle = (run: () => Promise<SubmitResult> | SubmitResult): Promise<Settled> =>
  Promise.resolve()
    .then(run)
    .then(
      (result): Settled => ({ ok: true, result }),
      (error: unknown): Settled => ({ ok: false, error }),
    );

/**
 * Writes submissions in one transaction: one multi-row statement for the applications, their first
 * timeline events and their outbox rows, whatever the batch's size. Answers come back in the order given.
 * When the transaction fails, each submission is written again alone, so a row the database refuses
 * answers only its own request. `draw` makes references (tests hand it one already taken).
 */
export async function writeBatch(
  db: Kysely<Database>,
  batch: PendingSubmission[],
  draw: (prefix: string) => string = newReference,
): Promise<Settled[]> {
  const [only] = batch;
  // Alone it takes the single-statement path: no BEGIN and COMMIT round trips for a request on a quiet day.
  if (batch.length === 1 && only) return [await settle(() => writeSubmission(db, only))];
  try {
    return await db.transaction().execute((trx) => writeTogether(trx, batch, draw));
  } catch {
    return Promise.all(batch.map((s) => settle(() => writeSubmission(db, s))));
  }
}

const keyOf = (s: PendingSubmission) =>
  s.idempotency ? `${s.idempotency.scope}\u0000${s.idempotency.key}` : '';

async function writeTogether(
  trx: Transaction<Database>,
  batch: PendingSubmission[],
  draw: (prefix: string) => string,
): Promise<Settled[]> {
  // Requests with one key are one request: the first stands for the others, which replay its answer.
  const keyed = new Map<string, number[]>();
  batch.forEach((s, i) => {
    if (s.idempotency) keyed.set(keyOf(s), [...(keyed.get(keyOf(s)) ?? []), i]);
  });
  const firsts = [...keyed.values()].map((ords) => ords[0] as number);
  const claimed = await claimKeys(trx, batch, firsts);
  const earlier = await storedKeys(
    trx,
    batch,
    firsts.filter((i) => !claimed.has(i)),
  );

  const writers = batch.flatMap((s, i) => (!s.idempotency || claimed.has(i) ? [i] : []));
  const written = await writeApplications(trx, batch, writers, draw);
  const answered = [...claimed].map((i) => ({ ord: i, result: written.get(i) as SubmitResult }));
  await recordAnswers(trx, batch, answered);

  const stored = new Map<string, StoredKey | undefined>(earlier);
  for (const { ord, result } of answered) {
    const s = batch[ord] as PendingSubmission;
    stored.set(keyOf(s), {
      request_hash: s.idempotency?.hash ?? '',
      status_code: result.httpStatus,
      response: JSON.stringify(result.body),
    });
  }
  return Promise.all(
    batch.map((s, i) => {
      const own = written.get(i);
      if (own) return settle(() => own);
      return settle(() => replay(stored.get(keyOf(s)), s.idempotency?.hash ?? ''));
    }),
  );
}

/** Takes each key's row; a key held by a transaction still running waits for it, as a lone request does. */
async function claimKeys(
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

async function storedKeys(
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

async function recordAnswers(
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

/**
 * New applications in one statement, then the repeats (an e-mail already stored, or twice in this batch)
 * in a second one, which sees the first's rows. A row neither inserted nor found lost its reference to
 * another application's: it draws again.
 */
async function writeApplications(
  trx: Transaction<Database>,
  batch: PendingSubmission[],
  writers: number[],
  draw: (prefix: string) => string,
): Promise<Map<number, SubmitResult>> {
  const results = new Map<number, SubmitResult>();
  let pending = writers;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 3) throw new Error('intake batch: references kept colliding');
    const firsts = new Map<string, number>();
    const again: number[] = [];
    for (const i of pending) {
      const s = batch[i] as PendingSubmission;
      const person = `${s.cohortId}\u0000${s.input.email}`;
      if (firsts.has(person)) again.push(i);
      else firsts.set(person, i);
    }
    const rows = [...firsts.values()].map((ord) => {
      const s = batch[ord] as PendingSubmission;
      const id = crypto.randomUUID();
      const reference = draw(s.prefix);
      return {
        ord,
        id,
        reference,
        cohort: s.cohortId,
        ...applicationColumns(s.input, s.req, s.now),
        at: s.now,
      };
    });
    const inserted = await insertApplications(trx, rows);
    for (const row of rows) {
      if (inserted.has(row.id)) {
        results.set(row.ord, {
          httpStatus: 201,
          body: { id: row.id, reference: row.reference, status: 'received' },
          created: true,
        });
      } else again.push(row.ord);
    }
    for (const [ord, result] of await repeats(trx, batch, again)) results.set(ord, result);
    pending = again.filter((i) => !results.has(i));
  }
  return results;
}

async function insertApplications(
  trx: Transaction<Database>,
  rows: ({ id: string } & Record<string, unknown>)[],
): Promise<Set<string>> {
  // Without a conflict target: a taken e-mail or a taken reference both leave the row out, not the batch.
  const inserted = await sql<{ id: string }>`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(ord int, id uuid, reference text,
        cohort text, email text, full_name text, phone text, organisation text, role_title text, sector text,
        region text, answers text, flags text, source text, language text, at timestamptz)
    ), ins AS (
      INSERT INTO applications (id, reference, cohort, email, full_name, phone, organisation, role_title,
        sector, region, answers, flags, status, source, language, created_at, updated_at)
      SELECT id, reference, cohort, email, full_name, phone, organisation, role_title, sector, region,
        answers::jsonb, flags::jsonb, 'submitted', source, language, at, at
      -- Rows go in in one order everywhere, so two batches taking some of the same e-mails cannot deadlock.
      FROM r ORDER BY cohort, email
      ON CONFLICT DO NOTHING
      RETURNING id
    ), ev AS (
      INSERT INTO application_events (application_id, at, actor, type, data)
      SELECT r.id, r.at, 'applicant', 'submitted', jsonb_build_object('source', r.source)
      FROM r JOIN ins ON ins.id = r.id ORDER BY r.ord
    ), ob AS (
      INSERT INTO outbox (job_id, queue, application_id, payload, available_at, created_at)
      SELECT ${INTAKE_QUEUE} || '-' || r.id, ${INTAKE_QUEUE}, r.id, jsonb_build_object('applicationId', r.id),
        r.at, r.at
      FROM r JOIN ins ON ins.id = r.id ORDER BY r.ord
    )
    SELECT id FROM ins`.execute(trx);
  return new Set(inserted.rows.map((r) => r.id));
}

/** Repeats (an e-mail already stored, or twice in this batch) become proposed updates, as when alone. */
async function repeats(
  trx: Transaction<Database>,
  batch: PendingSubmission[],
  ords: number[],
): Promise<Map<number, SubmitResult>> {
  const rows = ords.map((ord) => {
    const s = batch[ord] as PendingSubmission;
    return {
      ord,
      cohort: s.cohortId,
      email: s.input.email,
      source: s.req.source,
      language: s.input.language ?? s.req.language ?? 'he',
      answers: proposedAnswers(s.input),
      at: s.now,
    };
  });
  const found = await recordRepeats(trx, rows);
  return new Map(
    [...found.keys()].map((ord) => [ord, { httpStatus: 200, body: REPEAT_BODY, created: false }]),
  );
}
