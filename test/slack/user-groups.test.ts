import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { click, eventBody, slackHarness, waitFor } from './harness.ts';

const GROUP = 'SREVIEW01';
const MEMBER = 'UGRP00001';
// The queue's header, as the App Home view carries it.
const QUEUE = '"text":"ממתינות להצבעה שלך"';

let fake: SlackFake;
let database: OpenedDatabase;
beforeAll(async () => {
  fake = await startSlackFake();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  fake.calls.length = 0;
  fake.userGroups.clear();
  await database.close();
});

async function setup() {
  database = await openDatabase({ dataDir: 'memory' });
  const h = slackHarness(database, fake, { settings: reviewSettings({ reviewerUserGroup: GROUP }) });
  const voteOf = async (id: string, reviewer: string) =>
    (
      await database.db
        .selectFrom('votes')
        .select('vote')
        .where('application_id', '=', id)
        .where('reviewer', '=', reviewer)
        .executeTakeFirst()
    )?.vote;
  const refusals = () =>
    fake.calls.filter((c) => c.method === 'chat.postEphemeral' && c.args.user === MEMBER).length;
  const vote = async (user: string, id: string) => {
    const before = fake.count('chat.postEphemeral');
    await h.post(click(user, 'vote_approve', id));
    await waitFor(
      async () => (await voteOf(id, user)) !== undefined || fake.count('chat.postEphemeral') > before,
    );
  };
  const home = async (user: string) => {
    const before = fake.count('views.publish');
    await h.post(eventBody({ type: 'app_home_opened', user, tab: 'home' }), {}, 'application/json');
    await waitFor(() => fake.count('views.publish') === before + 1);
    return JSON.stringify(fake.calls.filter((c) => c.method === 'views.publish').at(-1)?.args.view);
  };
  const groupChanged = async (removed: string[]) => {
    const r = await h.post(
      eventBody({
        type: 'subteam_members_changed',
        subteam_id: GROUP,
        team_id: 'TTEAM',
        removed_users: removed,
      }),
      {},
      'application/json',
    );
    expect(r.status).toBe(200);
  };
  return { ...h, voteOf, refusals, vote, home, groupChanged };
}

describe("a cohort's reviewer user group", () => {
  it('counts its members as reviewers until Slack says one left', async () => {
    const s = await setup();
    fake.userGroups.set(GROUP, [MEMBER]);
    const first = await s.inReview({ fullName: 'מועמדת ראשונה' });
    const second = await s.inReview({ fullName: 'מועמד שני' });

    await s.vote(MEMBER, first);
    expect(await s.voteOf(first, MEMBER)).toBe('approve');
    expect(s.refusals()).toBe(0);
    const queue = await s.home(MEMBER);
    expect(queue).toContain(QUEUE);
    expect(queue).toContain('מועמד שני');
    expect(queue).not.toContain('מועמדת ראשונה');
    // The membership is kept between the vote and the App Home: Slack was asked once.
    expect(fake.count('usergroups.users.list')).toBe(1);

    fake.userGroups.set(GROUP, []);
    await s.groupChanged([MEMBER]);
    await waitFor(async () => !(await s.home(MEMBER)).includes(QUEUE));
    await s.vote(MEMBER, second);
    expect(await s.voteOf(second, MEMBER)).toBeUndefined();
    expect(s.refusals()).toBe(1);
    const refusal = await database.db
      .selectFrom('application_events')
      .select('data')
      .where('application_id', '=', second)
      .where('type', '=', 'action_refused')
      .executeTakeFirst();
    expect(refusal?.data).toMatchObject({ reason: 'forbidden' });
  });

  it("keeps the last membership known when Slack cannot answer, and the cohort's list when nothing is known", async () => {
    const s = await setup();
    const id = await s.inReview();
    fake.fail('usergroups.users.list', 1, { error: 'internal_error' });
    await s.vote(MEMBER, id);
    expect(await s.voteOf(id, MEMBER)).toBeUndefined();
    // A listed reviewer votes whatever the group answers.
    await s.vote('UDANA0001', id);
    expect(await s.voteOf(id, 'UDANA0001')).toBe('approve');

    fake.userGroups.set(GROUP, [MEMBER]);
    expect(await s.home(MEMBER)).toContain(QUEUE);
    await s.groupChanged([]);
    fake.fail('usergroups.users.list', 1, { status: 500 });
    await s.vote(MEMBER, id);
    expect(await s.voteOf(id, MEMBER)).toBe('approve');
  });

  it('reminds the members who have not voted, by mention', async () => {
    const s = await setup();
    fake.userGroups.set(GROUP, [MEMBER, 'UDANA0001']);
    const id = await s.inReview();
    const { remindReviewers } = await import('../../src/usecases/review-card.ts');
    await remindReviewers(s.pctx, id);
    const reminder = fake.messages.find((m) => m.text?.startsWith('תזכורת'))?.text ?? '';
    expect(reminder).toContain(`<@${MEMBER}>`);
    expect(reminder.match(/<@UDANA0001>/g)).toHaveLength(1);
  });
});
