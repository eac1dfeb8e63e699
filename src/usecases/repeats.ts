import { type Kysely, sql } from 'kysely';
import type { ApplicantLang, ApplicationInput } from '../domain/application.ts';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { Database, ProposedAnswers } from '../storage/schema.ts';
import { mayMailLink } from './link-mail.ts';

/** A submission whose e-mail already applied to the cohort: it becomes a proposed update, never a leak. */
export interface RepeatRow {
  /** The submission's place in its batch (0 when alone). */
  ord: number;
  cohort: string;
  email: string;
  source: string;
  language: ApplicantLang;
  answers: ProposedAnswers;
  at: Date;
}

/** The answer to a repeat, the same whoever asks: nothing in it names the first application (SPEC §1). */
export const REPEAT_BODY = { status: 'received' } as const;

/** The answers a repeat proposes: the validated form without the e-mail (the key) and the consent. */
export function proposedAnswers(input: ApplicationInput): ProposedAnswers {
  return {
    fullName: input.fullName,
    phone: input.phone,
    organisation: input.organisation,
    roleTitle: input.roleTitle,
    sector: input.sector,
    region: input.region,
    motivation: input.motivation,
    topics: input.topics,
    confirmedMeetings: input.confirmedMeetings,
    accessibilityNeeds: input.accessibilityNeeds,
  };
}

/** Runs in the caller's transaction, or opens one: a repeat's writes commit together or not at all. */
export function inTransaction<T>(db: Kysely<Database>, run: (trx: Kysely<Database>) => Promise<T>) {
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Records repeats in the caller's transaction, for one submission or a whole batch: the `resubmitted`
 * event on the first application's timeline, the new answers as its proposed update (a later one replaces
 * an earlier; of two in one batch the last given stands), and the owner's link e-mail when none went to the
 * address in the last 10 minutes. Returns the application each found submission repeats, by `ord`; one
 * whose e-mail is not there (its first submission lost a reference draw in the same batch) is left out.
 */
export async function recordRepeats(trx: Kysely<Database>, rows: RepeatRow[]): Promise<Map<number, string>> {
  if (rows.length === 0) return new Map();
  const records = rows.map((r) => ({ ...r, answers: JSON.stringify(r.answers) }));
  const found = await sql<{ ord: number; id: string; email: string; at: Date }>`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
        AS r(ord int, cohort text, email text, source text, language text, answers text, at timestamptz)
    ), found AS (
      SELECT r.*, a.id FROM r JOIN applications a ON a.cohort = r.cohort AND a.email = r.email
    ), ev AS (
      INSERT INTO application_events (application_id, at, actor, type, data)
      SELECT id, at, 'applicant', 'resubmitted', jsonb_build_object('source', source, 'proposed', true)
      FROM found ORDER BY ord
    ), pu AS (
      -- One row per application in the statement: an upsert may touch a row only once.
      INSERT INTO proposed_updates (application_id, answers, language, source, received_at)
      SELECT DISTINCT ON (id) id, answers::jsonb, language, source, at FROM found ORDER BY id, at DESC, ord DESC
      ON CONFLICT (application_id) DO UPDATE
        SET answers = excluded.answers, language = excluded.language, source = excluded.source,
          received_at = excluded.received_at
        WHERE proposed_updates.received_at <= excluded.received_at
    )
    SELECT ord, id, email, at FROM found ORDER BY ord`.execute(trx);
  await intendLinkMails(trx, found.rows);
  return new Map(found.rows.map((r) => [r.ord, r.id]));
}

/**
 * The owner's e-mail about the repeat, decided and intended in the repeat's transaction and sent by a job: the
 * claim on the address's one link e-mail in ten minutes commits with the job's outbox row or not at all, so a
 * burst of repeats sends one e-mail and a rolled-back batch claims nothing.
 */
async function intendLinkMails(trx: Kysely<Database>, found: { id: string; email: string; at: Date }[]) {
  for (const f of found) {
    const at = new Date(f.at);
    if (await mayMailLink(trx, f.email, at)) await enqueue(trx, [jobs.repeatNotice(f.id, at)], at);
  }
}
