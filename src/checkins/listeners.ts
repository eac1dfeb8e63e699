import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isUuid } from '../domain/text.ts';
import type { PublishHome } from '../slack/app.ts';
import { recordAnswer } from './answers.ts';
import type { Status } from './blocks.ts';
import type { CheckinContext } from './context.ts';
import { history } from './history.ts';
import { answeredModal, answerModal } from './lead-blocks.ts';
import { langOf, textsFor } from './leads.ts';
import { pauseModal } from './pause-blocks.ts';
import { pauseLead, resumeLead } from './pauses.ts';
import { localDate } from './schedule.ts';

const value = (
  state: Record<
    string,
    Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
  >,
  id: string,
) => state[id]?.value?.value ?? state[id]?.value?.selected_option?.value ?? '';

/**
 * The Answer button opens the form at once; the form's submission is recorded or refused with a message. A
 * lead's pause from the App Home is stored, or ended, and their App Home published again.
 */
export function registerCheckinListeners(
  app: App,
  deps: {
    ctx: Pick<CheckinContext, 'db' | 'clock' | 'workflows'>;
    client: WebClient;
    /** The App Home's one publisher: a pause changes the lead's view, which shows every section. */
    publishHome: PublishHome;
  },
) {
  app.action('checkin_answer', async ({ ack, body, action }) => {
    await ack();
    const [roundId = '', lineId = ''] = ((action as { value?: string }).value ?? '').split('|');
    // A damaged button names no round; the query would fail on an id that is not a UUID.
    if (!isUuid(roundId)) return;
    const round = await deps.ctx.db
      .selectFrom('checkin_rounds')
      .select(['programme', 'week'])
      .where('id', '=', roundId)
      .executeTakeFirst();
    if (!round) return;
    const line = deps.ctx.workflows.programmes.get(round.programme)?.actionLines.find((l) => l.id === lineId);
    if (!line) return;
    const existing = (await history.round(deps.ctx, roundId))?.answers.find((a) => a.actionLine === lineId);
    // A trigger Slack no longer honours (expired, or absent) opens nothing; the lead can click again.
    await deps.client.views
      .open({
        trigger_id: (body as { trigger_id?: string }).trigger_id ?? '',
        view: answerModal(
          { id: roundId, week: round.week },
          line,
          langOf(deps.ctx.workflows, body.user.id),
          existing,
        ) as never,
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
    const lang = langOf(deps.ctx.workflows, body.user.id);
    if ('code' in result) {
      await ack({ response_action: 'errors', errors: { progress: textsFor(lang).errors[result.code] } });
      return;
    }
    const line = deps.ctx.workflows.programmes
      .get(result.programme)
      ?.actionLines.find((l) => l.id === actionLine);
    // The saved form turns into its confirmation, in the same window, so the lead sees it was received.
    if (line) await ack({ response_action: 'update', view: answeredModal(result, line, lang) as never });
    else await ack();
  });

  // A lead pauses their own prompts from the App Home; the form opens at once (the trigger id expires).
  app.action('checkin_pause', async ({ ack, body }) => {
    await ack();
    await deps.client.views.open({
      trigger_id: (body as { trigger_id: string }).trigger_id,
      view: pauseModal(
        localDate(deps.ctx.clock(), 'Asia/Jerusalem'),
        langOf(deps.ctx.workflows, body.user.id),
      ) as never,
    });
  });

  app.view('checkin_pause', async ({ ack, body, view }) => {
    const state = view.state.values as Record<string, Record<string, { selected_date?: string | null }>>;
    const result = await pauseLead(deps.ctx, {
      lead: body.user.id,
      until: state.until?.value?.selected_date ?? '',
      reason: value(view.state.values as never, 'reason'),
    });
    if (result.kind === 'invalid') {
      const lang = langOf(deps.ctx.workflows, body.user.id);
      await ack({ response_action: 'errors', errors: { until: textsFor(lang).errors[result.code] } });
      return;
    }
    await ack();
    await deps.publishHome(body.user.id);
  });

  app.action('checkin_resume', async ({ ack, body }) => {
    await ack();
    const user = (body as { user: { id: string } }).user.id;
    await resumeLead(deps.ctx, user);
    await deps.publishHome(user);
  });
}
