import type { Kysely } from 'kysely';
import type { Programme, Workflows } from '../../workflows/index.ts';
import { cleanText } from '../domain/text.ts';
import type { Database } from '../storage/schema.ts';
import {
  type Answer,
  digestMessage,
  lineReply,
  type Message,
  periodSummary,
  promptMessage,
  reminderMessage,
  STATUSES,
  type Status,
} from './blocks.ts';
import { shiftWeek, type Week, weekIndex, weekOf } from './schedule.ts';

/** What check-ins need from Slack, in their own words. */
export interface CheckinSlackPort {
  /** A direct message to a person; returns where it landed. */
  dm(userId: string, message: Message): Promise<{ channel: string; ts: string }>;
  post(channel: string, message: Message, threadTs?: string): Promise<{ channel: string; ts: string }>;
}

export interface CheckinContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  slack: CheckinSlackPort;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

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
 * Opens the week's round and prompts every lead once. Each prompt is claimed by a conditional UPDATE before
 * it is sent, so schedulers firing together send one DM per lead per week.
 */
export async function openRound(ctx: CheckinContext, programme: Programme, week: Week): Promise<RoundRow> {
  const round = await roundFor(ctx, programme, week, 'open');
  if (round.status !== 'open') return round;
  const rows = programme.actionLines.flatMap((l) =>
    l.leads.map((lead) => ({ round_id: round.id, action_line: l.id, lead })),
  );
  if (rows.length > 0) {
    await ctx.db
      .insertInto('checkin_prompts')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  for (const row of rows) {
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
      const sent = await ctx.slack.dm(row.lead, promptMessage(programme, line, round.id, week.key));
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

/** Reminds, once, every prompted lead whose action line has no answer yet. */
export async function sendReminders(
  ctx: CheckinContext,
  programme: Programme,
  roundId: string,
): Promise<number> {
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
  let sent = 0;
  for (const p of due) {
    const claimed = await ctx.db
      .updateTable('checkin_prompts')
      .set({ reminded_at: ctx.clock() })
      .where('round_id', '=', roundId)
      .where('action_line', '=', p.action_line)
      .where('lead', '=', p.lead)
      .where('reminded_at', 'is', null)
      .returning('lead')
      .executeTakeFirst();
    if (!claimed) continue;
    const line = programme.actionLines.find((l) => l.id === p.action_line);
    if (!line) continue;
    await ctx.slack.dm(p.lead, reminderMessage(line, roundId, p.lead, programme.cadence.mentionInReminders));
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

export type AnswerInput = Omit<Answer, 'actionLine' | 'lead'>;
export type AnswerResult =
  | { kind: 'saved' | 'updated' }
  | { kind: 'not_prompted' | 'closed' | 'invalid'; message: string };

/** A lead's answer, editable until the window closes; only a prompted lead of that action line may answer. */
export async function recordAnswer(
  ctx: Pick<CheckinContext, 'db' | 'clock'>,
  input: { roundId: string; actionLine: string; slackUserId: string; answer: AnswerInput },
): Promise<AnswerResult> {
  const round = await ctx.db
    .selectFrom('checkin_rounds')
    .selectAll()
    .where('id', '=', input.roundId)
    .executeTakeFirst();
  if (!round) return { kind: 'not_prompted', message: 'הסבב לא נמצא.' };
  const prompt = await ctx.db
    .selectFrom('checkin_prompts')
    .select('lead')
    .where('round_id', '=', input.roundId)
    .where('action_line', '=', input.actionLine)
    .where('lead', '=', input.slackUserId)
    .executeTakeFirst();
  if (!prompt) return { kind: 'not_prompted', message: 'רק מובילי כיוון הפעולה יכולים לעדכן אותו.' };
  const now = ctx.clock();
  if (round.status !== 'open' || now >= new Date(round.closes_at))
    return { kind: 'closed', message: 'חלון העדכון לשבוע הזה נסגר.' };
  const a = input.answer;
  if (!STATUSES.includes(a.status as Status) || !a.progress.trim() || !a.nextSteps.trim()) {
    return { kind: 'invalid', message: 'נא למלא התקדמות, צעדים הבאים וסטטוס.' };
  }
  const clean = (s: string) => cleanText(s).slice(0, 2000);
  const values = {
    progress: clean(a.progress),
    next_steps: clean(a.nextSteps),
    blockers: clean(a.blockers),
    status: a.status,
    help_needed: clean(a.helpNeeded),
    lead: input.slackUserId,
    updated_at: now,
  };
  const existing = await ctx.db
    .selectFrom('checkin_answers')
    .select('lead')
    .where('round_id', '=', input.roundId)
    .where('action_line', '=', input.actionLine)
    .executeTakeFirst();
  await ctx.db
    .insertInto('checkin_answers')
    .values({ round_id: input.roundId, action_line: input.actionLine, submitted_at: now, ...values })
    .onConflict((oc) => oc.columns(['round_id', 'action_line']).doUpdateSet(values))
    .execute();
  return { kind: existing ? 'updated' : 'saved' };
}

const toAnswer = (r: {
  action_line: string;
  lead: string;
  progress: string;
  next_steps: string;
  blockers: string;
  status: string;
  help_needed: string;
}): Answer => ({
  actionLine: r.action_line,
  lead: r.lead,
  progress: r.progress,
  nextSteps: r.next_steps,
  blockers: r.blockers,
  status: r.status as Status,
  helpNeeded: r.help_needed,
});

async function answersOf(ctx: Pick<CheckinContext, 'db'>, roundId: string): Promise<Answer[]> {
  return (
    await ctx.db.selectFrom('checkin_answers').selectAll().where('round_id', '=', roundId).execute()
  ).map(toAnswer);
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
  const channel = programme.leadershipChannel;
  if (!channel) {
    ctx.logger.warn({ programme: programme.id }, 'check-in closed with no leadership channel configured');
    return true;
  }
  const digest = await ctx.slack.post(channel, digestMessage(programme, closed.week, answers));
  await ctx.db
    .updateTable('checkin_rounds')
    .set({ digest_channel: digest.channel, digest_ts: digest.ts })
    .where('id', '=', roundId)
    .execute();
  const order = { red: 0, yellow: 1, green: 2 } as const;
  for (const a of [...answers].sort((x, y) => order[x.status] - order[y.status])) {
    await ctx.slack.post(channel, lineReply(programme, a), digest.ts);
  }
  const every = programme.cadence.leadershipDigestEveryWeeks;
  if (every > 1 && weekIndex(closed.week, programme.timeZone) % every === every - 1) {
    await ctx.slack.post(
      channel,
      periodSummary(programme, `סיכום ${every} שבועות`, await lastWeeks(ctx, programme, every)),
    );
  }
  // The first round of a month closes the month before it.
  if (programme.cadence.monthlySummary && Number(closed.week.slice(8)) <= 7) {
    const month = shiftWeek(closed.week, -1, programme.timeZone).slice(0, 7);
    const weeks = (await lastWeeks(ctx, programme, 6)).filter((w) => w.week.startsWith(month));
    await ctx.slack.post(channel, periodSummary(programme, `סיכום חודשי ${month}`, weeks));
  }
  return true;
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
    if (!current || current.status !== 'open') continue;
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

/** History: rounds of a programme, a round with its answers, an action line's answers over time. */
export const history = {
  rounds: (ctx: Pick<CheckinContext, 'db'>, programmeId: string) =>
    ctx.db
      .selectFrom('checkin_rounds')
      .selectAll()
      .where('programme', '=', programmeId)
      .orderBy('week', 'desc')
      .limit(200)
      .execute(),
  async round(ctx: Pick<CheckinContext, 'db'>, roundId: string) {
    const round = await ctx.db
      .selectFrom('checkin_rounds')
      .selectAll()
      .where('id', '=', roundId)
      .executeTakeFirst();
    if (!round) return null;
    const prompts = await ctx.db
      .selectFrom('checkin_prompts')
      .selectAll()
      .where('round_id', '=', roundId)
      .execute();
    return { round, prompts, answers: await answersOf(ctx, roundId) };
  },
  async actionLine(ctx: Pick<CheckinContext, 'db'>, actionLine: string) {
    const rows = await ctx.db
      .selectFrom('checkin_answers')
      .innerJoin('checkin_rounds', 'checkin_rounds.id', 'checkin_answers.round_id')
      .selectAll('checkin_answers')
      .select('checkin_rounds.week')
      .where('checkin_answers.action_line', '=', actionLine)
      .orderBy('checkin_rounds.week', 'desc')
      .execute();
    return rows.map((r) => ({ week: r.week, ...toAnswer(r) }));
  },
};
