import type { WebClient } from '@slack/web-api';
import type { CheckinSlackPort, DmKey } from '../../src/checkins/rounds.ts';
import { channelPacer } from './review-cards.ts';
import { slackError } from './web-client.ts';

const RATE_LIMIT_ATTEMPTS = 5;
const EVENT_TYPE: Record<DmKey['kind'], string> = {
  prompt: 'kehila_checkin_prompt',
  reminder: 'kehila_checkin_reminder',
};
// A lead's DM with the bot holds a few messages a week; the one looked for is from this round.
const HISTORY_LIMIT = 100;

type Metadata = { event_type: string; event_payload: Record<string, string> };

/**
 * Check-in messages on the Slack Web API: DMs to leads, the digest and its thread, paced per channel. A DM
 * with a key carries it as message metadata and is looked for in the DM before it is sent: the client does
 * not retry, but the next tick does, and chat.postMessage has no idempotency key of its own.
 */
export function slackCheckins(client: WebClient, opts: { paceMs?: number } = {}): CheckinSlackPort {
  const pace = channelPacer(opts.paceMs ?? 1000);
  const send = async (
    channel: string,
    message: { text: string; blocks: unknown[] },
    threadTs?: string,
    metadata?: Metadata,
  ) => {
    for (let attempt = 1; ; attempt++) {
      await pace(channel);
      try {
        const r = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks as never,
          unfurl_links: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(metadata ? { metadata } : {}),
        });
        return { channel: r.channel ?? channel, ts: r.ts ?? '' };
      } catch (error) {
        const failure = slackError('chat.postMessage', error);
        // A round prompts every lead in one go; waiting out the workspace limit here keeps it to one tick
        // instead of stopping at the first 429 and resuming five minutes later.
        const wait = failure.options.retryAfterSeconds;
        if (failure.code !== 'rate_limited' || !wait || wait > 60 || attempt >= RATE_LIMIT_ATTEMPTS) {
          throw failure;
        }
        await new Promise((r) => setTimeout(r, wait * 1000));
      }
    }
  };
  const call = async <T>(what: string, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (error) {
      throw slackError(what, error);
    }
  };
  const sentBefore = async (channel: string, metadata: Metadata) => {
    const history = await call('conversations.history', () =>
      client.conversations.history({ channel, limit: HISTORY_LIMIT, include_all_metadata: true }),
    );
    const found = history.messages?.find((m) => {
      const meta = (m as { metadata?: Partial<Metadata> }).metadata;
      return (
        meta?.event_type === metadata.event_type &&
        meta.event_payload?.round_id === metadata.event_payload.round_id &&
        meta.event_payload?.action_line === metadata.event_payload.action_line
      );
    });
    return found?.ts ? { channel, ts: found.ts } : null;
  };
  return {
    async dm(userId, message, key) {
      // Posting to a user id opens (or reuses) the DM with the bot.
      if (!key) return send(userId, message);
      // The DM's own id, which conversations.history reads (a user id is not a channel there).
      const opened = await call('conversations.open', () => client.conversations.open({ users: userId }));
      const channel = opened.channel?.id ?? userId;
      const metadata = {
        event_type: EVENT_TYPE[key.kind],
        event_payload: { round_id: key.roundId, action_line: key.actionLine },
      };
      return (await sentBefore(channel, metadata)) ?? send(channel, message, undefined, metadata);
    },
    post: (channel, message, threadTs) => send(channel, message, threadTs),
  };
}
