import type { WebClient } from '@slack/web-api';
import type { ChannelInviteOutcome, Person, SlackPort } from '../../src/ports.ts';
import { slackError } from './web-client.ts';

interface Waiter {
  userId: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_USERS_PER_CALL = 1000;

/**
 * Channel onboarding: people found by e-mail, the bot joins public channels before inviting, and
 * invitations for people accepted close together share one `conversations.invite` per channel.
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
      const reason = (error as { data?: { error?: string } }).data?.error;
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
            if ((error as { data?: { error?: string } }).data?.error === 'already_in_channel')
              return { ok: true, errors: [] };
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

  return {
    configured: true,
    calls: () => calls,
    async inviteToChannels(person: Person, channels: string[]): Promise<ChannelInviteOutcome> {
      let userId: string | undefined;
      try {
        calls++;
        userId = (await client.users.lookupByEmail({ email: person.email })).user?.id;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error === 'users_not_found')
          return { status: 'pending_workspace' };
        throw slackError('users.lookupByEmail', error);
      }
      if (!userId) return { status: 'pending_workspace' };
      await Promise.all(channels.map((c) => invite(c, userId as string)));
      return { status: 'joined', slackUserId: userId };
    },
  };
}
