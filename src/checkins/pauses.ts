import { addDays } from 'date-fns';
import type { LeadErrorCode } from '../pages/i18n/leads/index.ts';
import type { CheckinContext } from './context.ts';
import { isLead } from './leads.ts';
import { localDate } from './schedule.ts';

// Pauses are kept in Israel's calendar: "until the 20th" means the lead hears nothing on the 20th either.
const ZONE = 'Asia/Jerusalem';
// Longer than a year is leaving the role, which staff change in the settings.
const LONGEST_DAYS = 366;

export interface LeadPause {
  until: string;
  reason: string | null;
}

/** A refusal names its reason as a code; the form shows it in the lead's language. */
export type PauseResult = { kind: 'paused'; until: string } | { kind: 'invalid'; code: LeadErrorCode };

type PauseContext = Pick<CheckinContext, 'db' | 'clock' | 'workflows'>;

const today = (ctx: Pick<CheckinContext, 'clock'>) => localDate(ctx.clock(), ZONE);

/** A YYYY-MM-DD that names a day in the calendar. */
const isDay = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T12:00:00Z`).toISOString().slice(0, 10) === s;

/** A lead pauses their own prompts and reminders until a day (inclusive); a new pause replaces the old one. */
export async function pauseLead(
  ctx: PauseContext,
  input: { lead: string; until: string; reason?: string },
): Promise<PauseResult> {
  if (!isLead(ctx.workflows, input.lead)) return { kind: 'invalid', code: 'pause_not_lead' };
  if (!isDay(input.until)) return { kind: 'invalid', code: 'pause_no_date' };
  if (input.until < today(ctx)) return { kind: 'invalid', code: 'pause_past' };
  const latest = localDate(addDays(ctx.clock(), LONGEST_DAYS), ZONE);
  if (input.until > latest) return { kind: 'invalid', code: 'pause_too_far' };
  const reason = input.reason?.trim().slice(0, 500) || null;
  await ctx.db
    .insertInto('lead_pauses')
    .values({ lead: input.lead, until: input.until, reason, created_at: ctx.clock() })
    .onConflict((oc) =>
      oc.column('lead').doUpdateSet({ until: input.until, reason, created_at: ctx.clock() }),
    )
    .execute();
  return { kind: 'paused', until: input.until };
}

/** The lead takes their prompts back before the pause ends. */
export async function resumeLead(ctx: Pick<CheckinContext, 'db'>, lead: string): Promise<void> {
  await ctx.db.deleteFrom('lead_pauses').where('lead', '=', lead).execute();
}

/** The lead's pause in force today, or null (one that has ended counts as none). */
export async function pauseOf(
  ctx: Pick<CheckinContext, 'db' | 'clock'>,
  lead: string,
): Promise<LeadPause | null> {
  const row = await ctx.db
    .selectFrom('lead_pauses')
    .select(['until', 'reason'])
    .where('lead', '=', lead)
    .where('until', '>=', today(ctx))
    .executeTakeFirst();
  return row ?? null;
}

/** Every lead paused today, with the last day of their pause. */
export async function pausedLeads(ctx: Pick<CheckinContext, 'db' | 'clock'>): Promise<Map<string, string>> {
  const rows = await ctx.db
    .selectFrom('lead_pauses')
    .select(['lead', 'until'])
    .where('until', '>=', today(ctx))
    .execute();
  return new Map(rows.map((r) => [r.lead, r.until]));
}
