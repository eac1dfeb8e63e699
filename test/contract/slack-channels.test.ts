import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackChannels } from '../../integrations/slack/channels.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { AppError } from '../../src/domain/errors.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { recordedSlackId, recordingSlack } from '../helpers/fakes.ts';
import { slackChannelsContract } from './slack-channels.contract.ts';

const OUTSIDER = 'outside@example.org';
const CHANNELS = ['CK1', 'CK2', 'CK3'];

let fake: SlackFake;
beforeEach(async () => {
  fake = await startSlackFake();
});
afterEach(async () => {
  await fake.close();
});

const client = () => createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url });
const adapter = () => slackChannels(client(), { batchWindowMs: 5 });

/** Puts the person in the workspace and in the channels, as an earlier invitation would have. */
function member(email: string, id: string, channels = CHANNELS) {
  fake.users.set(email, id);
  for (const c of channels) fake.members.set(c, new Set([...(fake.members.get(c) ?? []), id]));
  return { email, name: 'נועה' };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as AppError,
  );

describe('the channel membership contract, recorded in memory', () => {
  slackChannelsContract(async () => {
    const port = recordingSlack(new Set([OUTSIDER]));
    return {
      port,
      inWorkspace: async (email) => recordedSlackId(email),
      members: async (c) => port.members.get(c) ?? new Set(),
      outsider: OUTSIDER,
    };
  });
});

describe('the channel membership contract, on Slack through the real client', () => {
  slackChannelsContract(async () => ({
    port: adapter(),
    inWorkspace: async (email) => {
      const id = `U${fake.users.size + 100}`;
      fake.users.set(email, id);
      return id;
    },
    members: async (c) => fake.members.get(c) ?? new Set(),
    outsider: OUTSIDER,
  }));
});

