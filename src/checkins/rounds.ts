import type { Programme } from '../../workflows/index.ts';
import { answersOf } from './answers.ts';
import { digestMessage, lineReply } from './blocks.ts';
import type { CheckinContext } from './context.ts';
import { promptMessage } from './lead-blocks.ts';
import { markPaused, pausedLines } from './paused-rounds.ts';
import { sendReminders } from './reminders.ts';
import { type Week, weekOf } from './schedule.ts';
import { postSummaries } from './summaries.ts';

// Routes and adapters outside check-ins reach the round lifecycle through this module.
export type { CheckinContext, CheckinSlackPort, DmKey } from './context.ts';
export { history } from './history.ts';
export { sendReminders } from './reminders.ts';

type RoundRow = { id: string; programme: string; week: string; status: string; closes_at: Date | string };

async function roundFor(
  ctx: CheckinContext,
  programme: Programme,
  week: Week,
  status: 'open' | 'skipped',
): Promise<RoundRow> {
  await ctx.db
    .insertInto('checkin_rounds')
    .values({
      id: crypto.randomUUID(),
      programme: programme.id,
      week: week.key,
      status,
      skip_reason: status === 'skipped' ? week.skip : null,
      opened_at: ctx.clock(),
      closes_at: week.closeAt,
    })
    .onConflict((oc) => oc.columns(['programme', 'week']).doNothing())
    .execute();
  return ctx.db
    .selectFrom('checkin_rounds')
    .select(['id', 'programme', 'week', 'status', 'closes_at'])
    .where('programme', '=', programme.id)
    .where('week', '=', week.key)
    .executeTakeFirstOrThrow();
}

/**
 * Opens the week's round and prompts every lead once, except a lead who paused their prompts. Each prompt is
 * claimed by a conditional UPDATE before it is sent, so schedulers firing together send one DM per lead per
 * week; a retry after a lost answer finds the DM sent before by its key.
 */
