// The Slack fuzz: random events, clicks and submitted views, each signed as Slack signs it with a fresh
// timestamp, so that every one passes the signature check and reaches Bolt and our listeners. Bolt acks
// before a listener's slower work, so an answer of 200 proves little: the listeners' own failures are read
// from the log, and every delivery is awaited to its end before the next is sent.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import fc from 'fast-check';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { registerCheckinListeners } from '../../src/checkins/listeners.ts';
import { openRound } from '../../src/checkins/rounds.ts';
import { weekOf } from '../../src/checkins/schedule.ts';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { createSlackApp } from '../../src/slack/app.ts';
import { HonoReceiver } from '../../src/slack/receiver.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { startSlackFake } from '../fakes/slack.ts';
import { ORIGIN, validBody } from '../helpers/app.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { interactivityBody, SIGNING_SECRET, slackHeaders } from '../helpers/slack-sign.ts';
import { mutated } from './from-schema.ts';
import { type FuzzTally, newTally, record, weird } from './properties.ts';

const LEADS = ['ULEAD1', 'ULEAD2'];
const SETTINGS = {
  ...reviewSettings(),
  programmes: {
    'negev-partnership': {
      leadershipChannel: 'CLEADERS',
      actionLines: [
        { id: 'math', name: 'מצוינות במתמטיקה', leads: LEADS },
        { id: 'girls', name: 'בנות במדע', leads: ['ULEAD3'] },
      ],
    },
  },
};
const USERS = ['UDANA0001', 'UAVI00001', 'URINA0001', ...LEADS, 'ULEAD3', 'USTRANGER'];

/** A log line a listener or Bolt wrote at error level: a payload reached code that could not take it. */
export interface ListenerFailure {
  msg: string | undefined;
  err: unknown;
  body: string;
}

/**
 * The service's web app with Slack over HTTP as the service wires it (review and check-in listeners, a
 * Web API client on the Slack fake), over `database`: applications in review, one withdrawn, an open round.
 */
