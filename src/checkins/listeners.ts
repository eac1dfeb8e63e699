import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isUuid } from '../domain/text.ts';
import { recordAnswer } from './answers.ts';
import { answerModal, leadHome, type Status } from './blocks.ts';
import type { CheckinContext } from './context.ts';
import { history } from './history.ts';

const value = (
  state: Record<
    string,
    Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
  >,
  id: string,
) => state[id]?.value?.value ?? state[id]?.value?.selected_option?.value ?? '';

/** The Answer button opens the form at once; the form's submission is recorded or refused with a message. */
export function registerCheckinListeners(
  app: App,
  deps: { ctx: Pick<CheckinContext, 'db' | 'clock' | 'workflows'>; client: WebClient },
) {
  app.action('checkin_answer', async ({ ack, body, action }) => {
    await ack();
    const [roundId = '', lineId = ''] = ((action as { value?: string }).value ?? '').split('|');
    // A damaged button names no round; the query would fail on an id that is not a UUID.
    if (!isUuid(roundId)) return;
    const round = await deps.ctx.db
      .selectFrom('checkin_rounds')
      .select('programme')
      .where('id', '=', roundId)
      .executeTakeFirst();
    const line = round
      ? deps.ctx.workflows.programmes.get(round.programme)?.actionLines.find((l) => l.id === lineId)
      : undefined;
    if (!line) return;
    const existing = (await history.round(deps.ctx, roundId))?.answers.find((a) => a.actionLine === lineId);
    // A trigger Slack no longer honours (expired, or absent) opens nothing; the lead can click again.
    await deps.client.views
      .open({
        trigger_id: (body as { trigger_id?: string }).trigger_id ?? '',
        view: answerModal(roundId, line, existing) as never,
      })
      .catch(() => {});
  });

  app.view('checkin_answer', async ({ ack, body, view }) => {
    const [roundId = '', actionLine = ''] = (view.private_metadata ?? '').split('|');
    const state = (view.state?.values ?? {}) as never;
    const result = await recordAnswer(deps.ctx, {
      roundId,
      actionLine,
      slackUserId: body.user.id,
      answer: {
        progress: value(state, 'progress'),
        nextSteps: value(state, 'next_steps'),
        blockers: value(state, 'blockers'),
        status: value(state, 'status') as Status,
        helpNeeded: value(state, 'help_needed'),
      },
    });
    if ('message' in result) await ack({ response_action: 'errors', errors: { progress: result.message } });
    else await ack();
  });

  app.event('app_home_opened', async ({ event }) => {
    if (typeof event.user !== 'string') return;
    const programmes = [...deps.ctx.workflows.programmes.values()].filter((p) =>
      p.actionLines.some((l) => l.leads.includes(event.user)),
    );
    for (const programme of programmes) {
      const lines = programme.actionLines.filter((l) => l.leads.includes(event.user));
      const answers = (await Promise.all(lines.map((l) => history.actionLine(deps.ctx, l.id)))).flat();
      await deps.client.views.publish({ user_id: event.user, view: leadHome(programme, answers) as never });
    }
  });
}