export async function openRound(ctx: CheckinContext, programme: Programme, week: Week): Promise<RoundRow> {
  const round = await roundFor(ctx, programme, week, 'open');
  if (round.status !== 'open') return round;
  const rows = programme.actionLines.flatMap((l) =>
    l.leads.map((lead) => ({ round_id: round.id, action_line: l.id, lead: lead.id, lang: lead.lang })),
  );
  if (rows.length > 0) {
    await ctx.db
      .insertInto('checkin_prompts')
      .values(rows.map(({ lang: _, ...row }) => row))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const paused = await markPaused(ctx, round.id);
  for (const row of rows) {
    // A paused lead is asked at the first tick after their pause, if the round is still open then.
    if (paused.has(row.lead)) continue;
    const claimed = await ctx.db
      .updateTable('checkin_prompts')
      .set({ prompted_at: ctx.clock() })
      .where('round_id', '=', round.id)
      .where('action_line', '=', row.action_line)
      .where('lead', '=', row.lead)
      .where('prompted_at', 'is', null)
      .returning('lead')
      .executeTakeFirst();
    if (!claimed) continue;
    const line = programme.actionLines.find((l) => l.id === row.action_line)!;
    try {
      const message = promptMessage(
        programme,
        line,
        { id: round.id, week: week.key, closesAt: new Date(round.closes_at) },
        row.lang,
      );
      const sent = await ctx.slack.dm(row.lead, message, {
        kind: 'prompt',
        roundId: round.id,
        actionLine: line.id,
      });
      await ctx.db
        .updateTable('checkin_prompts')
        .set({ dm_channel: sent.channel, dm_ts: sent.ts })
        .where('round_id', '=', round.id)
        .where('action_line', '=', row.action_line)
        .where('lead', '=', row.lead)
        .execute();
    } catch (error) {
      // Release the claim so the next tick tries this lead again.
      await ctx.db
        .updateTable('checkin_prompts')
        .set({ prompted_at: null })
        .where('round_id', '=', round.id)
        .where('action_line', '=', row.action_line)
        .where('lead', '=', row.lead)
        .execute();
      throw error;
    }
  }
  return round;
}

/** Closes the round (once) and posts the digest, even when nobody answered; then any period summaries. */
export async function closeRound(
  ctx: CheckinContext,
  programme: Programme,
  roundId: string,
): Promise<boolean> {
  const closed = await ctx.db
    .updateTable('checkin_rounds')
    .set({ status: 'closed', closed_at: ctx.clock() })
    .where('id', '=', roundId)
    .where('status', '=', 'open')
    .returning(['week'])
    .executeTakeFirst();
  if (!closed) return false;
  const answers = await answersOf(ctx, roundId);
  const paused = await pausedLines(ctx, roundId);
  const channel = programme.leadershipChannel;
  if (!channel) {
    ctx.logger.warn({ programme: programme.id }, 'check-in closed with no leadership channel configured');
    return true;
  }
  const digest = await ctx.slack.post(channel, digestMessage(programme, closed.week, answers, paused));
  await ctx.db
    .updateTable('checkin_rounds')
    .set({ digest_channel: digest.channel, digest_ts: digest.ts })
    .where('id', '=', roundId)
    .execute();
  const order = { red: 0, yellow: 1, green: 2 } as const;
  for (const a of [...answers].sort((x, y) => order[x.status] - order[y.status])) {
    await ctx.slack.post(channel, lineReply(programme, a), digest.ts);
  }
  await postSummaries(ctx, programme, closed.week, channel);
  return true;
}

/** One scheduler tick: whatever the schedule says is due now for every programme. Safe to run anywhere, often. */
export async function tick(ctx: CheckinContext): Promise<void> {
  const now = ctx.clock();
  // A round whose close was missed (the service was down) is closed at the first chance.
  const overdue = await ctx.db
    .selectFrom('checkin_rounds')
    .select(['id', 'programme'])
    .where('status', '=', 'open')
    .where('closes_at', '<=', now)
    .execute();
  for (const r of overdue) {
    const programme = ctx.workflows.programmes.get(r.programme);
    if (programme) await closeRound(ctx, programme, r.id);
  }
  for (const programme of ctx.workflows.programmes.values()) {
    const week = weekOf(programme, now);
    if (now < week.promptAt) continue;
    if (week.skip) {
      await roundFor(ctx, programme, week, 'skipped');
      continue;
    }
    const round = await ctx.db
      .selectFrom('checkin_rounds')
      .selectAll()
      .where('programme', '=', programme.id)
      .where('week', '=', week.key)
      .executeTakeFirst();
    if (!round && now < week.closeAt) await openRound(ctx, programme, week);
    else if (round?.status === 'open') await openRound(ctx, programme, week);
    const current = await ctx.db
      .selectFrom('checkin_rounds')
      .selectAll()
      .where('programme', '=', programme.id)
      .where('week', '=', week.key)
      .executeTakeFirst();
    if (current?.status !== 'open') continue;
    if (now >= week.reminderAt && !current.reminded_at) await sendReminders(ctx, programme, current.id);
    if (now >= new Date(current.closes_at)) await closeRound(ctx, programme, current.id);
  }
}

/** Staff: open this week's round now (a missed Sunday, a moved holiday), with the schedule's idempotency. */
export async function startRoundNow(ctx: CheckinContext, programmeId: string) {
  const programme = ctx.workflows.programmes.get(programmeId);
  if (!programme) return null;
  const week = { ...weekOf(programme, ctx.clock()), skip: null };
  // A round opened by hand stays open for two days, or until the usual close if that is later.
  const closeAt = new Date(Math.max(week.closeAt.getTime(), ctx.clock().getTime() + 2 * 86_400_000));
  const existing = await ctx.db
    .selectFrom('checkin_rounds')
    .select(['id', 'status'])
    .where('programme', '=', programme.id)
    .where('week', '=', week.key)
    .executeTakeFirst();
  if (existing?.status === 'skipped') {
    await ctx.db
      .updateTable('checkin_rounds')
      .set({ status: 'open', skip_reason: null, closes_at: closeAt })
      .where('id', '=', existing.id)
      .execute();
  }
  return openRound(ctx, programme, { ...week, closeAt });
}

/** Staff: close this week's round now and post its digest. */
export async function closeRoundNow(ctx: CheckinContext, programmeId: string): Promise<boolean> {
  const programme = ctx.workflows.programmes.get(programmeId);
  if (!programme) return false;
  const week = weekOf(programme, ctx.clock());
  const round = await ctx.db
    .selectFrom('checkin_rounds')
    .select('id')
    .where('programme', '=', programme.id)
    .where('week', '=', week.key)
    .executeTakeFirst();
  return round ? closeRound(ctx, programme, round.id) : false;
}
