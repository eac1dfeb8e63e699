import { type Kysely, sql } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import { type ApplicantLang, type ApplicationInput, admitApplication } from '../domain/application.ts';
import { sha256Hex } from '../domain/digest.ts';
import { AppError } from '../domain/errors.ts';
import { newReference } from '../domain/reference.ts';
import type { Database } from '../storage/schema.ts';
import { inTransaction, proposedAnswers, REPEAT_BODY, recordRepeats } from './repeats.ts';

export type SubmissionSource = 'form' | 'api' | 'edge';

export interface SubmitRequest {
  cohortId: string;
  body: unknown;
  source: SubmissionSource;
  idempotencyKey?: string | undefined;
  /** Flags the transport already knows (e.g. the edge could not reach its bot check). */
  flags?: string[];
  /** The applicant's address as the transport saw it; the edge relays it to the core. */
  clientIp?: string;
  /**
   * The language the transport negotiated (the form's choice, the API's headers); a `language` in the body
   * comes first. Every later message to the applicant is written in it.
   */
  language?: ApplicantLang | undefined;
}

/** The answer for a new application. */
export interface CreatedBody {
  id: string;
  reference: string;
  status: 'received';
}

/** The answer for a repeat of an e-mail already in the cohort: nothing that names the first application. */
export type RepeatBody = typeof REPEAT_BODY;

export interface SubmitResult {
  /** 201 for a new application, 200 for a repeat; an Idempotency-Key replays the first answer as it was. */
  httpStatus: 200 | 201;
  body: CreatedBody | RepeatBody;
  created: boolean;
  /** Accepted for later delivery (the edge could not reach the core): the reference is not known yet. */
  queued?: boolean;
}

export interface IntakeContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  /** Groups concurrent submissions into one commit; without it every submission commits alone. */
  intake?: IntakeWriter | undefined;
  /** Draws a reference; random by default (a test makes two collide). */
  drawReference?: ((prefix: string) => string) | undefined;
}

/** One validated submission, ready to be written alone or beside others. */
export interface PendingSubmission {
  cohortId: string;
  prefix: string;
  input: ApplicationInput;
  req: SubmitRequest;
  now: Date;
  /** Present when the request carried an Idempotency-Key. */
  idempotency?: { scope: string; key: string; hash: string } | undefined;
  /** Draws a reference (random by default). */
  draw?: ((prefix: string) => string) | undefined;
}

/** Writes validated submissions durably, each answered once its own commit is done. */
export interface IntakeWriter {
  write(submission: PendingSubmission): Promise<SubmitResult>;
}

/** A stored idempotency key, as a replay reads it. */
export interface StoredKey {
  request_hash: string;
  status_code: number | null;
  response: string | null;
}

/** The answer's body when it was a new application; a repeat has none to give (callers that know: tests, benchmarks). */
export function createdBody(result: SubmitResult): CreatedBody {
  if (!('id' in result.body)) throw new Error('a repeat submission has no id or reference to show');
  return result.body;
}

/** What the pipeline's first job is called; the outbox row names it so the relay can enqueue it. */
export const INTAKE_QUEUE = 'intake';

/**
 * Validates, normalises and durably stores one application, with its timeline entry and the outbox row
 * for the intake job, atomically. The same e-mail in the same cohort again is a repeat: its answers become
 * the application's proposed update and the answer names nothing of the first.
 */
export async function submitApplication(ctx: IntakeContext, req: SubmitRequest): Promise<SubmitResult> {
  const submission = await prepareSubmission(ctx, req);
  return ctx.intake ? ctx.intake.write(submission) : writeSubmission(ctx.db, submission);
}

/** Validation and the request's digest: everything that needs no database, done before any waiting. */
export async function prepareSubmission(ctx: IntakeContext, req: SubmitRequest): Promise<PendingSubmission> {
  const { cohort, input } = admitApplication(ctx.workflows, req.cohortId, req.body);
  const submission = {
    cohortId: cohort.id,
    prefix: cohort.referencePrefix,
    input,
    req,
    now: ctx.clock(),
    draw: ctx.drawReference,
  };
  if (!req.idempotencyKey) return submission;
  const hash = await sha256Hex(JSON.stringify(input));
  return { ...submission, idempotency: { scope: `cohort:${cohort.id}`, key: req.idempotencyKey, hash } };
}

/** Writes one submission in a transaction of its own (the path without a coalescer, and its fallback). */
export async function writeSubmission(db: Kysely<Database>, s: PendingSubmission): Promise<SubmitResult> {
  const { cohortId, prefix, input, req, now, idempotency } = s;
  if (!idempotency) return store(db, cohortId, prefix, input, req, now, s.draw);
  const { scope, key, hash } = idempotency;
  const outcome = await db.transaction().execute(async (trx) => {
    // The key row is taken first: a concurrent request with the same key waits on it, then replays.
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: hash, created_at: now, status_code: null, response: null })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return null;
    const result = await store(trx, cohortId, prefix, input, req, now, s.draw);
    await trx
      .updateTable('idempotency_keys')
      .set({ status_code: result.httpStatus, response: JSON.stringify(result.body) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return result;
  });
  if (outcome) return outcome;
  const previous = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return replay(previous, hash);
}

