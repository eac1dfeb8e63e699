import { AppError } from '../../src/domain/errors.ts';
import type {
  CardRef,
  ChannelInviteOutcome,
  ChannelRemovalOutcome,
  Person,
  ReviewCardPort,
  SlackMember,
  SlackPort,
} from '../../src/ports.ts';
import type { ReviewCardView } from '../../src/usecases/review.ts';

/** Fails the next `times` calls (retryable unless `permanent`), then lets calls through. */
export class FaultPlan {
  constructor(
    public times = 0,
    public permanent = false,
  ) {}
  check(what: string): void {
    if (this.times <= 0) return;
    this.times -= 1;
    throw new AppError(this.permanent ? 'bad_request' : 'unavailable', `injected failure in ${what}`, {
      retryable: !this.permanent,
    });
  }
}

/** The user id `recordingSlack` gives the person with this address (like Slack, channels hold ids, not e-mails). */
export function recordedSlackId(email: string): string {
  return `U${[...email]
    .reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7)
    .toString(36)
    .toUpperCase()}`;
}

/** Channel members per channel; people listed in `outsiders` are not in the workspace yet. */
export function recordingSlack(outsiders = new Set<string>()): SlackPort & {
  members: Map<string, Set<string>>;
  calls: number;
} {
  const members = new Map<string, Set<string>>();
  const port = {
    configured: true,
    members,
    calls: 0,
    async inviteToChannels(person: Person, channels: string[]): Promise<ChannelInviteOutcome> {
      port.calls++;
      if (outsiders.has(person.email)) return { status: 'pending_workspace' };
      const slackUserId = recordedSlackId(person.email);
      for (const c of channels) {
        const set = members.get(c) ?? new Set<string>();
        set.add(slackUserId);
        members.set(c, set);
      }
      return { status: 'joined', slackUserId };
    },
    async removeFromChannels(who: SlackMember, channels: string[]): Promise<ChannelRemovalOutcome> {
      port.calls++;
      if ('email' in who && outsiders.has(who.email)) return { status: 'not_in_workspace', removedFrom: 0 };
      const slackUserId = 'slackUserId' in who ? who.slackUserId : recordedSlackId(who.email);
      let removedFrom = 0;
      for (const c of new Set(channels)) if (members.get(c)?.delete(slackUserId)) removedFrom++;
      return { status: 'removed', slackUserId, removedFrom };
    },
  };
  return port;
}

/** Review cards by channel and ts; `crashAfterPost` makes the next publish throw after posting. */
export function recordingCards(): ReviewCardPort & {
  cards: Map<string, ReviewCardView>;
  notices: string[];
  crashAfterPost: number;
} {
  const cards = new Map<string, ReviewCardView>();
  const port = {
    configured: true,
    cards,
    notices: [] as string[],
    crashAfterPost: 0,
    async publish(view: ReviewCardView, channel: string): Promise<CardRef> {
      const existing = [...cards.entries()].find(([, v]) => v.applicationId === view.applicationId);
      if (existing) return { channel, ts: existing[0] };
      const ts = `${Date.now()}.${cards.size}`;
      cards.set(ts, view);
      if (port.crashAfterPost > 0) {
        port.crashAfterPost--;
        throw new AppError('unavailable', 'crashed after posting', { retryable: true });
      }
      return { channel, ts };
    },
    async update(ref: CardRef, view: ReviewCardView) {
      cards.set(ref.ts, view);
    },
    async notifyStaff(_channel: string, text: string) {
      port.notices.push(text);
    },
  };
  return port;
}

export { memoryCalendar as recordingCalendar } from '../../integrations/google/memory-calendar.ts';
