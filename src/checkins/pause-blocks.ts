import type { LeadLang } from '../../workflows/index.ts';
import { counted, longDay } from '../pages/i18n/leads/index.ts';
import { clip, escapeSlack, LIMITS } from '../slack/blocks.ts';
import { textsFor } from './leads.ts';
import type { LeadPause } from './pauses.ts';

type Block = Record<string, unknown>;

const plain = (text: string, max = 75) => ({ type: 'plain_text', text: clip(text, max), emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, LIMITS.sectionText) });

/** Days from today to the pause's last day, both counted: a pause until today has one day to go. */
const daysLeft = (today: string, until: string) =>
  Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000) + 1;

/**
 * The top of a lead's part of the App Home, in their language: the pause in force with a button to end it,
 * or one to pause. `today` is Israel's date.
 */
export function leadControls(pause: LeadPause | null, lang: LeadLang, today: string): Block[] {
  const t = textsFor(lang);
  const header = { type: 'header', text: plain(t.homeTitle, LIMITS.header) };
  if (pause) {
    const reason = pause.reason ? `\n${t.pauseReason(escapeSlack(clip(pause.reason, 300)))}` : '';
    const left = counted(lang, Math.max(1, daysLeft(today, pause.until)), t.daysLeft);
    return [
      header,
      {
        type: 'section',
        block_id: 'checkin_pause',
        text: mrkdwn(`${t.pausedUntil(longDay(lang, pause.until), left)}${reason}`),
        accessory: {
          type: 'button',
          action_id: 'checkin_resume',
          text: plain(t.resumeButton),
          value: 'resume',
        },
      },
    ];
  }
  return [
    header,
    {
      type: 'section',
      block_id: 'checkin_pause',
      text: mrkdwn(t.pauseIntro),
      accessory: {
        type: 'button',
        action_id: 'checkin_pause',
        text: plain(t.pauseButton),
        value: 'pause',
      },
    },
  ];
}

/** The pause form, in the lead's language: the last day of the pause (today by default) and a reason. */
export function pauseModal(today: string, lang: LeadLang): Block {
  const t = textsFor(lang);
  return {
    type: 'modal',
    callback_id: 'checkin_pause',
    title: plain(t.pauseTitle, 24),
    submit: plain(t.pauseSubmit, 24),
    close: plain(t.pauseClose, 24),
    blocks: [
      {
        type: 'input',
        block_id: 'until',
        label: plain(t.pauseUntilLabel),
        element: { type: 'datepicker', action_id: 'value', initial_date: today },
      },
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: plain(t.pauseReasonLabel),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      },
      { type: 'context', elements: [mrkdwn(t.pauseNote)] },
    ],
  };
}
