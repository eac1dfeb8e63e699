import type { WebClient } from '@slack/web-api';
import type { CardRef, ReviewCardPort } from '../../src/ports.ts';
import { reviewCard } from '../../src/slack/blocks.ts';
import type { ReviewCardView } from '../../src/usecases/review.ts';
import { localMutex, type Mutex } from '../mutex.ts';
import { slackError } from './web-client.ts';

const EVENT_TYPE = 'kehila_review_card';
// Above the client's own timeout for two calls.
const CARD_LOCK_MS = 30_000;

/** Posts at most one message per channel per interval, the pace Slack asks of chat.postMessage. */
export function channelPacer(intervalMs: number) {
  const next = new Map<string, number>();
  return async (channel: string) => {
    const now = Date.now();
    const at = Math.max(now, next.get(channel) ?? 0);
    next.set(channel, at + intervalMs);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

/** Review cards in the reviewers' channel; a card is found again by its message metadata. */
export function slackReviewCards(
  client: WebClient,
  opts: { paceMs?: number; mutex?: Mutex } = {},
): ReviewCardPort {
  const pace = channelPacer(opts.paceMs ?? 1000);
  const mutex = opts.mutex ?? localMutex();
  const call = async <T>(what: string, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (error) {
      throw slackError(what, error);
    }
  };

  async function find(channel: string, applicationId: string): Promise<CardRef | null> {
    const history = await call('conversations.history', () =>
      client.conversations.history({ channel, limit: 200, include_all_metadata: true }),
    );
    const found = history.messages?.find(
      (m) =>
        (m as { metadata?: { event_type?: string; event_payload?: { application_id?: string } } }).metadata
          ?.event_type === EVENT_TYPE &&
        (m as { metadata?: { event_payload?: { application_id?: string } } }).metadata?.event_payload
          ?.application_id === applicationId,
    );
    return found?.ts ? { channel, ts: found.ts } : null;
  }

  return {
    configured: true,
    async publish(
      view: ReviewCardView,
      channel: string,
      opts: { claimFirstAttempt?: () => Promise<boolean> } = {},
    ) {
      await pace(channel);
      // Two jobs for one application can overlap (a job taken up again after its worker died while the
      // first still runs): the lock makes look-then-post one step, and looking last keeps the window short.
      return mutex.withLock(`card:${view.applicationId}`, CARD_LOCK_MS, async () => {
        // An earlier attempt may have posted and then crashed before storing where: look before posting.
        // The first attempt has nothing to find, and conversations.history is a call Slack rations.
        const first = opts.claimFirstAttempt ? await opts.claimFirstAttempt() : false;
        const existing = first ? null : await find(channel, view.applicationId);
        if (existing) return existing;
        const card = reviewCard(view);
        const posted = await call('chat.postMessage', () =>
          client.chat.postMessage({
            channel,
            text: card.text,
            blocks: card.blocks as never,
            unfurl_links: false,
            metadata: { event_type: EVENT_TYPE, event_payload: { application_id: view.applicationId } },
          }),
        );
        return { channel: posted.channel ?? channel, ts: posted.ts ?? '' };
      });
    },
    async update(ref, view) {
      const card = reviewCard(view);
      await call('chat.update', () =>
        client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          text: card.text,
          blocks: card.blocks as never,
        }),
      );
    },
    async notifyStaff(channel, text) {
      await pace(channel);
      await call('chat.postMessage', () => client.chat.postMessage({ channel, text, unfurl_links: false }));
    },
  };
}