describe('removing from channels on Slack', () => {
  it('kicks from channels and calls nothing that could remove from the workspace', async () => {
    const p = member('m@example.org', 'UMEMBER');
    await adapter().removeFromChannels(p, CHANNELS);
    expect(new Set(fake.calls.map((c) => c.method))).toEqual(
      new Set(['users.lookupByEmail', 'conversations.join', 'conversations.kick']),
    );
    expect(fake.calls.filter((c) => c.method === 'conversations.kick').map((c) => c.args)).toEqual(
      CHANNELS.map((channel) => ({ channel, user: 'UMEMBER' })),
    );
  });

  it('turns a 429 into a retryable rate-limited error with Retry-After, and the retry finishes', async () => {
    const p = member('busy@example.org', 'UBUSY');
    fake.fail('conversations.kick', 1, { status: 429, retryAfter: 7 });
    const port = adapter();
    const error = await failure(port.removeFromChannels(p, CHANNELS));
    expect(error).toBeInstanceOf(AppError);
    expect(error?.code).toBe('rate_limited');
    expect(error?.retryable).toBe(true);
    expect(error?.options.retryAfterSeconds).toBe(7);
    // This process keeps the method closed for the 7 s: asked again now, it refuses without calling Slack.
    const calls = fake.count('conversations.kick');
    expect(await failure(port.removeFromChannels(p, CHANNELS))).toMatchObject({ code: 'rate_limited' });
    expect(fake.count('conversations.kick')).toBe(calls);
    // The job's retry, in another worker process: it finishes the removals.
    expect(await adapter().removeFromChannels(p, CHANNELS)).toMatchObject({
      status: 'removed',
      removedFrom: 3,
    });
    for (const c of CHANNELS) expect(fake.members.get(c)?.has('UBUSY')).toBe(false);
  });

  it('makes a rate-limited or failing lookup retryable', async () => {
    fake.fail('users.lookupByEmail', 1, { status: 429, retryAfter: 3 });
    const limited = await failure(adapter().removeFromChannels({ email: 'x@example.org' }, CHANNELS));
    expect(limited).toMatchObject({ code: 'rate_limited', retryable: true });
    fake.fail('users.lookupByEmail', 1, { status: 500 });
    const down = await failure(adapter().removeFromChannels({ email: 'x@example.org' }, CHANNELS));
    expect(down?.retryable).toBe(true);
  });

  it("treats Slack's transient errors as retryable", async () => {
    const p = member('flaky@example.org', 'UFLAKY');
    fake.fail('conversations.kick', 1, { error: 'internal_error' });
    expect((await failure(adapter().removeFromChannels(p, CHANNELS)))?.retryable).toBe(true);
  });

  it('still removes from the other channels when one refuses, then reports the refusal as permanent', async () => {
    const p = member('kept@example.org', 'UKEPT');
    fake.fail('conversations.kick', 1, { error: 'restricted_action' });
    const error = await failure(adapter().removeFromChannels(p, CHANNELS));
    expect(error).toBeInstanceOf(AppError);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('conversations.kick CK1: restricted_action');
    expect(error?.message).toContain('an admin must allow it');
    expect(error?.message).not.toContain('kept@example.org');
    expect(fake.members.get('CK1')?.has('UKEPT')).toBe(true);
    expect(fake.members.get('CK2')?.has('UKEPT')).toBe(false);
    expect(fake.members.get('CK3')?.has('UKEPT')).toBe(false);
  });

  it('reports a channel that does not exist as permanent, after the others', async () => {
    const p = member('gone@example.org', 'UGONE', ['CK1', 'CK3']);
    fake.channels = new Set(['CK1', 'CK3']);
    const error = await failure(adapter().removeFromChannels(p, CHANNELS));
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('channel_not_found');
    expect(fake.members.get('CK1')?.has('UGONE')).toBe(false);
    expect(fake.members.get('CK3')?.has('UGONE')).toBe(false);
  });

  it('removes from a private channel the app is in, and says so when the app is not', async () => {
    fake.privateChannels = new Set(['GPRIV', 'GNOAPP']);
    fake.members.set('GPRIV', new Set(['UBOT']));
    const p = member('private@example.org', 'UPRIV', ['GPRIV', 'GNOAPP']);
    fake.members.get('GNOAPP')?.delete('UBOT');
    const error = await failure(adapter().removeFromChannels(p, ['GPRIV', 'GNOAPP']));
    expect(fake.members.get('GPRIV')?.has('UPRIV')).toBe(false);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('conversations.kick GNOAPP: channel_not_found');
    expect(error?.message).toContain('member of a private channel');
  });

  it("refuses to remove the app's own user (cant_kick_self), permanently", async () => {
    const error = await failure(adapter().removeFromChannels({ slackUserId: 'UBOT' }, ['CK1']));
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('cant_kick_self');
  });

  it('rejects an empty user id without asking Slack (Slack would answer user_not_found)', async () => {
    const error = await failure(adapter().removeFromChannels({ slackUserId: '' }, CHANNELS));
    expect(error?.code).toBe('bad_request');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('the Slack fake answers conversations.kick as Slack does', () => {
  const kick = (channel: string, user: string) =>
    client()
      .conversations.kick({ channel, user })
      .then(
        (r) => r.ok,
        (e: { data?: { error?: string } }) => e.data?.error,
      );

  it('removes a member, then answers not_in_channel', async () => {
    fake.members.set('CF1', new Set(['UONE', 'UTWO']));
    expect(await kick('CF1', 'UONE')).toBe(true);
    expect(fake.members.get('CF1')).toEqual(new Set(['UTWO']));
    expect(await kick('CF1', 'UONE')).toBe('not_in_channel');
  });

  it('answers channel_not_found, cant_kick_self and user_not_found', async () => {
    fake.channels = new Set(['CF1']);
    expect(await kick('CNOPE', 'UONE')).toBe('channel_not_found');
    expect(await kick('CF1', 'UBOT')).toBe('cant_kick_self');
    expect(await kick('CF1', 'not-a-user')).toBe('user_not_found');
  });

  it('can be told to fail once, then answers normally', async () => {
    fake.members.set('CF1', new Set(['UONE']));
    fake.fail('conversations.kick', 1, { error: 'restricted_action' });
    expect(await kick('CF1', 'UONE')).toBe('restricted_action');
    expect(await kick('CF1', 'UONE')).toBe(true);
  });
});
