import type { CheckinContext } from './context.ts';
import { pausedLeads } from './pauses.ts';

/**
 * Notes on the round's prompt rows which leads are paused now (and clears it for those no longer paused),
 * so the digest can tell a paused action line from a missing answer; returns the leads paused now.
 */
export async function markPaused(
  ctx: Pick<CheckinContext, 'db' | 'clock'>,
  roundId: string,
): Promise<Map<string, string>> {
  const paused = await pausedLeads(ctx);
  let ended = ctx.db
    .updateTable('checkin_prompts')
    .set({ paused_until: null })
    .where('round_id', '=', roundId)
    .where('paused_until', 'is not', null);
  if (paused.size > 0) ended = ended.where('lead', 'not in', [...paused.keys()]);
  await ended.execute();
  for (const [lead, until] of paused) {
    await ctx.db
      .updateTable('checkin_prompts')
      .set({ paused_until: until })
      .where('round_id', '=', roundId)
      .where('lead', '=', lead)
      .execute();
  }
  return paused;
}

/** The round's action lines whose every lead was paused, with the day the last of those pauses ends. */
export async function pausedLines(
  ctx: Pick<CheckinContext, 'db'>,
  roundId: string,
): Promise<Map<string, string>> {
  const rows = await ctx.db
    .selectFrom('checkin_prompts')
    .select(['action_line', 'paused_until'])
    .where('round_id', '=', roundId)
    .execute();
  const lines = new Map<string, string | null>();
  for (const r of rows) {
    const seen = lines.get(r.action_line);
    if (seen === null) continue;
    lines.set(
      r.action_line,
      r.paused_until === null ? null : seen && seen > r.paused_until ? seen : r.paused_until,
    );
  }
  return new Map([...lines].filter((e): e is [string, string] => e[1] !== null));
}
