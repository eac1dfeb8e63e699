import type { Kysely } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import type { DraftAnswers } from '../domain/draft.ts';
import { DRAFT_TTL_MS, parseDraft } from '../domain/draft.ts';
import { AppError } from '../domain/errors.ts';
import { cleanLine, isUuid } from '../domain/text.ts';
import { renderDraftLink } from '../mail/draft-link.ts';
import type { MailPort } from '../ports.ts';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';
import { type ResumeLinks, resumeLinks } from './draft-links.ts';
import { mayMailLink } from './link-mail.ts';

export interface DraftContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
}

export interface SaveDraftInput {
  cohortId: string;
  /** The posted form's fields, as the form sent them. */
  form: Record<string, unknown>;
  language: 'he' | 'ar' | 'en';
}

/**
 * Stores a form to finish later: the one draft of this address in this cohort is created or replaced, its 30
 * days start again, and, unless a link went to the address in the last ten minutes, the job that mails the
 * resume link is written in the same transaction. Only the address must be valid.
 */
export async function saveDraft(ctx: DraftContext, input: SaveDraftInput): Promise<{ mailed: boolean }> {
  const cohort = ctx.workflows.cohorts.get(input.cohortId);
  if (!cohort) throw new AppError('not_found', `no cohort ${input.cohortId}`);
  if (!cohort.open) throw new AppError('cohort_closed', 'this cohort is not accepting applications');
  const parsed = parseDraft(cohort, input.form);
  if (!parsed.ok)
    throw new AppError('validation_failed', 'a draft needs an address', { fields: parsed.fields });
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + DRAFT_TTL_MS);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('drafts')
      .values({
        id: crypto.randomUUID(),
        cohort: cohort.id,
        email: parsed.email,
        language: input.language,
        answers: JSON.stringify(parsed.answers) as never,
        created_at: now,
        updated_at: now,
        expires_at: expiresAt,
      })
      .onConflict((oc) =>
        oc.columns(['cohort', 'email']).doUpdateSet((eb) => ({
          answers: eb.ref('excluded.answers'),
          language: eb.ref('excluded.language'),
          updated_at: eb.ref('excluded.updated_at'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    // Per address, across cohorts and with every other link e-mail: the rule is about the inbox.
    if (!(await mayMailLink(trx, parsed.email, now))) return { mailed: false };
    await trx.updateTable('drafts').set({ mailed_at: now }).where('id', '=', row.id).execute();
    await enqueue(trx, [jobs.draftLink(row.id, now)], now);
    return { mailed: true };
  });
}

export type OpenedDraft =
  | { kind: 'restored'; cohort: string; language: 'he' | 'ar' | 'en'; answers: DraftAnswers }
  | { kind: 'invalid' }
  | { kind: 'expired' };

/**
 * The draft a resume link names. A link that was not signed here is `invalid`; one past its time, or whose
 * draft is gone (sent as an application, erased, purged) or past its own time, is `expired`.
 */
export async function openDraft(
  ctx: DraftContext & { links: ResumeLinks },
  cohortId: string,
  token: string,
): Promise<OpenedDraft> {
  const check = await ctx.links.check(token, ctx.clock());
  if (!check.ok) return { kind: check.reason };
  if (!isUuid(check.draftId)) return { kind: 'invalid' };
  const draft = await ctx.db
    .selectFrom('drafts')
    .select(['cohort', 'language', 'answers', 'expires_at'])
    .where('id', '=', check.draftId)
    .executeTakeFirst();
  if (draft && draft.cohort !== cohortId) return { kind: 'invalid' };
  if (!draft || new Date(draft.expires_at).getTime() <= ctx.clock().getTime()) return { kind: 'expired' };
  return { kind: 'restored', cohort: draft.cohort, language: draft.language, answers: draft.answers };
}

/** A sent application needs its draft no more. */
export async function discardDraft(ctx: DraftContext, cohortId: string, email: string): Promise<void> {
  await ctx.db
    .deleteFrom('drafts')
    .where('cohort', '=', cohortId)
    .where('email', '=', cleanLine(email).toLowerCase())
    .execute();
}

export interface DraftMailContext extends DraftContext {
  publicUrl: string;
  mail: MailPort;
  links: ResumeLinks;
}

/**
 * Mails a draft's resume link, signed to expire with the draft. A draft gone or expired by the time the job
 * runs is sent nothing. The key ends with the draft's id, so erasure finds the copy the outbox kept.
 */
export async function sendDraftLink(ctx: DraftMailContext, draftId: string): Promise<boolean> {
  if (!isUuid(draftId)) throw new AppError('bad_request', 'a draft id is a UUID', { retryable: false });
  const draft = await ctx.db.selectFrom('drafts').selectAll().where('id', '=', draftId).executeTakeFirst();
  const now = ctx.clock();
  if (!draft || new Date(draft.expires_at).getTime() <= now.getTime()) return false;
  const cohort = ctx.workflows.cohorts.get(draft.cohort);
  if (!cohort) return false;
  const expiresAt = new Date(draft.expires_at);
  const token = await ctx.links.issue(draft.id, expiresAt);
  const url = `${ctx.publicUrl}/apply/${cohort.id}/resume?token=${encodeURIComponent(token)}`;
  const fullName = typeof draft.answers.fullName === 'string' ? draft.answers.fullName : undefined;
  const notice = renderDraftLink({
    cohort,
    url,
    expiresAt,
    lang: draft.language,
    fullName,
    contact: ctx.workflows.contact,
  });
  const sentAt = new Date(draft.mailed_at ?? now).getTime();
  await ctx.mail.send({
    to: { email: draft.email, name: fullName ?? '' },
    ...notice,
    idempotencyKey: `draft-link-${sentAt}-${draft.id}`,
  });
  return true;
}

/**
 * Deletes drafts past their 30 days, and the copies of their e-mails the outbox kept; returns how many.
 * The maintenance queue's nightly retention run calls it.
 */
export async function purgeDrafts(ctx: { db: Kysely<Database>; clock: () => Date; mail: MailPort }) {
  const gone = await ctx.db
    .deleteFrom('drafts')
    .where('expires_at', '<=', ctx.clock())
    .returning('id')
    .execute();
  for (const d of gone) await ctx.mail.forget(d.id);
  return gone.length;
}

/** Erases the drafts of one address (with the person), and the copies of their e-mails; returns how many. */
export async function eraseDrafts(ctx: { db: Kysely<Database>; mail: MailPort }, email: string) {
  const gone = await ctx.db
    .deleteFrom('drafts')
    .where('email', '=', email.trim().toLowerCase())
    .returning('id')
    .execute();
  for (const d of gone) await ctx.mail.forget(d.id);
  return gone.length;
}

/** The draft use cases bound to one database, as the HTTP app takes them; `poke` hands a queued mail on. */
export function draftService(ctx: DraftContext, poke: () => void) {
  const links = resumeLinks(ctx.db);
  return {
    async save(input: SaveDraftInput) {
      const saved = await saveDraft(ctx, input);
      if (saved.mailed) poke();
      return saved;
    },
    open: (cohortId: string, token: string) => openDraft({ ...ctx, links }, cohortId, token),
    discard: (cohortId: string, email: string) => discardDraft(ctx, cohortId, email),
  };
}
