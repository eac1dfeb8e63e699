import type { Kysely } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import { validateApplication } from '../domain/application.ts';
import { AppError, notFound } from '../domain/errors.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import { enqueue, jobs } from '../storage/outbox.ts';
import type { ApplicationAnswers, Database } from '../storage/schema.ts';
import { addEvent } from '../storage/transition.ts';
import { mayMailLink } from './link-mail.ts';
import { withdraw } from './onboarding.ts';

/** What the applicant's own page may touch: the database, the settings, the clock, the relay's poke. */
export interface MyApplicationContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  poke?: () => void;
}

/** The answers a person may correct from their page: everything they typed except the address and consent. */
export interface CorrectableAnswers {
  fullName: string;
  phone: string;
  organisation: string;
  roleTitle: string;
  sector: string;
  region: string;
  motivation: string;
  topics: string[];
  confirmedMeetings: string[];
  accessibilityNeeds: string;
}

const CORRECTABLE = [
  'fullName',
  'phone',
  'organisation',
  'roleTitle',
  'sector',
  'region',
  'motivation',
  'topics',
  'confirmedMeetings',
  'accessibilityNeeds',
] as const satisfies readonly (keyof CorrectableAnswers)[];

/**
 * How a correction is taken: applied while no reviewer has voted (`direct`), sent to staff as a note once
 * someone has (`note`), or not at all once the application is closed.
 */
export type CorrectionMode = 'direct' | 'note' | 'closed';

/** The applicant's page as the use case sees it; the page decides how to say it. */
export interface MyApplicationView {
  id: string;
  reference: string;
  cohortId: string;
  status: ApplicationStatus;
  language: 'he' | 'ar' | 'en';
  email: string;
  emailConfirmed: boolean;
  corrections: CorrectionMode;
  withdrawable: boolean;
  answers: CorrectableAnswers;
}

const OPEN_FOR_NOTES: readonly ApplicationStatus[] = [
  'in_review',
  'waitlisted',
  'accepted',
  'onboarding',
  'onboarded',
];
const WITHDRAWABLE: readonly ApplicationStatus[] = ['submitted', 'in_review', ...OPEN_FOR_NOTES];

async function load(db: Kysely<Database>, id: string): Promise<MyApplicationView | undefined> {
  const app = await db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', id)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (!app?.email) return undefined;
  const voted = await db
    .selectFrom('votes')
    .select('reviewer')
    .where('application_id', '=', id)
    .limit(1)
    .execute();
  const a = app.answers as Partial<ApplicationAnswers>;
  const open = app.status === 'submitted' || app.status === 'in_review';
  return {
    id: app.id,
    reference: app.reference,
    cohortId: app.cohort,
    status: app.status,
    language: app.language,
    email: app.email,
    emailConfirmed: app.email_confirmed_at !== null,
    corrections:
      open && voted.length === 0 ? 'direct' : OPEN_FOR_NOTES.includes(app.status) ? 'note' : 'closed',
    withdrawable: WITHDRAWABLE.includes(app.status),
    answers: {
      fullName: app.full_name ?? '',
      phone: app.phone ?? '',
      organisation: app.organisation ?? '',
      roleTitle: app.role_title ?? '',
      sector: app.sector ?? '',
      region: app.region ?? '',
      motivation: a.motivation ?? '',
      topics: a.topics ?? [],
      confirmedMeetings: a.confirmedMeetings ?? [],
      accessibilityNeeds: a.accessibilityNeeds ?? '',
    },
  };
}

/** The application behind a valid link, without changing anything (a page shown again after a post). */
export const viewMyApplication = (ctx: MyApplicationContext, id: string) => load(ctx.db, id);

/**
 * The applicant opened a valid link: the page, and the first opening marks the address as confirmed (the
 * link reached them there). The conditional update makes the event happen once however many tabs open it.
 */
export async function openMyApplication(
  ctx: MyApplicationContext,
  id: string,
): Promise<MyApplicationView | undefined> {
  const now = ctx.clock();
  const confirmed = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('applications')
      .set({ email_confirmed_at: now })
      .where('id', '=', id)
      .where('email_confirmed_at', 'is', null)
      .where('erased_at', 'is', null)
      .returning(['status'])
      .executeTakeFirst();
    if (!row) return false;
    await addEvent(trx, id, 'applicant', 'email_confirmed', {}, now);
    // The card and the dashboard say whether the address is confirmed: the card is brought up to date.
    if (row.status === 'in_review') await enqueue(trx, [jobs.cardRefresh(id)], now);
    return true;
  });
  if (confirmed) ctx.poke?.();
  return load(ctx.db, id);
}

