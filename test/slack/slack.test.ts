import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { slackChannels } from '../../integrations/slack/channels.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { AppError } from '../../src/domain/errors.ts';
import { escapeSlack, LIMITS, reviewCard } from '../../src/slack/blocks.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { cardView } from '../../src/usecases/review.ts';
import { refreshCard } from '../../src/usecases/review-card.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { interactivityBody, slackHeaders } from '../helpers/slack-sign.ts';
import { click, type HarnessOptions, logger, slackHarness, waitFor } from './harness.ts';

const HOSTILE = ['<!channel>', '<!here>', '<@U1>', '<#C1>', '<https://evil.example|click>'];

let fake: SlackFake;
let database: OpenedDatabase;
beforeAll(async () => {
  fake = await startSlackFake();
  database = await openDatabase({ dataDir: 'memory' });
});
afterAll(async () => {
  await fake.close();
  await database.close();
});
afterEach(() => {
  fake.calls.length = 0;
});

function setup(opts: HarnessOptions = {}) {
  return slackHarness(database, fake, opts);
}

/** Every string anywhere in what was sent to Slack. */
function sentStrings(): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(fake.calls.map((c) => c.args));
  return out;
}

describe('Slack request verification', () => {
  const body = JSON.stringify({ type: 'url_verification', challenge: 'abc' });
  const now = Math.floor(Date.now() / 1000);

  it('answers url_verification only when the signature is right', async () => {
    const { post } = setup();
    const ok = await post(body, {}, 'application/json');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: 'abc' });
  });

  it.each([
    ['stale (six minutes old)', async () => slackHeaders(body, { timestamp: now - 360 }), body],
    ['from the future (six minutes ahead)', async () => slackHeaders(body, { timestamp: now + 360 }), body],
    ['tampered body', async () => slackHeaders(body), body.replace('abc', 'abd')],
    ['wrong secret', async () => slackHeaders(body, { secret: 'another-secret-entirely-00000' }), body],
    ['missing headers', async () => ({ 'x-slack-request-timestamp': '', 'x-slack-signature': '' }), body],
    [
      'a v1= signature',
      async () => {
        const h = await slackHeaders(body);
        return { ...h, 'x-slack-signature': h['x-slack-signature'].replace('v0=', 'v1=') };
      },
      body,
    ],
    [
      'no version prefix',
      async () => {
        const h = await slackHeaders(body);
        return { ...h, 'x-slack-signature': h['x-slack-signature'].replace('v0=', '') };
      },
      body,
    ],
  ])('refuses a request that is %s', async (_name, headers, sent) => {
    const { routes } = setup();
    const res = await routes.request('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await headers()) },
      body: sent,
    });
    expect(res.status).toBe(401);
  });
});