/** The first answer given under a key, or a conflict when the key came with a different body. */
export function replay(previous: StoredKey | undefined, hash: string): SubmitResult {
  if (previous?.request_hash !== hash || !previous.response || !previous.status_code) {
    throw new AppError('idempotency_conflict', 'this Idempotency-Key was used with a different body');
  }
  return {
    httpStatus: previous.status_code as 200 | 201,
    body: JSON.parse(previous.response) as SubmitResult['body'],
    created: false,
  };
}

/**
 * The stored form of a submission's own columns, shared by the single and the batched write (a new column
 * also goes into `store`'s VALUES and into the record and column lists of `insertApplications`).
 */
export function applicationColumns(input: ApplicationInput, req: SubmitRequest, now: Date) {
  return {
    email: input.email,
    full_name: input.fullName,
    phone: input.phone,
    organisation: input.organisation,
    role_title: input.roleTitle,
    sector: input.sector,
    region: input.region,
    answers: JSON.stringify({
      motivation: input.motivation,
      topics: input.topics,
      confirmedMeetings: input.confirmedMeetings,
      accessibilityNeeds: input.accessibilityNeeds,
      consentAt: now.toISOString(),
    }),
    flags: JSON.stringify(req.flags ?? []),
    source: req.source,
    language: input.language ?? req.language ?? 'he',
  };
}
/** The durable write alone (one statement), exported for the benchmark's single-statement loop. */
export async function store(
  db: Kysely<Database>,
  cohortId: string,
  prefix: string,
  input: ApplicationInput,
  req: SubmitRequest,
  now: Date,
  draw: (prefix: string) => string = newReference,
): Promise<SubmitResult> {
  const c = applicationColumns(input, req, now);
  const eventData = JSON.stringify({ source: req.source });
  for (let attempt = 0; ; attempt++) {
    const id = crypto.randomUUID();
    const reference = draw(prefix);
    // One statement, one round trip: the row, its first timeline event and the outbox row for the
    // intake job commit together or not at all.
    const inserted = await sql<{ id: string; reference: string }>`
      WITH ins AS (
        INSERT INTO applications (id, reference, cohort, email, full_name, phone, organisation, role_title,
          sector, region, answers, flags, status, source, language, created_at, updated_at)
        VALUES (${id}, ${reference}, ${cohortId}, ${c.email}, ${c.full_name}, ${c.phone},
          ${c.organisation}, ${c.role_title}, ${c.sector}, ${c.region}, ${c.answers}::jsonb,
          ${c.flags}::jsonb, 'submitted', ${c.source}, ${c.language}, ${now}, ${now})
        ON CONFLICT DO NOTHING
        RETURNING id, reference
      ), ev AS (
        INSERT INTO application_events (application_id, at, actor, type, data)
        SELECT id, ${now}, 'applicant', 'submitted', ${eventData}::jsonb FROM ins
      ), ob AS (
        INSERT INTO outbox (job_id, queue, application_id, payload, available_at, created_at)
        SELECT ${INTAKE_QUEUE} || '-' || id, ${INTAKE_QUEUE}, id, jsonb_build_object('applicationId', id), ${now}, ${now}
        FROM ins
      )
      SELECT id, reference FROM ins`.execute(db);
    const row = inserted.rows[0];
    if (row) {
      return {
        httpStatus: 201,
        body: { id: row.id, reference: row.reference, status: 'received' },
        created: true,
      };
    }
    // Nothing written: the e-mail is in the cohort already, or (1 in millions) the reference is taken, and
    // then another is drawn. Both conflicts are skipped rather than raised: an error would abort the
    // caller's transaction (the Idempotency-Key path), where no second attempt could run.
    if (attempt < 3 && !(await emailTaken(db, cohortId, input.email))) continue;
    return await repeat(db, cohortId, input, req, now);
  }
}

async function emailTaken(db: Kysely<Database>, cohortId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('applications')
    .select('id')
    .where('cohort', '=', cohortId)
    .where('email', '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

async function repeat(
  db: Kysely<Database>,
  cohortId: string,
  input: ApplicationInput,
  req: SubmitRequest,
  now: Date,
): Promise<SubmitResult> {
  const row = {
    ord: 0,
    cohort: cohortId,
    email: input.email,
    source: req.source,
    language: input.language ?? req.language ?? 'he',
    answers: proposedAnswers(input),
    at: now,
  };
  const found = await inTransaction(db, (trx) => recordRepeats(trx, [row]));
  if (found.size === 0) throw new Error('intake: a repeat found no application for its e-mail');
  return { httpStatus: 200, body: REPEAT_BODY, created: false };
}
