import type { HomeSection } from '../slack/home.ts';
import type { CheckinContext } from './context.ts';
import { history } from './history.ts';
import { leadSection } from './lead-blocks.ts';
import { langOf, leadsLine } from './leads.ts';
import { leadControls } from './pause-blocks.ts';
import { pauseOf } from './pauses.ts';
import { localDate } from './schedule.ts';

/**
 * A lead's part of the App Home, in their language: their pause (or the button to pause), then their
 * answers in every programme in which they lead an action line; null for a person who leads none.
 */
export function leadHomeSection(ctx: Pick<CheckinContext, 'db' | 'clock' | 'workflows'>): HomeSection {
  return async (user) => {
    const programmes = [...ctx.workflows.programmes.values()].filter((p) =>
      p.actionLines.some((l) => leadsLine(l, user)),
    );
    if (programmes.length === 0) return null;
    const lang = langOf(ctx.workflows, user);
    const today = localDate(ctx.clock(), 'Asia/Jerusalem');
    const blocks = leadControls(await pauseOf(ctx, user), lang, today);
    for (const programme of programmes) {
      const lines = programme.actionLines.filter((l) => leadsLine(l, user));
      const answers = (await Promise.all(lines.map((l) => history.actionLine(ctx, l.id))))
        .flat()
        .sort((a, b) => b.week.localeCompare(a.week));
      blocks.push(...leadSection(programme, answers, lang));
    }
    return blocks;
  };
}