describe('review in Slack', () => {
  it("records a reviewer's click, updates the card in place, and locks it after the decision", async () => {
    const { post, inReview } = setup();
    const id = await inReview();
    expect(fake.count('chat.postMessage')).toBe(1);
    expect((await post(click('UDANA0001', 'vote_approve', id))).status).toBe(200);
    await waitFor(() => fake.count('chat.update') >= 1);
    await post(click('URINA0001', 'vote_approve', id));
    await waitFor(() => fake.count('chat.update') >= 2);
    const card = fake.messages.find((m) => JSON.stringify(m.metadata).includes(id));
    const blocks = JSON.stringify(card?.blocks);
    expect(blocks).toContain('🔒');
    expect(blocks).not.toContain('vote_approve');
    expect(blocks).toContain('Rina');
  });

  it('refuses someone who is not a reviewer with an ephemeral message, on the audit trail', async () => {
    const { post, inReview } = setup();
    const id = await inReview();
    await post(click('UINTRUDER', 'vote_approve', id));
    await waitFor(() => fake.count('chat.postEphemeral') >= 1);
    const events = await database.db
      .selectFrom('application_events')
      .select(['type', 'actor'])
      .where('application_id', '=', id)
      .execute();
    expect(events).toContainEqual({ type: 'action_refused', actor: 'slack:UINTRUDER' });
    expect(
      await database.db.selectFrom('votes').select('reviewer').where('application_id', '=', id).execute(),
    ).toEqual([]);
  });

  it('refuses a click from another workspace', async () => {
    const { post, inReview } = setup({ teamId: 'TTEAM' });
    const id = await inReview();
    await post(click('UDANA0001', 'vote_approve', id, { team: 'TOTHER' }));
    await waitFor(() => fake.count('chat.postEphemeral') >= 1);
    expect(
      await database.db.selectFrom('votes').select('reviewer').where('application_id', '=', id).execute(),
    ).toEqual([]);
  });

  it('counts the same click replayed five times once', async () => {
    const { post, inReview } = setup();
    const id = await inReview();
    const body = click('UDANA0001', 'vote_reject', id, { actionTs: '1700000000.123' });
    for (let i = 0; i < 5; i++)
      expect((await post(body, { 'x-slack-retry-num': String(i) })).status).toBe(200);
    await waitFor(() => fake.count('chat.update') >= 1);
    const events = await database.db
      .selectFrom('application_events')
      .select('type')
      .where('application_id', '=', id)
      .where('type', 'like', 'vote%')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('keeps votes hidden in blind mode: on the shared card and from the voter too', async () => {
    const { post, inReview } = setup({ blind: true });
    const id = await inReview();
    await post(click('UDANA0001', 'vote_approve', id));
    await waitFor(() => fake.count('chat.update') >= 1);
    const update = fake.calls.find((c) => c.method === 'chat.update');
    expect(JSON.stringify(update?.args.blocks)).toContain('הצבעה עיוורת');
    expect(JSON.stringify(update?.args.blocks)).not.toContain('Dana');
    expect(fake.count('chat.postEphemeral')).toBe(0);
  });

  it('opens the note modal at once and saves the note', async () => {
    const { post, inReview } = setup();
    const id = await inReview();
    await post(click('UDANA0001', 'vote_approve', id));
    await post(click('UDANA0001', 'add_note', id));
    await waitFor(() => fake.count('views.open') >= 1);
    const submission = interactivityBody({
      type: 'view_submission',
      team: { id: 'TTEAM' },
      user: { id: 'UDANA0001' },
      view: {
        id: 'V1',
        hash: 'h1',
        callback_id: 'review_note',
        private_metadata: id,
        state: { values: { note: { value: { type: 'plain_text_input', value: 'מועמדת מצוינת' } } } },
      },
    });
    expect((await post(submission)).status).toBe(200);
    await waitFor(async () => {
      const v = await database.db
        .selectFrom('votes')
        .select('note')
        .where('application_id', '=', id)
        .executeTakeFirst();
      return v?.note === 'מועמדת מצוינת';
    });
  });

  it('sends no control sequence to Slack whatever the applicant typed', async () => {
    const { post, inReview } = setup();
    const hostile = HOSTILE.join(' ');
    const id = await inReview({
      fullName: `${hostile} שם`,
      organisation: hostile,
      roleTitle: hostile,
      motivation: `${hostile} `.repeat(30),
    });
    await post(click('UDANA0001', 'vote_approve', id));
    await post(click('URINA0001', 'vote_reject', id));
    await waitFor(() => fake.count('chat.update') >= 2);
    for (const s of sentStrings()) for (const h of HOSTILE) expect(s).not.toContain(h);
  });

  it('stays within Block Kit limits for a 5,000-character motivation', async () => {
    const { ctx, inReview } = setup();
    const id = await inReview({ motivation: `${'&<>'.repeat(10)}${'מ'.repeat(4970)}` });
    const view = await cardView(ctx, id);
    const card = reviewCard(view!);
    expect(card.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    const texts: string[] = [];
    const walk = (v: unknown) => {
      if (
        v &&
        typeof v === 'object' &&
        'type' in v &&
        'text' in v &&
        typeof (v as { text: unknown }).text === 'string'
      ) {
        texts.push((v as { text: string }).text);
      }
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(card.blocks);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(card.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(JSON.stringify(card.blocks)).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('posts one card even when publishing is retried after a crash between posting and storing', async () => {
    const { cards, ctx, inReview } = setup();
    const id = await inReview();
    const view = (await cardView(ctx, id))!;
    const again = await cards.publish(view, 'CREVIEW01');
    const stored = await database.db
      .selectFrom('applications')
      .select('card_ts')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(again.ts).toBe(stored.card_ts);
    expect(fake.messages.filter((m) => JSON.stringify(m.metadata).includes(id))).toHaveLength(1);
  });

  it('claims the first attempt under the card’s lock, so a job that claims it slowly cannot post beside another', async () => {
    const { cards, ctx, inReview } = setup();
    const view = (await cardView(ctx, await inReview()))!;
    // An application with no card yet: two jobs for it, the one holding the first attempt slow to claim it.
    const fresh = { ...view, applicationId: crypto.randomUUID() };
    let release = () => {};
    const claimed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = cards.publish(fresh, 'CREVIEW01', {
      claimFirstAttempt: async () => {
        await claimed;
        return true;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = cards.publish(fresh, 'CREVIEW01', { claimFirstAttempt: async () => false });
    // Had the claim been made before the lock, the later job would take the lock now, find nothing and post.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.messages.filter((m) => JSON.stringify(m.metadata).includes(fresh.applicationId))).toEqual([]);
    release();
    const [a, b] = await Promise.all([first, later]);
    expect(b.ts).toBe(a.ts);
    expect(
      fake.messages.filter((m) => JSON.stringify(m.metadata).includes(fresh.applicationId)),
    ).toHaveLength(1);
  });

  it('looks through the channel only on an attempt after the first, and still posts one card', async () => {
    const { pctx, inReview } = setup();
    const id = await inReview();
    // The first attempt posts without asking Slack for the channel's history.
    expect(fake.count('conversations.history')).toBe(0);
    expect(fake.count('chat.postMessage')).toBe(1);
    // A crash between posting and storing where: the next attempt knows an earlier one began, and looks.
    await database.db
      .updateTable('applications')
      .set({ card_ts: null, card_channel: null })
      .where('id', '=', id)
      .execute();
    await refreshCard(pctx, id);
    expect(fake.count('conversations.history')).toBe(1);
    expect(fake.count('chat.postMessage')).toBe(1);
    expect(fake.messages.filter((m) => JSON.stringify(m.metadata).includes(id))).toHaveLength(1);
    const stored = await database.db
      .selectFrom('applications')
      .select(['card_ts', 'card_attempted_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.card_ts).not.toBeNull();
    expect(stored.card_attempted_at).not.toBeNull();
  });

  it('hands team_join to the onboarding of people who were not yet in the workspace', async () => {
    const joined: string[] = [];
    const review = {
      ...slackReviewDeps(setup().ctx, logger),
      onTeamJoin: async (i: { email: string }) => joined.push(i.email),
    };
    const { post } = setup({ review });
    const event = JSON.stringify({
      type: 'event_callback',
      event_id: 'Ev1',
      team_id: 'TTEAM',
      event: { type: 'team_join', user: { id: 'UNEW', profile: { email: 'new@example.org' } } },
    });
    expect((await post(event, {}, 'application/json')).status).toBe(200);
    await waitFor(() => joined.length === 1);
    expect(joined).toEqual(['new@example.org']);
  });
});

describe('channel onboarding', () => {
  it('invites ten people accepted together with one call per channel', async () => {
    const client = createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url });
    const port = slackChannels(client, { batchWindowMs: 50 });
    for (let i = 0; i < 10; i++) fake.users.set(`m${i}@example.org`, `UM${i}`);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        port.inviteToChannels({ email: `m${i}@example.org`, name: 'x' }, ['CA1', 'CA2', 'CA3']),
      ),
    );
    expect(results.every((r) => r.status === 'joined')).toBe(true);
    expect(fake.count('conversations.invite')).toBe(3);
    expect(fake.members.get('CA1')?.size).toBe(11);
  });

  it('counts already_in_channel as success, and says who is not in the workspace yet', async () => {
    const client = createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url });
    const port = slackChannels(client, { batchWindowMs: 5 });
    fake.users.set('again@example.org', 'UAGAIN');
    await port.inviteToChannels({ email: 'again@example.org', name: 'x' }, ['CB1']);
    expect((await port.inviteToChannels({ email: 'again@example.org', name: 'x' }, ['CB1'])).status).toBe(
      'joined',
    );
    expect((await port.inviteToChannels({ email: 'outside@example.org', name: 'x' }, ['CB1'])).status).toBe(
      'pending_workspace',
    );
  });

  it('turns a 429 into a rate-limited error with Retry-After, and a later call finishes', async () => {
    const client = createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url });
    const port = slackChannels(client, { batchWindowMs: 5 });
    fake.users.set('busy@example.org', 'UBUSY');
    fake.fail('conversations.invite', 1, { status: 429, retryAfter: 1 });
    const error = (await port
      .inviteToChannels({ email: 'busy@example.org', name: 'x' }, ['CC1'])
      .catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('rate_limited');
    expect(error.options.retryAfterSeconds).toBe(1);
    // Once the Retry-After has passed, as the job's retry waits for it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await port.inviteToChannels({ email: 'busy@example.org', name: 'x' }, ['CC1'])).status).toBe(
      'joined',
    );
  });

  it('escapes exactly &, < and >', () => {
    expect(escapeSlack('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});
