import { cleanText, isUuid } from '../domain/text.ts';
import type { LeadErrorCode } from '../pages/i18n/leads/index.ts';
import type { CheckinAnswersTable } from '../storage/schema.ts';
import { type Answer, STATUSES, type Status } from './blocks.ts';
import type { CheckinContext } from './context.ts';

export type AnswerInput = Omit<Answer, 'actionLine' | 'lead'>;
/** A refusal names its reason as a code; the form shows it in the lead's language. */
export type AnswerResult =
  | { kind: 'saved' | 'updated'; programme: string; week: string; closesAt: Date }
  | { kind: 'not_prompted' | 'closed' | 'invalid'; code: LeadErrorCode };

/** A lead's answer, editable until the window closes; only a prompted lead of that action line may answer. */
export async function recordAnswer(
  ctx: Pick<CheckinContext, 'db' | 'clock'>,
  input: { roundId: string; actionLine: string; slackUserId: string; answer: AnswerInput },
): Promise<AnswerResult> {
  // The round's id comes back from Slack in the form's metadata; one that is not a UUID names no round.
  if (!isUuid(input.roundId)) return { kind: 'not_prompted', code: 'round_not_found' };
  const round = await ctx.db
    .selectFrom('checkin_rounds')
    .selectAll()
    .where('id', '=', input.roundId)
    .executeTakeFirst();
  if (!round) return { kind: 'not_prompted', code: 'round_not_found' };
  const prompt = await ctx.db
    .selectFrom('checkin_prompts')
    .select('lead')
    .where('round_id', '=', input.roundId)
    .where('action_line', '=', input.actionLine)
    .where('lead', '=', input.slackUserId)
    .executeTakeFirst();
  if (!prompt) return { kind: 'not_prompted', code: 'not_prompted' };
  const now = ctx.clock();
  if (round.status !== 'open' || now >= new Date(round.closes_at)) return { kind: 'closed', code: 'closed' };
  const a = input.answer;
  if (!STATUSES.includes(a.status as Status) || !a.progress.trim() || !a.nextSteps.trim()) {
    return { kind: 'invalid', code: 'incomplete' };
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
  return {
    kind: existing ? 'updated' : 'saved',
    programme: round.programme,
    week: round.week,
    closesAt: new Date(round.closes_at),
  };
}

/** A stored answer row as the domain sees it. */
export const toAnswer = (
  r: Pick<
    CheckinAnswersTable,
    'action_line' | 'lead' | 'progress' | 'next_steps' | 'blockers' | 'status' | 'help_needed'
  >,
): Answer => ({
  actionLine: r.action_line,
  lead: r.lead,
  progress: r.progress,
  nextSteps: r.next_steps,
  blockers: r.blockers,
  status: r.status as Status,
  helpNeeded: r.help_needed,
});

/** Every answer given in a round. */
export async function answersOf(ctx: Pick<CheckinContext, 'db'>, roundId: string): Promise<Answer[]> {
  return (
    await ctx.db.selectFrom('checkin_answers').selectAll().where('round_id', '=', roundId).execute()
  ).map(toAnswer);
}