/**
 * A correction from the applicant's page, validated as the form is (the address and consent stay as they
 * were). Before the first vote it is applied, recorded as `corrected_by_applicant` with the names of the
 * fields changed, and the card refreshed; after it, it goes to staff as `applicant_note` with the proposed
 * values, for them to apply, and nothing in the application changes. `unchanged` when nothing differs.
 */
export async function correctMyApplication(
  ctx: MyApplicationContext,
  id: string,
  input: Record<string, unknown>,
): Promise<'corrected' | 'noted' | 'unchanged'> {
  const now = ctx.clock();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select(['cohort', 'email'])
      .where('id', '=', id)
      .where('erased_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    const cohort = app ? ctx.workflows.cohorts.get(app.cohort) : undefined;
    if (!app?.email || !cohort) throw notFound('application');
    const checked = validateApplication(cohort, {
      ...Object.fromEntries(CORRECTABLE.map((k) => [k, input[k]])),
      email: app.email,
      consent: true,
    });
    if (!checked.ok)
      throw new AppError('validation_failed', 'the correction is not valid', {
        fields: checked.fields as Record<string, string>,
      });
    const view = await load(trx, id);
    if (!view || view.corrections === 'closed')
      throw new AppError('conflict', 'this application can no longer be corrected');
    const next: CorrectableAnswers = { ...view.answers };
    for (const k of CORRECTABLE) (next as unknown as Record<string, unknown>)[k] = checked.value[k];
    const changed = CORRECTABLE.filter((k) => JSON.stringify(view.answers[k]) !== JSON.stringify(next[k]));
    if (changed.length === 0) return 'unchanged' as const;
    if (view.corrections === 'note') {
      const proposed = Object.fromEntries(changed.map((k) => [k, next[k]]));
      await addEvent(trx, id, 'applicant', 'applicant_note', { fields: changed, proposed }, now);
      if (view.status === 'in_review') await enqueue(trx, [jobs.cardRefresh(id)], now);
      return 'noted' as const;
    }
    const stored = await trx
      .selectFrom('applications')
      .select('answers')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('applications')
      .set({
        full_name: next.fullName,
        phone: next.phone,
        organisation: next.organisation,
        role_title: next.roleTitle,
        sector: next.sector,
        region: next.region,
        answers: JSON.stringify({
          ...(stored.answers as object),
          motivation: next.motivation,
          topics: next.topics,
          confirmedMeetings: next.confirmedMeetings,
          accessibilityNeeds: next.accessibilityNeeds,
        }) as never,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await addEvent(trx, id, 'applicant', 'corrected_by_applicant', { fields: changed }, now);
    if (view.status === 'in_review') await enqueue(trx, [jobs.cardRefresh(id)], now);
    return 'corrected' as const;
  });
  if (outcome !== 'unchanged') ctx.poke?.();
  return outcome;
}

/** The applicant withdraws from their own page: the one withdrawal use case, with the applicant as actor. */
export async function withdrawMyApplication(ctx: MyApplicationContext, id: string): Promise<void> {
  await withdraw(ctx, { applicationId: id, actor: 'applicant' });
}

/**
 * "Send me my link": when an application exists for the address (the latest, if several), a fresh link is
 * e-mailed to it by a job, at most once in ten minutes. The caller answers the same whatever happens here, so
 * nobody can learn from the page whether an address applied.
 */
export async function requestMyLink(ctx: MyApplicationContext, email: string): Promise<void> {
  const address = email.trim().toLowerCase();
  if (!address || address.length > 254) return;
  const app = await ctx.db
    .selectFrom('applications')
    .select('id')
    .where('email', '=', address)
    .where('erased_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!app) return;
  const now = ctx.clock();
  if (!(await mayMailLink(ctx.db, address, now))) return;
  await enqueue(ctx.db, [jobs.myLink(app.id, now)], now);
  ctx.poke?.();
}
