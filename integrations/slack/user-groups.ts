import type { WebClient } from '@slack/web-api';
import type { UserGroupPort } from '../../src/ports.ts';
import { slackError } from './web-client.ts';

const TTL_MS = 5 * 60_000;

interface Known {
  users: readonly string[];
  at: number;
  /** Slack said the group changed; kept only as the fallback should Slack not answer the next call. */
  stale: boolean;
}

/**
 * User group members from `usergroups.users.list`, kept a few minutes per group (a vote, a reminder and an
 * App Home opening each ask). A failed call answers with the last membership known, so a Slack outage
 * does not take reviewers' votes away; with nothing known it answers null and the cohort's list stands.
 */
export function slackUserGroups(
  client: WebClient,
  opts: {
    logger: { warn(obj: object, msg?: string): void };
    ttlMs?: number;
    now?: () => number;
  },
): UserGroupPort {
  const ttl = opts.ttlMs ?? TTL_MS;
  const now = opts.now ?? Date.now;
  const known = new Map<string, Known>();
  // Concurrent callers of a group that is not cached share one call to Slack.
  const asking = new Map<string, Promise<readonly string[] | null>>();

  const ask = async (groupId: string): Promise<readonly string[] | null> => {
    const last = known.get(groupId);
    try {
      const r = await client.usergroups.users.list({ usergroup: groupId });
      const users = r.users ?? [];
      known.set(groupId, { users, at: now(), stale: false });
      return users;
    } catch (error) {
      const failure = slackError('usergroups.users.list', error);
      opts.logger.warn(
        {
          group: groupId,
          err: failure.message,
          fallback: last ? 'the last membership known' : "the cohort's listed reviewers",
          ...(last ? { knownSince: new Date(last.at).toISOString() } : {}),
        },
        'reviewer group membership unavailable',
      );
      return last?.users ?? null;
    }
  };

  return {
    configured: true,
    async members(groupId) {
      const cached = known.get(groupId);
      if (cached && !cached.stale && now() - cached.at < ttl) return cached.users;
      const pending = asking.get(groupId);
      if (pending) return pending;
      const call = ask(groupId).finally(() => asking.delete(groupId));
      asking.set(groupId, call);
      return call;
    },
    forget(groupId) {
      const cached = known.get(groupId);
      if (cached) cached.stale = true;
    },
  };
}
