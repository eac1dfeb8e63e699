import type { Programme } from '../../workflows/index.ts';
import { CHECKIN_STATUS_HE } from '../domain/staff-labels.ts';
import { clip, escapeSlack, LIMITS } from '../slack/blocks.ts';
import { dayLabel } from './schedule.ts';

export type Status = 'green' | 'yellow' | 'red';
export const STATUSES: Status[] = ['green', 'yellow', 'red'];
const STATUS_LABEL: Record<Status, string> = {
  green: `🟢 ${CHECKIN_STATUS_HE.green}`,
  yellow: `🟡 ${CHECKIN_STATUS_HE.yellow}`,
  red: `🔴 ${CHECKIN_STATUS_HE.red}`,
};

export interface Answer {
  actionLine: string;
  lead: string;
  progress: string;
  nextSteps: string;
  blockers: string;
  status: Status;
  helpNeeded: string;
}

type Block = Record<string, unknown>;
export interface Message {
  text: string;
  blocks: Block[];
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, LIMITS.sectionText) });
const plain = (text: string, max = 75) => ({ type: 'plain_text', text: clip(text, max), emoji: true });
const e = escapeSlack;

const rank: Record<Status, number> = { red: 0, yellow: 1, green: 2 };

/**
 * The digest for leadership: counts first, red and blockers first, then one line per action line. A line
 * without an answer whose leads all paused their prompts (`paused`: line → last day) is paused, not missing.
 */
export function digestMessage(
  programme: Programme,
  week: string,
  answers: Answer[],
  paused: ReadonlyMap<string, string> = new Map(),
): Message {
  const byLine = new Map(answers.map((a) => [a.actionLine, a]));
  const count = (s: Status) => answers.filter((a) => a.status === s).length;
  const unanswered = programme.actionLines.filter((l) => !byLine.has(l.id));
  const missing = unanswered.filter((l) => !paused.has(l.id));
  const resting = unanswered.filter((l) => paused.has(l.id));
  const summary = `🟢 ${count('green')} · 🟡 ${count('yellow')} · 🔴 ${count('red')} · ללא עדכון ${missing.length}${resting.length > 0 ? ` · בהשהיה ${resting.length}` : ''}`;
  const urgent = [...answers]
    .filter((a) => a.status === 'red' || a.blockers.trim() || a.helpNeeded.trim())
    .sort((a, b) => rank[a.status] - rank[b.status]);
  const name = (id: string) => programme.actionLines.find((l) => l.id === id)?.name ?? id;
  const blocks: Block[] = [
    { type: 'header', text: plain(`סיכום שבועי — ${programme.name.he} (${week})`, LIMITS.header) },
    { type: 'section', text: mrkdwn(`*${summary}*`) },
  ];
  if (urgent.length > 0) {
    const lines = urgent.map(
      (a) =>
        `${STATUS_LABEL[a.status]} *${e(name(a.actionLine))}*${a.blockers.trim() ? `\nחסמים: ${e(clip(a.blockers, 300))}` : ''}${a.helpNeeded.trim() ? `\nעזרה מההנהלה: ${e(clip(a.helpNeeded, 300))}` : ''}`,
    );
    blocks.push({ type: 'section', text: mrkdwn(`*דורש תשומת לב:*\n${lines.join('\n\n')}`) });
  }
  if (missing.length > 0)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`לא עדכנו: ${missing.map((l) => e(l.name)).join(', ')}`)],
    });
  if (resting.length > 0)
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `⏸️ בהשהיה: ${resting.map((l) => `${e(l.name)} (עד ${dayLabel(paused.get(l.id) ?? '')})`).join(', ')}`,
        ),
      ],
    });
  if (answers.length === 0)
    blocks.push({ type: 'section', text: mrkdwn('אף כיוון פעולה לא שלח עדכון השבוע.') });
  blocks.push({ type: 'context', elements: [mrkdwn('הפירוט לכל כיוון פעולה בשרשור 👇')] });
  return { text: `סיכום שבועי ${week}: ${summary}`, blocks: blocks.slice(0, LIMITS.blocks) };
}

/** One action line's answer, as a reply in the digest's thread. */
export function lineReply(programme: Programme, answer: Answer): Message {
  const name = programme.actionLines.find((l) => l.id === answer.actionLine)?.name ?? answer.actionLine;
  const body = [
    `${STATUS_LABEL[answer.status]} *${e(name)}* (<@${answer.lead}>)`,
    `*התקדמות:* ${e(answer.progress)}`,
    `*צעדים הבאים:* ${e(answer.nextSteps)}`,
    answer.blockers.trim() ? `*חסמים:* ${e(answer.blockers)}` : '',
    answer.helpNeeded.trim() ? `*עזרה מההנהלה:* ${e(answer.helpNeeded)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    text: clip(`${name}: ${STATUS_LABEL[answer.status]}`, LIMITS.fallbackText),
    blocks: [{ type: 'section', text: mrkdwn(body) }],
  };
}

/**
 * A summary of several weeks (the biweekly leadership digest, the monthly summary): each line's statuses,
 * with a note when it comes later than its own week.
 */
export function periodSummary(
  programme: Programme,
  title: string,
  weeks: { week: string; answers: Answer[]; paused?: ReadonlyMap<string, string> }[],
  note?: string,
): Message {
  const rows = programme.actionLines.map((l) => {
    const marks = weeks.map((w) => {
      const a = w.answers.find((x) => x.actionLine === l.id);
      return a ? STATUS_LABEL[a.status].slice(0, 2) : w.paused?.has(l.id) ? '⏸️' : '⚪';
    });
    return `*${e(l.name)}*: ${marks.join(' ')}`;
  });
  const count = weeks.length === 1 ? 'שבוע אחד' : `${weeks.length} שבועות`;
  return {
    text: `${title}: ${count}`,
    blocks: [
      { type: 'header', text: plain(`${title} — ${programme.name.he}`, LIMITS.header) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            `שבועות: ${weeks.map((w) => w.week).join(', ') || 'אין'} (⚪ = ללא עדכון${weeks.some((w) => w.paused?.size) ? ', ⏸️ = בהשהיה' : ''})`,
          ),
        ],
      },
      ...(note ? [{ type: 'context', elements: [mrkdwn(e(note))] }] : []),
      { type: 'section', text: mrkdwn(rows.join('\n')) },
    ],
  };
}
