import type { HomeSection } from '../slack/home.ts';
import { leadSection } from './blocks.ts';
import type { CheckinContext } from './context.ts';
import { history } from './history.ts';
import { leadControls } from './pause-blocks.ts';
import { pauseOf } from './pauses.ts';

/**
 * A lead's part of the App Home: their pause (or the button to pause), then their answers in every
 * programme in which they lead an action line; null for a person who leads none.
 */
export function leadHomeSection(ctx: Pick<CheckinContext, 'db' | 'clock' | 'workflows'>): HomeSection {
  return async (user) => {
    const programmes = [...ctx.workflows.programmes.values()].filter((p) =>
      p.actionLines.some((l) => l.leads.includes(user)),
    );
    if (programmes.length === 0) return null;
    const blocks = leadControls(await pauseOf(ctx, user));
    for (const programme of programmes) {
      const lines = programme.actionLines.filter((l) => l.leads.includes(user));
      const answers = (await Promise.all(lines.map((l) => history.actionLine(ctx, l.id))))
        .flat()
        .sort((a, b) => b.week.localeCompare(a.week));
      blocks.push(...leadSection(programme, answers));
    }
    return blocks;
  };
}
