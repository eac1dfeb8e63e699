import { type Kysely, sql, type Transaction } from 'kysely';
import { newReference } from '../domain/reference.ts';
import type { Database } from '../storage/schema.ts';
import { claimKeys, recordAnswers, storedKeys } from './intake-keys.ts';
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
  if (batch.every((s) => !s.idempotency)) return writeUnkeyed(db, batch, draw);
  try {
    return await db.transaction().execute((trx) => writeTogether(trx, batch, draw));
  } catch {
    return alone(db, batch);
  }
}

const alone = (db: Kysely<Database>, batch: PendingSubmission[]) =>
  Promise.all(batch.map((s) => settle(() => writeSubmission(db, s))));

/**
 * A batch without Idempotency-Keys: its new people go in one statement, which commits by itself (each
 * application with its event and outbox row, all of them or none), so a busy minute costs no BEGIN and
 * COMMIT round trips. Only what that statement left out — repeats, a lost reference draw — opens a
 * transaction; when that fails, those alone are written one by one, and the committed ones stand.
 */
async function writeUnkeyed(
  db: Kysely<Database>,
  batch: PendingSubmission[],
  draw: (prefix: string) => string,
): Promise<Settled[]> {
  let first: Attempt;
  try {
    first = await insertFirsts(db, batch, [...batch.keys()], draw);
  } catch {
    return alone(db, batch);
  }
  const rest = first.again;
  const later = new Map<number, Settled>();
  if (rest.length > 0) {
    try {
      const written = await db.transaction().execute(async (trx) => {
        const found = await repeats(trx, batch, rest);
        const more = await writeApplications(
          trx,
          batch,
          rest.filter((i) => !found.has(i)),
          draw,
        );
        return new Map([...found, ...more]);
      });
      for (const [ord, result] of written) later.set(ord, { ok: true, result });
    } catch {
      const settled = await alone(
        db,
        rest.map((i) => batch[i] as PendingSubmission),
      );
      rest.forEach((ord, n) => {
        later.set(ord, settled[n] as Settled);
      });
    }
  }
  return batch.map((_, i) => {
    const own = first.results.get(i);
    return own ? { ok: true, result: own } : (later.get(i) as Settled);
  });
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
    const { results: inserted, again } = await insertFirsts(trx, batch, pending, draw);
    for (const [ord, result] of inserted) results.set(ord, result);
    for (const [ord, result] of await repeats(trx, batch, again)) results.set(ord, result);
    pending = again.filter((i) => !results.has(i));
  }
  return results;
}

/** The new applications of one attempt, and the submissions it left for a repeat or another draw. */
interface Attempt {
  results: Map<number, SubmitResult>;
  again: number[];
}

/** The first submission of each person among `pending` goes in; a second of the same person waits. */
async function insertFirsts(
  db: Kysely<Database>,
  batch: PendingSubmission[],
  pending: number[],
  draw: (prefix: string) => string,
): Promise<Attempt> {
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
    return {
      ord,
      id: crypto.randomUUID(),
      reference: draw(s.prefix),
      cohort: s.cohortId,
      ...applicationColumns(s.input, s.req, s.now),
      at: s.now,
    };
  });
  const inserted = await insertApplications(db, rows);
  const results = new Map<number, SubmitResult>();
  for (const row of rows) {
    if (inserted.has(row.id)) {
      results.set(row.ord, {
        httpStatus: 201,
        body: { id: row.id, reference: row.reference, status: 'received' },
        created: true,
      });
    } else again.push(row.ord);
  }
  return { results, again };
}

async function insertApplications(
  db: Kysely<Database>,
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
    SELECT id FROM ins`.execute(db);
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
