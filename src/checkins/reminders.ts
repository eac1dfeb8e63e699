import type { Programme } from '../../workflows/index.ts';
import type { CheckinContext } from './context.ts';
import { reminderMessage } from './lead-blocks.ts';
import { langOf } from './leads.ts';
import { markPaused } from './paused-rounds.ts';

/**
 * Reminds, once, every prompted lead whose action line has no answer yet, except a lead paused now. A
 * reminder that fails is released for the next tick, which finds it by its key if Slack did take it.
 */
export async function sendReminders(
  ctx: CheckinContext,
  programme: Programme,
  roundId: string,
): Promise<number> {
  const paused = await markPaused(ctx, roundId);
  const due = await ctx.db
    .selectFrom('checkin_prompts')
    .select(['action_line', 'lead'])
    .where('round_id', '=', roundId)
    .where('prompted_at', 'is not', null)
    .where('reminded_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('checkin_answers')
            .select('checkin_answers.lead')
            .whereRef('checkin_answers.round_id', '=', 'checkin_prompts.round_id')
            .whereRef('checkin_answers.action_line', '=', 'checkin_prompts.action_line'),
        ),
      ),
    )
    .execute();
  const round = await ctx.db
    .selectFrom('checkin_rounds')
    .select('closes_at')
    .where('id', '=', roundId)
    .executeTakeFirstOrThrow();
  const closesAt = new Date(round.closes_at);
  let sent = 0;
  for (const p of due) {
    if (paused.has(p.lead)) continue;
    const line = programme.actionLines.find((l) => l.id === p.action_line);
    if (!line) continue;
    const lead = { id: p.lead, lang: langOf(ctx.workflows, p.lead) };
    const prompt = (q: typeof ctx.db) =>
      q
        .updateTable('checkin_prompts')
        .where('round_id', '=', roundId)
        .where('action_line', '=', p.action_line)
        .where('lead', '=', p.lead);
    const claimed = await prompt(ctx.db)
      .set({ reminded_at: ctx.clock() })
      .where('reminded_at', 'is', null)
      .returning('lead')
      .executeTakeFirst();
    if (!claimed) continue;
    try {
      await ctx.slack.dm(
        p.lead,
        reminderMessage(line, { id: roundId, closesAt }, lead, programme.cadence.mentionInReminders),
        {
          kind: 'reminder',
          roundId,
          actionLine: line.id,
        },
      );
    } catch (error) {
      await prompt(ctx.db).set({ reminded_at: null }).execute();
      throw error;
    }
    sent++;
  }
  await ctx.db
    .updateTable('checkin_rounds')
    .set({ reminded_at: ctx.clock() })
    .where('id', '=', roundId)
    .where('reminded_at', 'is', null)
    .execute();
  return sent;
}
