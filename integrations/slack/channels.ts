import type { WebClient } from '@slack/web-api';
import { AppError } from '../../src/domain/errors.ts';
import type {
  ChannelInviteOutcome,
  ChannelRemovalOutcome,
  Person,
  SlackMember,
  SlackPort,
} from '../../src/ports.ts';
import { slackError } from './web-client.ts';

interface Waiter {
  userId: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_USERS_PER_CALL = 1000;

// conversations.kick answers that mean the person is already out: not a member, or no such user any more.
const ALREADY_OUT = new Set(['not_in_channel', 'user_not_found']);
// Refusals no retry can change, with what a person has to do about each.
const KICK_ADVICE: Record<string, string> = {
  restricted_action: 'a workspace setting stops the app from removing members; an admin must allow it',
  missing_scope: 'the app needs the channels:manage and groups:write scopes',
  cant_kick_self: "that is the token's own user, which cannot remove itself",
  cant_kick_from_general: "nobody can be removed from the workspace's general channel",
  channel_not_found: 'check the channel id, and that the app is a member of a private channel',
  method_not_supported_for_channel_type: 'not a channel',
};

const reasonOf = (error: unknown) => (error as { data?: { error?: string } }).data?.error;

/**
 * Channel membership: people found by e-mail, the bot joins public channels before inviting or removing,
 * invitations for people accepted close together share one `conversations.invite` per channel, and removal
 * is one `conversations.kick` per channel (never a removal from the workspace).
 */
export function slackChannels(
  client: WebClient,
  opts: { batchWindowMs?: number } = {},
): SlackPort & {
  calls: () => number;
} {
  let calls = 0;
  const joined = new Set<string>();
  const pending = new Map<string, Waiter[]>();

  const call = async <T>(what: string, fn: () => Promise<T>) => {
    calls++;
    try {
      return await fn();
    } catch (error) {
      throw slackError(what, error);
    }
  };

  async function ensureJoined(channel: string) {
    if (joined.has(channel)) return;
    try {
      calls++;
      await client.conversations.join({ channel });
    } catch (error) {
      // Private channels cannot be joined; the bot must have been invited, and inviting will say so if not.
      const reason = reasonOf(error);
      if (reason !== 'method_not_supported_for_channel_type' && reason !== 'is_private')
        throw slackError('conversations.join', error);
    }
    joined.add(channel);
  }

  async function flush(channel: string) {
    const waiters = pending.get(channel) ?? [];
    pending.delete(channel);
    for (let i = 0; i < waiters.length; i += MAX_USERS_PER_CALL) {
      const slice = waiters.slice(i, i + MAX_USERS_PER_CALL);
      const users = [...new Set(slice.map((w) => w.userId))];
      try {
        await ensureJoined(channel);
        const result = await call('conversations.invite', async () => {
          try {
            return await client.conversations.invite({ channel, users: users.join(','), force: true });
          } catch (error) {
            // Everyone asked for is already there: that is what we wanted.
            if (reasonOf(error) === 'already_in_channel') return { ok: true, errors: [] };
            throw error;
          }
        });
        const failures = new Map<string, string>();
        for (const e of (result as { errors?: { user?: string; error?: string }[] }).errors ?? []) {
          if (e.user && e.error && e.error !== 'already_in_channel') failures.set(e.user, e.error);
        }
        for (const w of slice) {
          const failure = failures.get(w.userId);
          if (failure)
            w.reject(
              slackError('conversations.invite', {
                code: 'slack_webapi_platform_error',
                data: { error: failure },
              }),
            );
          else w.resolve();
        }
      } catch (error) {
        for (const w of slice) w.reject(error);
      }
    }
  }

  function invite(channel: string, userId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const list = pending.get(channel);
      if (list) {
        list.push({ userId, resolve, reject });
        return;
      }
      pending.set(channel, [{ userId, resolve, reject }]);
      setTimeout(() => void flush(channel), opts.batchWindowMs ?? 250);
    });
  }

  /** The person's user id, or undefined when no one in the workspace has that address. */
  async function findUser(email: string): Promise<string | undefined> {
    try {
      calls++;
      return (await client.users.lookupByEmail({ email })).user?.id;
    } catch (error) {
      if (reasonOf(error) === 'users_not_found') return undefined;
      throw slackError('users.lookupByEmail', error);
    }
  }

  /** Removes one member from one channel; false when they were not in it. */
  async function kick(channel: string, user: string): Promise<boolean> {
    // A public channel is joined first (as for invitations). Other Slack methods answer not_in_channel when
    // the caller is not a member; with the app in the channel, the answer can only be about the person.
    await ensureJoined(channel);
    try {
      calls++;
      await client.conversations.kick({ channel, user });
      return true;
    } catch (error) {
      const reason = reasonOf(error);
      if (reason && ALREADY_OUT.has(reason)) return false;
      const e = slackError(`conversations.kick ${channel}`, error);
      const advice = reason ? KICK_ADVICE[reason] : undefined;
      throw advice ? new AppError(e.code, `${e.message} (${advice})`, e.options) : e;
    }
  }

  return {
    configured: true,
    calls: () => calls,
    async inviteToChannels(person: Person, channels: string[]): Promise<ChannelInviteOutcome> {
      const userId = await findUser(person.email);
      if (!userId) return { status: 'pending_workspace' };
      await Promise.all(channels.map((c) => invite(c, userId)));
      return { status: 'joined', slackUserId: userId };
    },
    async removeFromChannels(who: SlackMember, channels: string[]): Promise<ChannelRemovalOutcome> {
      // Slack answers an empty user with user_not_found, which would pass for "already out".
      if ('slackUserId' in who && !who.slackUserId)
        throw new AppError('bad_request', 'removeFromChannels: empty Slack user id');
      const userId = 'slackUserId' in who ? who.slackUserId : await findUser(who.email);
      if (!userId) return { status: 'not_in_workspace', removedFrom: 0 };
      let removedFrom = 0;
      const refused: AppError[] = [];
      // One channel at a time: a rate limit stops the round at once, and the retry's kicks of the channels
      // already done answer not_in_channel.
      for (const channel of new Set(channels)) {
        try {
          if (await kick(channel, userId)) removedFrom++;
        } catch (error) {
          if (!(error instanceof AppError) || error.retryable) throw error;
          refused.push(error);
        }
      }
      // A channel that refuses must not keep the person in the others, so it is reported only at the end.
      if (refused.length > 0) {
        throw new AppError(refused[0]!.code, refused.map((e) => e.message).join('; '), { retryable: false });
      }
      return { status: 'removed', slackUserId: userId, removedFrom };
    },
  };
}
