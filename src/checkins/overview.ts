import { addWeeks } from 'date-fns';
import type { Programme } from '../../workflows/index.ts';
import type { CheckinContext } from './context.ts';
import { history } from './history.ts';
import { pausedLeads } from './pauses.ts';
import { weekOf } from './schedule.ts';

/** How far ahead the first prompt is looked for: past a year of skipped weeks, the schedule says never. */
const LOOKAHEAD_WEEKS = 53;

/**
 * When the schedule next prompts the leads: the first week from now whose prompt time is still ahead and
 * that no holiday, skip date or programme pause empties. Null when there is none within a year.
 */
export function nextPromptAt(programme: Programme, now: Date): Date | null {
  for (let i = 0; i <= LOOKAHEAD_WEEKS; i++) {
    const week = weekOf(programme, addWeeks(now, i));
    if (!week.skip && week.promptAt > now) return week.promptAt;
  }
  return null;
}

export interface LineOverview {
  id: string;
  name: string;
  leads: number;
  /** The leads paused today, and the last day of the first pause to end, YYYY-MM-DD. */
  paused: number;
  pausedUntil?: string;
}

export interface ProgrammeOverview {
  id: string;
  name: string;
  lines: LineOverview[];
  rounds: { id: string; week: string; status: string; skipReason: string | null; answers: number }[];
  /** Only while no round exists yet: when the first prompt goes. */
  firstPromptAt?: Date | null;
}

/** What the staff check-ins page shows: each programme's lines (with pauses), its rounds and their answers. */
export async function checkinsOverview(
  ctx: Pick<CheckinContext, 'db' | 'workflows' | 'clock'>,
  lineId?: string,
): Promise<{
  programmes: ProgrammeOverview[];
  line?: { name: string; pausedUntil?: string; answers: Awaited<ReturnType<typeof history.actionLine>> };
}> {
  const now = ctx.clock();
  const paused = await pausedLeads(ctx);
  const lineOf = (l: Programme['actionLines'][number]): LineOverview => {
    const until = l.leads.flatMap((lead) => paused.get(lead.id) ?? []).sort();
    return {
      id: l.id,
      name: l.name,
      leads: l.leads.length,
      paused: until.length,
      ...(until[0] ? { pausedUntil: until[0] } : {}),
    };
  };
  const programmes = await Promise.all(
    [...ctx.workflows.programmes.values()].map(async (p): Promise<ProgrammeOverview> => {
      const rows = await history.rounds(ctx, p.id);
      const rounds = await Promise.all(
        rows.map(async (r) => ({
          id: r.id,
          week: r.week,
          status: r.status,
          skipReason: r.skip_reason,
          answers: (await history.round(ctx, r.id))?.answers.length ?? 0,
        })),
      );
      return {
        id: p.id,
        name: p.name.he,
        lines: p.actionLines.map(lineOf),
        rounds,
        ...(rounds.length === 0 ? { firstPromptAt: nextPromptAt(p, now) } : {}),
      };
    }),
  );
  const found = lineId
    ? [...ctx.workflows.programmes.values()].flatMap((p) => p.actionLines).find((l) => l.id === lineId)
    : undefined;
  if (!found) return { programmes };
  const overview = lineOf(found);
  return {
    programmes,
    line: {
      name: found.name,
      ...(overview.pausedUntil && overview.paused === overview.leads
        ? { pausedUntil: overview.pausedUntil }
        : {}),
      answers: await history.actionLine(ctx, found.id),
    },
  };
}
