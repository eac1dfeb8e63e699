import type { WebClient } from '@slack/web-api';
import type { CheckinSlackPort } from '../../src/checkins/rounds.ts';
import { channelPacer } from './review-cards.ts';
import { slackError } from './web-client.ts';

/** Check-in messages on the Slack Web API: DMs to leads, the digest and its thread, paced per channel. */
export function slackCheckins(client: WebClient, opts: { paceMs?: number } = {}): CheckinSlackPort {
  const pace = channelPacer(opts.paceMs ?? 1000);
  const send = async (channel: string, message: { text: string; blocks: unknown[] }, threadTs?: string) => {
    await pace(channel);
    try {
      const r = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return { channel: r.channel ?? channel, ts: r.ts ?? '' };
    } catch (error) {
      throw slackError('chat.postMessage', error);
    }
  };
  return {
    // Posting to a user id opens (or reuses) the DM with the bot.
    dm: (userId, message) => send(userId, message),
    post: (channel, message, threadTs) => send(channel, message, threadTs),
  };
}
