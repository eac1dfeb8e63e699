import type { Programme } from '../../workflows/index.ts';
import { answersOf } from './answers.ts';
import { type Answer, periodSummary } from './blocks.ts';
import type { CheckinContext } from './context.ts';
import { pausedLines } from './paused-rounds.ts';
import { shiftWeek, summariesDue } from './schedule.ts';

/**
 * The period summaries a closing round posts after its digest: those due in its own week and in every week
 * since the previous round that ran, which were skipped (a holiday, a skip date, a pause) or missed while
 * the service was down. Each due week has exactly one such round, and its close is claimed once in the
 * database, so every summary is posted once however many schedulers tick.
 */
export async function postSummaries(
  ctx: CheckinContext,
  programme: Programme,
  week: string,
  channel: string,
): Promise<void> {
  // An open round counts as run even if a scheduler is closing it at this very moment: its own close
  // posts what was due up to its week, so the two closes never claim the same summary.
  const previous = await ctx.db
    .selectFrom('checkin_rounds')
    .select('week')
    .where('programme', '=', programme.id)
    .where('week', '<', week)
    .where('status', 'in', ['open', 'closed'])
    .orderBy('week', 'desc')
    .limit(1)
    .executeTakeFirst();
  // Before a programme's first round nothing has closed, so nothing due then has anything to show.
  const from = previous ? shiftWeek(previous.week, 1, programme.timeZone) : week;
  for (const due of summariesDue(programme, from, week)) {
    const weeks = await closedWeeks(ctx, programme, due.from, due.to);
    // A period in which no round closed (all of it a break or an outage) would be an empty table.
    if (weeks.length === 0) continue;
    const title =
      due.kind === 'month'
        ? `סיכום חודשי ${due.month}`
        : `סיכום ${programme.cadence.leadershipDigestEveryWeeks} שבועות`;
    const note =
      due.due === week ? undefined : `הסיכום מתפרסם באיחור: בשבוע שהתחיל ב־${due.due} לא התקיים סבב עדכונים.`;
    await ctx.slack.post(channel, periodSummary(programme, title, weeks, note));
  }
}

/** The closed rounds whose weeks start between two week keys, oldest first, with their answers. */
async function closedWeeks(
  ctx: Pick<CheckinContext, 'db'>,
  programme: Programme,
  from: string,
  to: string,
): Promise<{ week: string; answers: Answer[]; paused: Map<string, string> }[]> {
  const rounds = await ctx.db
    .selectFrom('checkin_rounds')
    .select(['id', 'week'])
    .where('programme', '=', programme.id)
    .where('status', '=', 'closed')
    .where('week', '>=', from)
    .where('week', '<=', to)
    .orderBy('week')
    .execute();
  const out: { week: string; answers: Answer[]; paused: Map<string, string> }[] = [];
  for (const r of rounds)
    out.push({ week: r.week, answers: await answersOf(ctx, r.id), paused: await pausedLines(ctx, r.id) });
  return out;
}
