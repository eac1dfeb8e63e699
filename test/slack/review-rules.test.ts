import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { withdraw } from '../../src/usecases/onboarding.ts';
import { decide } from '../../src/usecases/review.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { click, slackHarness, waitFor } from './harness.ts';

const COHORT = 'leading-team-2027';
// Avi's organisation in the test settings, spelt as an applicant might.
const AVIS_TOWN = 'עיריית באר-שבע';

let fake: SlackFake;
let database: OpenedDatabase;
beforeAll(async () => {
  fake = await startSlackFake();
});
afterAll(async () => {
  await fake.close();
});
// Capacity counts the whole cohort, so every test starts from an empty database (opened by `setup`).
afterEach(async () => {
  fake.calls.length = 0;
  await database.close();
});

async function setup(opts: { capacity?: number; review?: Record<string, unknown> } = {}) {
  database = await openDatabase({ dataDir: 'memory' });
  const base = reviewSettings({ deciders: ['URINA0001'], ...opts.review });
  const settings = { cohorts: { [COHORT]: { ...base.cohorts[COHORT], capacity: opts.capacity } } };
  const h = slackHarness(database, fake, { settings });
  const decideAs = (id: string, outcome: 'accepted' | 'waitlisted') =>
    decide(h.ctx, { applicationId: id, outcome, actor: 'staff', byName: 'Staff' });
  const status = async (id: string) =>
    (
      await database.db
        .selectFrom('applications')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;
  const card = (id: string) =>
    JSON.stringify(fake.messages.find((m) => JSON.stringify(m.metadata).includes(id))?.blocks ?? null);
  const ephemerals = (user: string) =>
    fake.calls
      .filter((c) => c.method === 'chat.postEphemeral' && c.args.user === user)
      .map((c) => String(c.args.text));
  const settled = async () => {
    h.runner.poke();
    await h.runner.settled();
  };
  return { ...h, decideAs, status, card, ephemerals, settled };
}

describe('capacity and the waitlist in Slack', () => {
  it('offers deciders a one-click acceptance of the applicant proposed from the waitlist', async () => {
    const s = await setup({ capacity: 1 });
    const member = await s.inReview();
    await s.decideAs(member, 'accepted');
    const waiting = await s.inReview();
    await s.decideAs(waiting, 'waitlisted');
    await s.settled();
    expect(s.card(waiting)).not.toContain('accept_waitlisted');

    await withdraw(s.ctx, { applicationId: member, actor: 'staff' });
    await s.settled();
    expect(s.card(waiting)).toContain('accept_waitlisted');
    expect(s.card(waiting)).toContain('מוצעת לקבלה');
    expect(await s.status(waiting)).toBe('waitlisted');

    await s.post(click('UDANA0001', 'accept_waitlisted', waiting));
    await waitFor(() => s.ephemerals('UDANA0001').length === 1);
    expect(s.ephemerals('UDANA0001')[0]).toContain('מכריעים');
    expect(await s.status(waiting)).toBe('waitlisted');

    await s.post(click('URINA0001', 'accept_waitlisted', waiting));
    await waitFor(async () => (await s.status(waiting)) === 'accepted');
    await s.settled();
    expect(s.card(waiting)).toContain('🔒');
    expect(s.card(waiting)).not.toContain('accept_waitlisted');
  });

  it('tells the decider, privately, that the cohort is full instead of accepting', async () => {
    const s = await setup({ capacity: 1 });
    const member = await s.inReview();
    await s.decideAs(member, 'accepted');
    const waiting = await s.inReview();
    await s.decideAs(waiting, 'waitlisted');
    await withdraw(s.ctx, { applicationId: member, actor: 'staff' });
    // Someone else takes the place before the decider clicks.
    await s.decideAs(await s.inReview(), 'accepted');
    await s.settled();

    await s.post(click('URINA0001', 'accept_waitlisted', waiting));
    await waitFor(() => s.ephemerals('URINA0001').length === 1);
    expect(s.ephemerals('URINA0001')[0]).toContain('המחזור מלא');
    expect(await s.status(waiting)).toBe('waitlisted');
  });

  it('waitlists an approval in a full cohort and says why, on the card and to the voter', async () => {
    const s = await setup({ capacity: 1 });
    await s.decideAs(await s.inReview(), 'accepted');
    const id = await s.inReview();
    await s.post(click('URINA0001', 'vote_approve', id));
    await waitFor(async () => (await s.status(id)) === 'waitlisted');
    await waitFor(() => s.ephemerals('URINA0001').length === 1);
    expect(s.ephemerals('URINA0001')[0]).toContain('המחזור מלא');
    await s.settled();
    expect(s.card(id)).toContain('המחזור היה מלא');
  });
});

describe('conflicts of interest known before the vote', () => {
  it('tells a conflicted reviewer at the click and records no vote, when the policy excludes', async () => {
    const s = await setup();
    const id = await s.inReview({ organisation: AVIS_TOWN });
    expect(s.card(id)).toContain('הוחרג');
    expect(s.card(id)).not.toContain('Avi');

    await s.post(click('UAVI00001', 'vote_approve', id));
    await waitFor(() => s.ephemerals('UAVI00001').length === 1);
    expect(s.ephemerals('UAVI00001')[0]).toContain('ניגוד עניינים');
    expect(s.ephemerals('UAVI00001')[0]).toContain('לא נרשמה');
    const votes = await database.db
      .selectFrom('votes')
      .select('reviewer')
      .where('application_id', '=', id)
      .execute();
    expect(votes).toEqual([]);
    await s.settled();
    expect(s.card(id)).not.toContain('Avi');
  });

  it('counts the vote, flags the card and tells the reviewer, when the policy flags', async () => {
    const s = await setup({ review: { conflictOfInterest: 'flag' } });
    const id = await s.inReview({ organisation: AVIS_TOWN });
    await s.post(click('UAVI00001', 'vote_approve', id));
    await waitFor(() => s.ephemerals('UAVI00001').length === 1);
    expect(s.ephemerals('UAVI00001')[0]).toContain('ניגוד עניינים');
    const vote = await database.db
      .selectFrom('votes')
      .select(['vote', 'counted'])
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(vote).toEqual({ vote: 'approve', counted: true });
    await s.settled();
    expect(s.card(id)).toContain('ניגוד עניינים');
  });

  it("marks on a reviewer's App Home the applications where they have a conflict", async () => {
    const s = await setup();
    await s.inReview({ organisation: AVIS_TOWN, fullName: 'מועמדת מבאר שבע' });
    const home = async (user: string) => {
      fake.calls.length = 0;
      const event = JSON.stringify({
        type: 'event_callback',
        event_id: `Ev${Math.random()}`,
        team_id: 'TTEAM',
        event: { type: 'app_home_opened', user, tab: 'home' },
      });
      await s.post(event, {}, 'application/json');
      await waitFor(() => fake.count('views.publish') === 1);
      return JSON.stringify(fake.calls.find((c) => c.method === 'views.publish')?.args.view);
    };
    const avi = await home('UAVI00001');
    expect(avi).toContain('מועמדת מבאר שבע');
    expect(avi).toContain('ניגוד עניינים');
    const dana = await home('UDANA0001');
    expect(dana).toContain('מועמדת מבאר שבע');
    expect(dana).not.toContain('ניגוד עניינים');
  });
});
