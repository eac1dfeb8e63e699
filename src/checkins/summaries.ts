import type { Programme } from '../../workflows/index.ts';
import { answersOf } from './answers.ts';
import { type Answer, periodSummary } from './blocks.ts';
import type { CheckinContext } from './context.ts';
import { shiftWeek, weekIndex } from './schedule.ts';

/** The period summaries a closing round posts after its digest: every N weeks, and the month before. */
export async function postSummaries(
  ctx: CheckinContext,
  programme: Programme,
  week: string,
  channel: string,
): Promise<void> {
  const every = programme.cadence.leadershipDigestEveryWeeks;
  if (every > 1 && weekIndex(week, programme.timeZone) % every === every - 1) {
    await ctx.slack.post(
      channel,
      periodSummary(programme, `סיכום ${every} שבועות`, await lastWeeks(ctx, programme, every)),
    );
  }
  // The first round of a month closes the month before it.
  if (programme.cadence.monthlySummary && Number(week.slice(8)) <= 7) {
    const month = shiftWeek(week, -1, programme.timeZone).slice(0, 7);
    const weeks = (await lastWeeks(ctx, programme, 6)).filter((w) => w.week.startsWith(month));
    await ctx.slack.post(channel, periodSummary(programme, `סיכום חודשי ${month}`, weeks));
  }
}

async function lastWeeks(ctx: Pick<CheckinContext, 'db'>, programme: Programme, n: number) {
  const rounds = await ctx.db
    .selectFrom('checkin_rounds')
    .select(['id', 'week'])
    .where('programme', '=', programme.id)
    .where('status', '=', 'closed')
    .orderBy('week', 'desc')
    .limit(n)
    .execute();
  const out: { week: string; answers: Answer[] }[] = [];
  for (const r of rounds.reverse()) out.push({ week: r.week, answers: await answersOf(ctx, r.id) });
  return out;
}
