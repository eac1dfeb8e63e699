import type { ActionLine, LeadLang, Programme } from '../../workflows/index.ts';
import { counted, momentLabel, weekSpan } from '../pages/i18n/leads/index.ts';
import { clip, escapeSlack, LIMITS } from '../slack/blocks.ts';
import { type Answer, type Message, STATUSES, type Status } from './blocks.ts';
import { lineName, programmeName, textsFor } from './leads.ts';

// What an action-line lead sees, in the lead's language; the leadership's digest and summaries stay in
// Hebrew, in blocks.ts.

type Block = Record<string, unknown>;

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, LIMITS.sectionText) });
const plain = (text: string, max = 75) => ({ type: 'plain_text', text: clip(text, max), emoji: true });
const e = escapeSlack;
const MARK: Record<Status, string> = { green: '🟢', yellow: '🟡', red: '🔴' };

/** A status as a lead reads it: its colour and its name in their language. */
export const leadStatus = (lang: LeadLang, s: Status) => `${MARK[s]} ${textsFor(lang).status[s]}`;

const answerButton = (lang: LeadLang, roundId: string, line: ActionLine, primary: boolean) => ({
  type: 'actions',
  elements: [
    {
      type: 'button',
      action_id: 'checkin_answer',
      ...(primary ? { style: 'primary' } : {}),
      text: plain(textsFor(lang).answerButton),
      value: `${roundId}|${line.id}`,
    },
  ],
});

/** The weekly prompt, a DM to one lead, with the button that opens the answer form. */
export function promptMessage(
  programme: Programme,
  line: ActionLine,
  round: { id: string; week: string; closesAt: Date },
  lang: LeadLang,
): Message {
  const t = textsFor(lang);
  const name = e(lineName(line, lang));
  return {
    text: clip(t.promptText(name, weekSpan(lang, round.week)), LIMITS.fallbackText),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `*${e(programmeName(programme, lang))}*\n${t.promptQuestion(`*${name}*`)} ${t.promptNote}`,
        ),
      },
      { type: 'context', elements: [mrkdwn(t.closes(momentLabel(lang, round.closesAt)))] },
      answerButton(lang, round.id, line, true),
    ],
  };
}

/** A reminder to a lead who has not answered yet. */
export function reminderMessage(
  line: ActionLine,
  round: { id: string; closesAt: Date },
  lead: { id: string; lang: LeadLang },
  mention: boolean,
): Message {
  const t = textsFor(lead.lang);
  const who = mention ? `<@${lead.id}> ` : '';
  const name = e(lineName(line, lead.lang));
  return {
    text: clip(`${who}${t.reminder(name)}`, LIMITS.fallbackText),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`${who}${t.reminder(`*${name}*`)}\n${t.closes(momentLabel(lead.lang, round.closesAt))}`),
      },
      answerButton(lead.lang, round.id, line, false),
    ],
  };
}

const input = (
  id: string,
  label: string,
  initial: string | undefined,
  optional: boolean,
  hint?: string,
): Block => ({
  type: 'input',
  block_id: id,
  optional,
  label: plain(label, 2000),
  ...(hint ? { hint: plain(hint, 2000) } : {}),
  element: {
    type: 'plain_text_input',
    action_id: 'value',
    multiline: true,
    max_length: 2000,
    ...(initial ? { initial_value: initial } : {}),
  },
});

/** The answer form; prefilled when editing. private_metadata carries ids only. */
export function answerModal(
  round: { id: string; week: string },
  line: ActionLine,
  lang: LeadLang,
  existing?: Answer,
): Block {
  const t = textsFor(lang);
  const statusOption = (s: Status) => ({ text: plain(leadStatus(lang, s)), value: s });
  return {
    type: 'modal',
    callback_id: 'checkin_answer',
    private_metadata: `${round.id}|${line.id}`,
    title: plain(t.modalTitle, 24),
    submit: plain(t.modalSubmit, 24),
    close: plain(t.modalClose, 24),
    blocks: [
      {
        type: 'context',
        elements: [mrkdwn(`*${e(lineName(line, lang))}* · ${weekSpan(lang, round.week)}`)],
      },
      input('progress', t.progressLabel, existing?.progress, false),
      input('next_steps', t.nextStepsLabel, existing?.nextSteps, false),
      input('blockers', t.blockersLabel, existing?.blockers, true, t.blockersHint),
      {
        type: 'input',
        block_id: 'status',
        label: plain(t.statusLabel),
        element: {
          type: 'radio_buttons',
          action_id: 'value',
          options: STATUSES.map(statusOption),
          ...(existing ? { initial_option: statusOption(existing.status) } : {}),
        },
      },
      input('help_needed', t.helpLabel, existing?.helpNeeded, true, t.optionalHint),
    ],
  };
}

/** What the form turns into once the answer is saved: thanks, and until when it can still be edited. */
export function answeredModal(
  round: { week: string; closesAt: Date },
  line: ActionLine,
  lang: LeadLang,
): Block {
  const t = textsFor(lang);
  return {
    type: 'modal',
    callback_id: 'checkin_answered',
    title: plain(t.answeredTitle, 24),
    close: plain(t.doneButton, 24),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`✅ ${t.answered(`*${e(lineName(line, lang))}*`, weekSpan(lang, round.week))}`),
      },
      { type: 'context', elements: [mrkdwn(t.answeredEdit(momentLabel(lang, round.closesAt)))] },
    ],
  };
}

/** One programme in a lead's part of the App Home: how many answers, then the answers, newest first. */
export function leadSection(
  programme: Programme,
  history: (Answer & { week: string })[],
  lang: LeadLang,
): Block[] {
  const t = textsFor(lang);
  const title = `*${e(programmeName(programme, lang))}*`;
  const blocks: Block[] = [
    {
      type: 'context',
      elements: [
        mrkdwn(history.length > 0 ? `${title} · ${counted(lang, history.length, t.answersSoFar)}` : title),
      ],
    },
  ];
  for (const a of history.slice(0, 40)) {
    const line = programme.actionLines.find((l) => l.id === a.actionLine);
    const name = line ? lineName(line, lang) : a.actionLine;
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*${weekSpan(lang, a.week)}* — ${e(name)} ${leadStatus(lang, a.status)}\n${e(clip(a.progress, 500))}`,
      ),
    });
  }
  if (history.length === 0) blocks.push({ type: 'section', text: mrkdwn(t.noAnswersYet) });
  return blocks;
}
