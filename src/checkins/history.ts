import { answersOf, toAnswer } from './answers.ts';
import type { CheckinContext } from './context.ts';

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
  /** Every answer of a programme's rounds, newest week first, with its round and when it was given. */
  async programmeAnswers(ctx: Pick<CheckinContext, 'db'>, programmeId: string) {
    const rows = await ctx.db
      .selectFrom('checkin_answers')
      .innerJoin('checkin_rounds', 'checkin_rounds.id', 'checkin_answers.round_id')
      .selectAll('checkin_answers')
      .select(['checkin_rounds.week', 'checkin_rounds.status as round_status'])
      .where('checkin_rounds.programme', '=', programmeId)
      .orderBy('checkin_rounds.week', 'desc')
      .orderBy('checkin_answers.action_line')
      .execute();
    return rows.map((r) => ({
      week: r.week,
      roundStatus: r.round_status,
      submittedAt: new Date(r.submitted_at),
      updatedAt: new Date(r.updated_at),
      ...toAnswer(r),
    }));
  },
};
