import { expect, it } from 'vitest';
import type { SlackPort } from '../../src/ports.ts';

export interface SlackChannelsUnderTest {
  port: SlackPort;
  /** Puts a person in the workspace, in no channel yet; returns their user id. */
  inWorkspace(email: string): Promise<string>;
  /** The channel's members as the workspace holds them (user ids). */
  members(channel: string): Promise<Set<string>>;
  /** An address no one in the workspace has. */
  outsider: string;
}

const CHANNELS = ['CCOHORT01', 'CCOHORT02', 'CCOHORT03'];
const person = (email: string) => ({ email, name: 'דנה לוי' });

/** What every SlackPort must do about channel membership; run against the recording fake and the real adapter. */
export function slackChannelsContract(make: () => Promise<SlackChannelsUnderTest>) {
  it('removes an invited person from all three channels, and leaves everyone else there', async () => {
    const s = await make();
    const leaver = await s.inWorkspace('leaver@example.org');
    const stayer = await s.inWorkspace('stayer@example.org');
    await s.port.inviteToChannels(person('leaver@example.org'), CHANNELS);
    await s.port.inviteToChannels(person('stayer@example.org'), CHANNELS);
    const outcome = await s.port.removeFromChannels(person('leaver@example.org'), CHANNELS);
    expect(outcome).toEqual({ status: 'removed', slackUserId: leaver, removedFrom: 3 });
    for (const c of CHANNELS) {
      expect((await s.members(c)).has(leaver), c).toBe(false);
      expect((await s.members(c)).has(stayer), c).toBe(true);
    }
  });

  it('succeeds a second time, removing from nothing', async () => {
    const s = await make();
    await s.inWorkspace('twice@example.org');
    await s.port.inviteToChannels(person('twice@example.org'), CHANNELS);
    await s.port.removeFromChannels(person('twice@example.org'), CHANNELS);
    const again = await s.port.removeFromChannels(person('twice@example.org'), CHANNELS);
    expect(again).toMatchObject({ status: 'removed', removedFrom: 0 });
  });

  it('succeeds for someone in the workspace who was never invited', async () => {
    const s = await make();
    const id = await s.inWorkspace('never@example.org');
    expect(await s.port.removeFromChannels(person('never@example.org'), CHANNELS)).toEqual({
      status: 'removed',
      slackUserId: id,
      removedFrom: 0,
    });
  });

  it('succeeds for someone not in the workspace: there is nothing to remove', async () => {
    const s = await make();
    expect(await s.port.removeFromChannels(person(s.outsider), CHANNELS)).toEqual({
      status: 'not_in_workspace',
      removedFrom: 0,
    });
  });

  it('removes by the Slack user id the invitation returned, once the e-mail is gone', async () => {
    const s = await make();
    await s.inWorkspace('erased@example.org');
    const invited = await s.port.inviteToChannels(person('erased@example.org'), CHANNELS);
    if (invited.status !== 'joined') throw new Error('expected the invitation to join');
    const outcome = await s.port.removeFromChannels({ slackUserId: invited.slackUserId }, CHANNELS);
    expect(outcome).toMatchObject({ status: 'removed', removedFrom: 3 });
    for (const c of CHANNELS) expect((await s.members(c)).has(invited.slackUserId)).toBe(false);
  });

  it('counts a channel listed twice once', async () => {
    const s = await make();
    await s.inWorkspace('dup@example.org');
    await s.port.inviteToChannels(person('dup@example.org'), ['CCOHORT01']);
    const outcome = await s.port.removeFromChannels(person('dup@example.org'), ['CCOHORT01', 'CCOHORT01']);
    expect(outcome.removedFrom).toBe(1);
  });

  it('invites again after a removal (a withdrawal undone)', async () => {
    const s = await make();
    const id = await s.inWorkspace('back@example.org');
    await s.port.inviteToChannels(person('back@example.org'), CHANNELS);
    await s.port.removeFromChannels(person('back@example.org'), CHANNELS);
    await s.port.inviteToChannels(person('back@example.org'), CHANNELS);
    for (const c of CHANNELS) expect((await s.members(c)).has(id)).toBe(true);
  });
}