async function slackApp(database: OpenedDatabase) {
  const fake = await startSlackFake();
  const workflows = loadWorkflows(SETTINGS);
  const clock = () => new Date();
  const failures: ListenerFailure[] = [];
  let current = '';
  const warnings: Record<string, number> = {};
  const logger = {
    info() {},
    warn(_obj: object, msg?: string) {
      warnings[msg ?? ''] = (warnings[msg ?? ''] ?? 0) + 1;
    },
    error(obj: object, msg?: string) {
      failures.push({ msg, err: (obj as { err?: unknown }).err, body: current.slice(0, 2000) });
    },
  };
  const ctx = { db: database.db, workflows, clock, publicUrl: ORIGIN, poke: () => {} };
  const client = createSlackWebClient({ token: 'xoxb-fuzz', slackApiUrl: fake.url });
  const http = new HonoReceiver({ signingSecret: SIGNING_SECRET, clock, logger });
  // Every delivery Bolt is handed, kept until its listeners are done, so the next body waits for them.
  const inFlight = new Set<Promise<void>>();
  const receiver: Receiver = {
    init(app: App) {
      http.init({
        processEvent(event: ReceiverEvent) {
          const done = app.processEvent(event);
          const settled = done.then(
            () => {},
            () => {},
          );
          inFlight.add(settled);
          void settled.then(() => inFlight.delete(settled));
          return done;
        },
      } as App);
    },
    start: async () => {},
    stop: async () => {},
  };
  const { app: bolt, publishHome } = createSlackApp({
    token: 'xoxb-fuzz',
    client,
    slackApiUrl: fake.url,
    clock,
    logger,
    publicUrl: ORIGIN,
    teamId: 'TTEAM',
    receiver,
    review: slackReviewDeps(ctx, logger),
  });
  const quiet = { info() {}, warn() {}, error() {} };
  const checkinCtx = { ...ctx, slack: { dm: async () => ({ channel: 'D1', ts: '1.1' }) } as never, logger };
  registerCheckinListeners(bolt, { ctx: checkinCtx, client, publishHome });
  const unlimited = memoryRateLimiter({ limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 });
  const app = createApp({
    workflows,
    publicUrl: ORIGIN,
    clock,
    formTokens: formTokens('a-test-secret-of-enough-length'),
    limits: { ip: unlimited, email: unlimited },
    clientIp: () => '203.0.113.9',
    submit: (req) => submitApplication({ db: database.db, workflows, clock }, req),
    readiness: async () => ({}),
    logger: quiet,
    mounts: [{ path: '/slack', app: http.routes() }],
  });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const body = createdBody(
      await submitApplication(ctx, {
        cohortId: 'leading-team-2027',
        source: 'api',
        body: validBody({ email: `slack-fuzz${i}@example.org` }),
      }),
    );
    ids.push(body.id);
    // The last stays submitted: not yet in review, where no vote applies.
    if (i === 4) continue;
    await transition(database.db, {
      applicationId: body.id,
      from: ['submitted'],
      to: i === 3 ? 'withdrawn' : 'in_review',
      actor: 'system',
      at: clock(),
    });
  }
  const programme = workflows.programmes.get('negev-partnership');
  if (!programme) throw new Error('the fuzz programme is missing');
  const round = await openRound(checkinCtx, programme, weekOf(programme, clock()));
  return {
    app,
    ids,
    roundId: round.id,
    failures,
    warnings,
    fake,
    /** Sends one body signed now, and waits for every listener it started. */
    async send(body: string, contentType: string) {
      current = body;
      const res = await app.request('/slack/events', {
        method: 'POST',
        headers: { 'content-type': contentType, ...(await slackHeaders(body)) },
        body,
      });
      await res.arrayBuffer();
      while (inFlight.size > 0) await Promise.all(inFlight);
      return res;
    },
  };
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** The payloads, encodings and damage the property draws from, given the ids the database holds. */
function slackBodies(ids: string[], roundId: string) {
  const user = fc.oneof(
    { arbitrary: fc.constantFrom(...USERS).map((id) => ({ id, team_id: 'TTEAM' })), weight: 6 },
    { arbitrary: weird, weight: 1 },
  );
  const team = fc.oneof(
    { arbitrary: fc.constant({ id: 'TTEAM' }), weight: 6 },
    { arbitrary: fc.constantFrom({ id: 'TOTHER' }, { id: null }, null, 'TTEAM', {}), weight: 1 },
  );
  // Ids of applications in review, withdrawn and submitted, of a round, unknown, and not ids at all.
  const applicationId = fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 5 },
    {
      arbitrary: fc.constantFrom(roundId, `${roundId}|math`, `${roundId}|girls`, `${roundId}|nope`),
      weight: 2,
    },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
  );
  const actionId = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'vote_approve',
        'vote_reject',
        'vote_waitlist',
        'accept_waitlisted',
        'add_note',
        'open_dashboard',
        'checkin_answer',
      ),
      weight: 6,
    },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  );
  const ts = fc.oneof(
    fc.double({ min: 1, max: 2e9, noNaN: true }).map(String),
    fc.constantFrom('', 'NaN', '-1', '1e400', 'x'),
  );
  const action = fc.record(
    {
      type: fc.constantFrom('button', 'static_select', 'overflow'),
      action_id: actionId,
      block_id: fc.constantFrom('review', 'checkin'),
      value: applicationId,
      action_ts: ts,
    },
    { requiredKeys: ['action_id'] },
  );
  const blockActions = fc.record({
    type: fc.constant('block_actions'),
    team,
    api_app_id: fc.constantFrom('AAPP', 'AOTHER'),
    user,
    channel: fc.constantFrom({ id: 'CREVIEW01' }, { id: 'D0001' }),
    trigger_id: fc.string({ maxLength: 20 }),
    actions: fc.array(action, { minLength: 1, maxLength: 2 }),
  });
  const stateValue = fc.record(
    {
      value: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constant(null)),
      selected_option: fc.oneof(
        fc.constant(null),
        fc.record({ value: fc.constantFrom('green', 'yellow', 'red', 'blue') }),
      ),
    },
    { requiredKeys: [] },
  );
  const stateBlock = fc.record({ value: stateValue });
  const state = fc.record(
    {
      note: stateBlock,
      progress: stateBlock,
      next_steps: stateBlock,
      blockers: stateBlock,
      status: stateBlock,
      help_needed: stateBlock,
    },
    { requiredKeys: [] },
  );
  const viewSubmission = fc.record({
    type: fc.constant('view_submission'),
    team,
    api_app_id: fc.constant('AAPP'),
    user,
    view: fc.record({
      id: fc.string({ minLength: 1, maxLength: 12 }),
      hash: fc.string({ maxLength: 12 }),
      type: fc.constant('modal'),
      callback_id: fc.oneof(fc.constantFrom('review_note', 'checkin_answer'), fc.string({ maxLength: 20 })),
      private_metadata: applicationId,
      state: fc.record({ values: state }),
    }),
  });
  const viewClosed = viewSubmission.map((v) => ({ ...v, type: 'view_closed' }));
  const event = fc.record(
    {
      type: fc.oneof(
        { arbitrary: fc.constantFrom('app_home_opened', 'team_join'), weight: 4 },
        {
          arbitrary: fc.constantFrom('message', 'app_mention', 'member_joined_channel', 'reaction_added'),
          weight: 1,
        },
        { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
      ),
      user: fc.oneof(
        fc.constantFrom(...USERS),
        fc.record({
          id: fc.constantFrom(...USERS),
          profile: fc.record({ email: fc.oneof(fc.emailAddress(), fc.string()) }),
        }),
      ),
      channel: fc.constantFrom('D0001', 'CREVIEW01'),
      tab: fc.constantFrom('home', 'messages'),
      event_ts: ts,
    },
    { requiredKeys: ['type'] },
  );
  const eventCallback = fc.record({
    token: fc.constant('legacy'),
    team_id: fc.constantFrom('TTEAM', 'TOTHER'),
    api_app_id: fc.constant('AAPP'),
    type: fc.constant('event_callback'),
    event_id: fc.uuid().map((u) => `Ev${u}`),
    event_time: fc.nat(),
    event,
  });
  const urlVerification = fc.record({ type: fc.constant('url_verification'), challenge: weird });
  const shortcut = fc.record({
    type: fc.constantFrom('shortcut', 'message_action', 'block_suggestion', 'dialog_submission'),
    callback_id: fc.string({ maxLength: 20 }),
    user,
    team,
    trigger_id: fc.string({ maxLength: 20 }),
  });
  const damaged = (payload: fc.Arbitrary<unknown>) => mutated(payload, weird).map(({ body }) => body);
  const interactive = fc.oneof(blockActions, viewSubmission, viewClosed, shortcut);
  return fc.oneof(
    { arbitrary: damaged(interactive).map((p) => ({ body: interactivityBody(p), type: FORM })), weight: 6 },
    {
      arbitrary: damaged(fc.oneof(eventCallback, urlVerification)).map((p) => ({
        body: JSON.stringify(p),
        type: JSON_TYPE,
      })),
      weight: 4,
    },
    // JSON that is not an object, under either encoding.
    {
      arbitrary: fc.tuple(fc.jsonValue(), fc.boolean()).map(([v, asForm]) => ({
        body: asForm ? interactivityBody(v) : JSON.stringify(v),
        type: asForm ? FORM : JSON_TYPE,
      })),
      weight: 1,
    },
    // A payload field that is not JSON, a slash command's fields, and bytes under a wrong or no type.
    {
      arbitrary: fc
        .oneof(
          fc.string().map((s) => `payload=${encodeURIComponent(s)}`),
          fc.string().map((s) => `payload=${s}`),
          fc
            .record({
              command: fc.constantFrom('/kehila', '/x'),
              text: fc.string(),
              user_id: fc.constantFrom(...USERS),
            })
            .map((f) => new URLSearchParams(f).toString()),
        )
        .map((body) => ({ body, type: FORM })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(fc.string(), fc.constantFrom('text/plain', '', 'application/json; charset=utf-8', FORM))
        .map(([body, type]) => ({ body, type })),
      weight: 1,
    },
    // A huge string in an otherwise plausible payload.
    {
      arbitrary: fc.tuple(interactive, fc.integer({ min: 10_000, max: 400_000 })).map(([p, n]) => ({
        body: interactivityBody({ ...(p as object), huge: 'א'.repeat(n) }),
        type: FORM,
      })),
      weight: 1,
    },
  );
}

/**
 * Random Slack payloads, signed: no 5xx from the route, no error logged by a listener or by Bolt, and the
 * app still answers a plain url_verification afterwards. Returns what the listeners logged, for the report.
 */
export async function signedSlack(runs: number, tally: FuzzTally = newTally(), database?: OpenedDatabase) {
  const opened = database ?? (await openDatabase({ dataDir: 'memory' }));
  const target = await slackApp(opened);
  try {
    await fc.assert(
      fc.asyncProperty(slackBodies(target.ids, target.roundId), async ({ body, type }) => {
        const seen = target.failures.length;
        const res = await target.send(body, type);
        record(tally, res.status, `signed Slack body (${type || 'untyped'})`);
        const failure = target.failures[seen];
        if (failure)
          throw new Error(
            `a listener failed: ${failure.msg} ${String(failure.err)} on ${failure.body.slice(0, 300)}`,
          );
      }),
      { numRuns: runs },
    );
    const check = await target.send(
      JSON.stringify({ type: 'url_verification', challenge: 'still-here' }),
      JSON_TYPE,
    );
    if (check.status !== 200) throw new Error(`the app stopped answering: ${check.status}`);
    const votes = await opened.db
      .selectFrom('votes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return { warnings: target.warnings, votes: Number(votes.n) };
  } finally {
    await target.fake.close();
    if (!database) await opened.close();
  }
}
