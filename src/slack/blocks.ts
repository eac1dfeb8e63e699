import { PROPOSED_FROM_WAITLIST } from '../domain/review-policy.ts';
import { EMAIL_CONFIRMED_HE } from '../domain/staff-labels.ts';
import type { ReviewCardView, VoteChoice, VoteResult } from '../usecases/review.ts';

// Block Kit limits that a long application must not break.
export const LIMITS = {
  sectionText: 3000,
  header: 150,
  blocks: 50,
  buttonValue: 2000,
  fallbackText: 4000,
} as const;

/**
 * Slack's own escaping for user text in mrkdwn and message text: with &, < and > escaped, `<!channel>`,
 * `<@U…>`, `<#C…>` and `<url|label>` are shown as typed and act on nobody.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to a length (counting the ellipsis) without splitting an escape sequence in half. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  const safe = amp > cut.length - 5 && !cut.slice(amp).includes(';') ? cut.slice(0, amp) : cut;
  return `${safe}…`;
}

const FLAG_LABELS: Record<string, string> = {
  attendance: 'לא כל המפגשים אושרו',
  possible_duplicate: 'ייתכן כפל הרשמה',
  conflict_of_interest: 'ניגוד עניינים בצוות המיון',
  review_overdue: 'עבר מועד ההחלטה',
  turnstile_unverified: 'בדיקת בוט לא הושלמה',
  erased: 'המידע נמחק',
};

const VOTE_LABELS: Record<VoteChoice, string> = { approve: 'בעד', reject: 'נגד', waitlist: 'רשימת המתנה' };
const OUTCOME_LABELS = {
  accepted: 'הבקשה התקבלה',
  declined: 'הבקשה לא התקבלה',
  waitlisted: 'הבקשה ברשימת ההמתנה',
} as const;

/** The card's line on reviewers set aside for a conflict of interest: how many, never who. */
function excludedLine(count: number): string {
  return count === 1
    ? '⚖️ קול אחד מצוות המיון הוחרג בשל ניגוד עניינים'
    : `⚖️ ${count} קולות מצוות המיון הוחרגו בשל ניגוד עניינים`;
}

type Block = Record<string, unknown>;
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, LIMITS.sectionText) });
const plain = (text: string, max = 75) => ({ type: 'plain_text', text: clip(text, max), emoji: true });

function formatTime(iso: string): string {
  return new Intl.DateTimeFormat('he-IL', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Asia/Jerusalem',
  }).format(new Date(iso));
}

/** The review card: allow-listed fields only, every piece of user text escaped, within Block Kit limits. */
export function reviewCard(view: ReviewCardView): { text: string; blocks: Block[] } {
  const e = escapeSlack;
  const erased = view.status === 'erased';
  const name = erased ? 'המידע נמחק לבקשת הפונה' : view.fullName;
  const blocks: Block[] = [
    { type: 'header', text: plain(`בקשה ${view.reference}: ${e(name)}`, LIMITS.header) },
  ];
  if (!erased) {
    blocks.push({
      type: 'section',
      fields: [
        mrkdwn(`*ארגון:*\n${e(view.organisation)}`),
        mrkdwn(`*תפקיד:*\n${e(view.roleTitle)}`),
        mrkdwn(`*סוג ארגון:*\n${e(view.sector)}`),
        mrkdwn(`*אזור:*\n${e(view.region)}`),
      ],
    });
    const motivation = e(view.motivation);
    const excerpt = clip(motivation, 1200);
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*מוטיבציה:*\n${excerpt}${excerpt.length < motivation.length ? `\n<${view.dashboardUrl}|להמשך בלוח הבקרה>` : ''}`,
      ),
    });
  }
  const context = [`${e(view.cohortName)}`];
  // A proposal has a section of its own, with its button.
  const flags = view.flags.filter((f) => f !== PROPOSED_FROM_WAITLIST);
  if (flags.length > 0) context.push(`⚠️ ${flags.map((f) => FLAG_LABELS[f] ?? e(f)).join(' · ')}`);
  if (view.emailConfirmed !== undefined)
    context.push(view.emailConfirmed ? `✉️ ${EMAIL_CONFIRMED_HE.confirmed}` : EMAIL_CONFIRMED_HE.unconfirmed);
  if (view.excludedReviewers > 0) context.push(excludedLine(view.excludedReviewers));
  if (view.places) context.push(`מקומות תפוסים: ${view.places.taken} מתוך ${view.places.capacity}`);
  if (view.deadline && !view.decision) context.push(`מועד החלטה: ${formatTime(view.deadline)}`);
  blocks.push({ type: 'context', elements: [mrkdwn(context.join('  |  '))] });

  const decided = Boolean(view.decision) || !['in_review'].includes(view.status);
  if (view.blind && !decided) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*הצבעות:* ${view.voteCount} (הצבעה עיוורת — הקולות ייחשפו אחרי ההחלטה)`),
    });
  } else if (view.votes.length > 0) {
    const lines = view.votes
      .slice(0, 20)
      .map(
        (v) =>
          `• ${v.reviewerSlackId && v.reviewerName === v.reviewerSlackId ? `<@${v.reviewerSlackId}>` : e(v.reviewerName)}: *${VOTE_LABELS[v.vote]}*${v.note ? ` — ${e(clip(v.note, 200))}` : ''}`,
      );
    blocks.push({ type: 'section', text: mrkdwn(`*הצבעות:*\n${lines.join('\n')}`) });
  }

  const value = view.applicationId;
  const dashboard = {
    type: 'button',
    action_id: 'open_dashboard',
    text: plain('לוח הבקרה'),
    url: view.dashboardUrl,
  };
  if (view.decision) {
    const full = view.decision.full ? ' (המחזור היה מלא)' : '';
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `🔒 *${OUTCOME_LABELS[view.decision.outcome]}*${full} — הוחלט על ידי ${e(view.decision.byName)} ב-${formatTime(view.decision.at)}`,
      ),
    });
  }
  if (view.proposed) {
    blocks.push({
      type: 'section',
      text: mrkdwn('🔔 *התפנה מקום במחזור:* הבקשה מוצעת לקבלה מרשימת ההמתנה. ההחלטה בידי המכריעים.'),
    });
    blocks.push({
      type: 'actions',
      block_id: 'waitlist',
      elements: [
        {
          type: 'button',
          action_id: 'accept_waitlisted',
          style: 'primary',
          text: plain('קבלה מרשימת ההמתנה'),
          value,
        },
        dashboard,
      ],
    });
  } else if (!decided) {
    blocks.push({
      type: 'actions',
      block_id: 'review',
      elements: [
        { type: 'button', action_id: 'vote_approve', style: 'primary', text: plain('בעד (Approve)'), value },
        { type: 'button', action_id: 'vote_reject', style: 'danger', text: plain('נגד (Reject)'), value },
        { type: 'button', action_id: 'vote_waitlist', text: plain('רשימת המתנה (Waitlist)'), value },
        { type: 'button', action_id: 'add_note', text: plain('הוספת הערה (Add note)'), value },
        dashboard,
      ],
    });
  } else if (!view.decision) {
    blocks.push({ type: 'context', elements: [mrkdwn(`סטטוס: ${e(view.status)}`)] });
  }
  const text = clip(`בקשה ${view.reference} מאת ${e(name)} (${e(view.organisation)})`, LIMITS.fallbackText);
  return { text, blocks: blocks.slice(0, LIMITS.blocks) };
}

