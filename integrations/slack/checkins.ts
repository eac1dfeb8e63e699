import type { WebClient } from '@slack/web-api';
import type { CheckinSlackPort } from '../../src/checkins/rounds.ts';
import { channelPacer } from './review-cards.ts';
import { slackError } from './web-client.ts';

const RATE_LIMIT_ATTEMPTS = 5;

/** Check-in messages on the Slack Web API: DMs to leads, the digest and its thread, paced per channel. */
export function slackCheckins(client: WebClient, opts: { paceMs?: number } = {}): CheckinSlackPort {
  const pace = channelPacer(opts.paceMs ?? 1000);
  const send = async (channel: string, message: { text: string; blocks: unknown[] }, threadTs?: string) => {
    for (let attempt = 1; ; attempt++) {
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
  return {
    // Posting to a user id opens (or reuses) the DM with the bot.
    dm: (userId, message) => send(userId, message),
    post: (channel, message, threadTs) => send(channel, message, threadTs),
  };
}
