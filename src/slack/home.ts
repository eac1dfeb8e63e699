import type { WebClient } from '@slack/web-api';

type Block = Record<string, unknown>;

/** One part of a person's App Home (their review queue, their check-ins), or null when it is not theirs. */
export type HomeSection = (slackUserId: string) => Promise<Block[] | null>;

// Slack refuses a view of more than 100 blocks.
const MAX_BLOCKS = 100;

const WELCOME: Block[] = [
  { type: 'header', text: { type: 'plain_text', text: 'שלום!', emoji: true } },
  {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: 'כאן יופיעו בקשות שממתינות להצבעה שלך ועדכונים שבועיים של כיווני הפעולה שבהובלתך, כשיהיו כאלה.',
    },
  },
];

/**
 * The App Home: every section that applies, in order, a divider between them, or a welcome when none does.
 * Each section keeps an equal share of Slack's block limit, and puts what it must not lose first.
 */
export function homeView(sections: (Block[] | null)[]): { type: 'home'; blocks: Block[] } {
  const parts = sections.filter((s): s is Block[] => s !== null && s.length > 0);
  if (parts.length === 0) return { type: 'home', blocks: WELCOME };
  const share = Math.floor((MAX_BLOCKS - (parts.length - 1)) / parts.length);
  const blocks = parts.flatMap((p, i) => [...(i > 0 ? [{ type: 'divider' }] : []), ...p.slice(0, share)]);
  return { type: 'home', blocks };
}

/**
 * Publishes a person's App Home composed of every section: one `views.publish` per call, so a reviewer who
 * also leads an action line sees both, whichever was asked for last.
 */
export function homePublisher(client: WebClient, sections: HomeSection[]) {
  return async (slackUserId: string): Promise<void> => {
    const parts = await Promise.all(sections.map((section) => section(slackUserId)));
    await client.views.publish({ user_id: slackUserId, view: homeView(parts) as never });
  };
}