/** What the voter is told privately about their vote, when there is more to it than the card shows. */
export function voteNotice(result: VoteResult): string | null {
  if (result.reason === 'capacity')
    return 'המחזור מלא, ולכן הבקשה הועברה לרשימת ההמתנה. כשיתפנה מקום היא תוצע למכריעים.';
  if (result.conflicted)
    return 'ההצבעה שלך נספרה ומסומנת בכרטיס בשל ניגוד עניינים (הפונה מהארגון או מהרשות שלך).';
  return null;
}

/** The "add note" modal; private_metadata carries the application id only. */
export function noteModal(applicationId: string, reference: string): Block {
  return {
    type: 'modal',
    callback_id: 'review_note',
    private_metadata: applicationId,
    title: plain('הערה לבקשה', 24),
    submit: plain('שמירה', 24),
    close: plain('ביטול', 24),
    blocks: [
      {
        type: 'input',
        block_id: 'note',
        label: plain(`הערה על ${reference}`),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
      },
    ],
  };
}

const HOME_CONFLICT = {
  exclude: '⚖️ ניגוד עניינים: הבקשה תוכרע בלי הקול שלך',
  flag: '⚖️ ניגוד עניינים: הקול שלך ייספר ויסומן בכרטיס',
} as const;

/** The reviewer's part of the App Home: what waits for their vote, soonest deadline first. */
export function reviewerSection(
  pending: {
    applicationId: string;
    reference: string;
    fullName: string;
    cohortName: string;
    deadline?: string;
    /** This reviewer's conflict of interest with the applicant, and what the policy does with it. */
    conflict?: 'exclude' | 'flag';
  }[],
  dashboardBase: string,
): Block[] {
  const blocks: Block[] = [{ type: 'header', text: plain('ממתינות להצבעה שלך', LIMITS.header) }];
  if (pending.length === 0) blocks.push({ type: 'section', text: mrkdwn('אין בקשות שממתינות לך. תודה! 🎉') });
  for (const p of pending.slice(0, 45)) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*${p.reference}* — ${escapeSlack(p.fullName)} (${escapeSlack(p.cohortName)})${p.deadline ? `\nמועד החלטה: ${formatTime(p.deadline)}` : ''}${p.conflict ? `\n${HOME_CONFLICT[p.conflict]}` : ''}`,
      ),
      accessory: {
        type: 'button',
        text: plain('פתיחה'),
        url: `${dashboardBase}/admin/applications/${p.applicationId}`,
        action_id: `open_${p.applicationId}`,
      },
    });
  }
  return blocks;
}
