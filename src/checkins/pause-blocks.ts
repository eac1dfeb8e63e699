import { clip, escapeSlack, LIMITS } from '../slack/blocks.ts';
import type { LeadPause } from './pauses.ts';
import { dayLabel } from './schedule.ts';

type Block = Record<string, unknown>;

const plain = (text: string, max = 75) => ({ type: 'plain_text', text: clip(text, max), emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, LIMITS.sectionText) });

/** The top of a lead's part of the App Home: the pause in force with a button to end it, or one to pause. */
export function leadControls(pause: LeadPause | null): Block[] {
  const header = { type: 'header', text: plain('העדכונים השבועיים שלי', LIMITS.header) };
  if (pause) {
    const reason = pause.reason ? `\nסיבה: ${escapeSlack(clip(pause.reason, 300))}` : '';
    return [
      header,
      {
        type: 'section',
        block_id: 'checkin_pause',
        text: mrkdwn(`⏸️ העדכונים השבועיים מושהים עד ${dayLabel(pause.until)} (כולל).${reason}`),
        accessory: {
          type: 'button',
          action_id: 'checkin_resume',
          text: plain('חידוש העדכונים'),
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
      text: mrkdwn(
        'בחופשה, במילואים או בתקופה עמוסה אפשר להשהות את הבקשות לעדכון ואת התזכורות עד תאריך מסוים.',
      ),
      accessory: {
        type: 'button',
        action_id: 'checkin_pause',
        text: plain('השהיית העדכונים'),
        value: 'pause',
      },
    },
  ];
}

/** The pause form: the last day of the pause (today by default) and an optional reason. */
export function pauseModal(today: string): Block {
  return {
    type: 'modal',
    callback_id: 'checkin_pause',
    title: plain('השהיית עדכונים', 24),
    submit: plain('השהיה', 24),
    close: plain('ביטול', 24),
    blocks: [
      {
        type: 'input',
        block_id: 'until',
        label: plain('עד תאריך (כולל)'),
        element: { type: 'datepicker', action_id: 'value', initial_date: today },
      },
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: plain('סיבה (לא חובה)'),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      },
      {
        type: 'context',
        elements: [
          mrkdwn('עד התאריך הזה לא יישלחו אליך בקשות לעדכון ותזכורות, ובסיכומים יופיע שהעדכונים מושהים.'),
        ],
      },
    ],
  };
}
