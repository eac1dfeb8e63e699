// `npm run chaos`: 2 web and 2 worker processes on PostgreSQL and a private Redis, fake Slack and Google
// answering 429 and 5xx at random; submissions pour in while a worker is SIGKILLed every 2 s and Redis is
// flushed once. Then it counts what was lost or done twice. Exit code 1 if anything was.
import { type ChildProcess, fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { ApplicationStatus } from '../src/domain/lifecycle.ts';
import { openDatabase } from '../src/storage/db.ts';
import { startGoogleFake } from '../test/fakes/google.ts';
import { startSlackFake } from '../test/fakes/slack.ts';
import { startPrivateRedis } from '../test/helpers/redis-server.ts';
import { buttonClick, interactivityBody, slackHeaders } from '../test/helpers/slack-sign.ts';
import { leadingTeam2027 } from '../workflows/leading-team-2027.ts';
import { recoveryWatch } from './chaos-recovery.ts';
import { bundled, startFlags } from './util.ts';

const N = Number(process.env.CHAOS_N ?? process.argv[2] ?? 10_000);
const TOKEN = 'chaos-admin-token-0123456789abcdef';
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUT_MS = Number(process.env.CHAOS_TIMEOUT_MS ?? 25 * 60_000);
const log = (msg: string) => process.stderr.write(`chaos: ${msg}\n`);

const schema = `chaos_${randomBytes(4).toString('hex')}`;
const dataDir = await mkdtemp(join(tmpdir(), 'kehila-chaos-'));
const prefix = `chaos${randomBytes(3).toString('hex')}`;
const redis = await startPrivateRedis();
const slack = await startSlackFake();
const google = await startGoogleFake();
slack.randomFaults = 0.03;
google.randomFaults = 0.03;
// Each patch carries a meeting's whole attendee list: 10,000 runs' bodies outgrew this process's 4 GB heap.
google.keepBodies = false;
const database = await openDatabase({ url: DATABASE_URL, schema, poolSize: 4 });
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const channels = ['CCOHORT01', 'CCOHORT02', 'CCOHORT03'];
// Fewer places than applicants: once full, votes waitlist people, and each withdrawal proposes the earliest
// of them to the deciders (the driver then accepts, as a decider would).
const capacity = Math.floor(N * 0.8);
const settings = {
  cohorts: {
    'leading-team-2027': {
      capacity,
      review: {
        channel: 'CREVIEW01',
        reviewers: [
          { name: 'Dana', slackId: 'UDANA0001', email: 'dana@example.org' },
          { name: 'Rina', slackId: 'URINA0001', email: 'rina@example.org' },
        ],
      },
      onboarding: { slackChannels: channels },
    },
  },
};
const SLACK_SECRET = 'chaos-signing-secret-0123456789';
const env: Record<string, string | undefined> = {
  ...process.env,
  PORT: '0',
  LOG_LEVEL: 'warn',
  DATABASE_URL,
  DATA_DIR: dataDir,
  REDIS_URL: redis.url,
  ADMIN_TOKEN: TOKEN,
  SLACK_BOT_TOKEN: 'xoxb-chaos',
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  SLACK_API_URL: slack.url,
  GOOGLE_CALENDAR_ID: 'programme@example.org',
  GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({
    client_email: 'chaos@example.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }),
  GOOGLE_API_ROOT_URL: google.rootUrl,
  GOOGLE_TOKEN_URL: google.tokenUrl,
  CHAOS_SCHEMA: schema,
  CHAOS_PREFIX: prefix,
  CHAOS_SETTINGS: JSON.stringify(settings),
  // Recovery from a death is the service's defaults (JOB_LOCK_MS, JOB_STALLED_CHECK_MS, CALENDAR_LOCK_TTL_MS),
  // measured as they are. The lease is shorter than a deployment's because the flush loses every queued job
  // at once and the run waits for them; longer than the queue's wait, so a backlog is not re-added each round.
  STEP_LEASE_MS: process.env.STEP_LEASE_MS ?? '30000',
  RECONCILE_EVERY_MS: process.env.RECONCILE_EVERY_MS ?? '5000',
};

interface Proc {
  child: ChildProcess;
  port: number;
  workerIds: string[];
}
// Every child ever started, so none outlives the run, even one that came up after its slot was killed again.
const children = new Set<ChildProcess>();
// The children run the bundle, as `npm start` does: a replacement worker is up in well under a second.
const script = bundled('chaos-process');
const killAll = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.once('exit', killAll);
function spawn(
  role: 'web' | 'worker',
  spare = false,
): { child: ChildProcess; loaded: Promise<void>; ready: Promise<Proc> } {
  const child = fork(script, spare ? [role, 'spare'] : [role], {
    execArgv: startFlags(),
    env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.add(child);
  let out = '';
  let onLoaded = () => {};
  const loaded = new Promise<void>((r) => {
    onLoaded = r;
  });
  const ready = new Promise<Proc>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('LOADED')) onLoaded();
      const m = /READY \w+ (\d+) (\S+)\n/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), workerIds: (m[2] ?? '').split(',') });
    });
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
  ready.catch(() => {});
  return { child, loaded, ready };
}
const start = (role: 'web' | 'worker') => spawn(role).ready;

const webs = await Promise.all([start('web'), start('web')]);
// Workers that are up, oldest first.
const workers: Proc[] = await Promise.all([start('worker'), start('worker')]);
log(`${webs.length} web and ${workers.length} worker processes; ${N} submissions`);

for (let i = 0; i < N; i++) slack.users.set(`chaos${i}@example.org`, `UC${i.toString(36).toUpperCase()}`);
let kills = 0;
const admin = new Redis(redis.url, { protocol: 2 });
const recovery = recoveryWatch({ redis: admin, prefix, database });
// Serialised: one look at Redis at a time, so a slow look never overlaps the next.
let watching = Promise.resolve();
const watch = (fn: () => Promise<void>) => {
  watching = watching.then(fn).catch((e: unknown) => {
    log(`recovery watch: ${(e as Error).message}`);
  });
};
const watcher = setInterval(() => watch(recovery.poll), 200);
const spawnSpare = () => {
  const s = spawn('worker', true);
  s.loaded.then(() => {
    spareLoaded = true;
  });
  return s;
};
let spareLoaded = false;
let spare = spawnSpare();
const killer = setInterval(() => {
  // Only a worker that is up is killed, and only while two are: the run keeps two workers, not more.
  if (workers.length < 2) return;
  const victim = workers.shift();
  if (!victim) return;
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  kills++;
  watch(() => recovery.onKill({ pid: victim.child.pid ?? 0, workerIds: victim.workerIds }, killedAt));
  // The spare takes over at once when it is loaded; otherwise a fresh process starts.
  const next = spareLoaded ? spare : spawn('worker');
  if (next === spare) {
    spare.child.send('go');
    spareLoaded = false;
    spare = spawnSpare();
  }
  next.ready.then(
    (w) => {
      workers.push(w);
    },
    () => {},
  );
}, 2000);

const started = Date.now();
let next = 0;
let acknowledged = 0;
let refused = 0;
// By HTTP status, or by the error's code when no answer came: each one is a person told to try again.
const refusals: Record<string, number> = {};
// Attempts that got no answer at all, by error code, whether or not a later attempt got through.
const unanswered: Record<string, number> = {};
const body = (i: number) =>
  JSON.stringify({
    fullName: `מועמד/ת ${i}`,
    email: `chaos${i}@example.org`,
    phone: '050-7234567',
    organisation: 'עיריית ירוחם',
    roleTitle: 'מנהל/ת',
    sector: 'local-authority',
    region: 'south',
    motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
    confirmedMeetings: ['opening-day', 'online-1', 'online-2', 'online-3', 'closing-day'],
    consent: true,
  });
let flushed = false;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next < N) {
      const i = next++;
      const web = webs[i % webs.length]!;
      // A connection the server closed as the request left (an idle keep-alive socket) is no answer: sent
      // again under the same Idempotency-Key, as any client would, it is still one application.
      let res: Response | null = null;
      for (let attempt = 0; attempt < 3 && !res; attempt++) {
        res = await fetch(`http://127.0.0.1:${web.port}/api/cohorts/leading-team-2027/applications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `chaos-${i}` },
          body: body(i),
        }).catch((error: unknown) => {
          const cause = (error as { cause?: { code?: string } }).cause;
          const code = cause?.code ?? (error as Error).name;
          unanswered[code] = (unanswered[code] ?? 0) + 1;
          return null;
        });
      }
      if (res && res.status < 300) acknowledged++;
      else {
        refused++;
        const why = res ? String(res.status) : 'no answer in 3 attempts';
        refusals[why] = (refusals[why] ?? 0) + 1;
      }
      await res?.arrayBuffer();
      if (!flushed && i > N * 0.4) {
        flushed = true;
        await admin.flushall();
        log('Redis flushed');
      }
    }
  }),
);
log(`${acknowledged} acknowledged in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const count = async (status: string) =>
  Number(
    (
      await database.db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', status as ApplicationStatus)
        .executeTakeFirstOrThrow()
    ).n,
  );
const adminPost = (path: string, payload: unknown) =>
  fetch(`http://127.0.0.1:${webs[0]!.port}/admin/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  }).then((r) => r.arrayBuffer());
/** A reviewer's click on the card's approve button, signed as Slack signs it, on one of the web processes. */
const slackVote = async (web: number, user: string, applicationId: string) => {
  const body = interactivityBody(buttonClick({ user, actionId: 'vote_approve', value: applicationId }));
  await fetch(`http://127.0.0.1:${webs[web]!.port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(await slackHeaders(body, { secret: SLACK_SECRET })),
    },
    body,
  }).then((r) => r.arrayBuffer());
};
const voted = new Set<string>();
// One in ten accepted people withdraws: half at once, while their onboarding steps are still running, half
// once onboarded. Every one of them must end on no meeting and in no channel.
const withdrawals = new Map<string, 'mid' | 'after'>();
const withdrawn = new Set<string>();
const emailOf = new Map<string, string>();
const promoted = new Set<string>();
let moved = false;
const movedSettings = {
  cohorts: {
    'leading-team-2027': {
      ...settings.cohorts['leading-team-2027'],
      meetings: leadingTeam2027.meetings.map((m) =>
        m.id === 'online-2' ? { ...m, start: '2027-04-18T18:00', end: '2027-04-18T20:00' } : m,
      ),
    },
  },
};
let lastReport = Date.now();
// Whether the run settled before CHAOS_TIMEOUT_MS: an unfinished run reports its figures as they stood.
let finished = false;
/** Whether the Google event of the moved meeting shows its new time. */
const movedMeetingSynced = async () =>
  [...google.events.values()].some((e) => e.start?.dateTime?.startsWith('2027-04-18T18:00'));
const cardsStored = async () =>
  Number(
    (
      await database.db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('card_ts', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
while (Date.now() - started < TIMEOUT_MS) {
  const inReview = await database.db
    .selectFrom('applications')
    .select('id')
    .where('status', '=', 'in_review')
    .execute();
  for (const { id } of inReview) {
    if (voted.has(id)) continue;
    voted.add(id);
    // Reviewers vote as themselves, by clicking the card in Slack: the token can never vote.
    await slackVote(0, 'UDANA0001', id);
    await slackVote(1, 'URINA0001', id);
    if (voted.size % 10 === 3) withdrawals.set(id, voted.size % 20 === 3 ? 'mid' : 'after');
    if (withdrawals.get(id) === 'mid') {
      await adminPost(`/applications/${id}/withdraw`, { reason: 'chaos: mid-onboarding' });
      withdrawn.add(id);
    }
  }
  // The waitlisted people a withdrawal proposed are taken in by a decision, as a decider's click would.
  const proposed = await database.db
    .selectFrom('applications')
    .select('id')
    .where('status', '=', 'waitlisted')
    .where('flags', '@>', JSON.stringify(['proposed_from_waitlist']) as never)
    .execute();
  for (const { id } of proposed) {
    if (promoted.has(id)) continue;
    promoted.add(id);
    await adminPost(`/applications/${id}/decision`, { outcome: 'accepted', reason: 'chaos: a place opened' });
  }
  // Halfway, a meeting moves: workers started from now on run with the new settings (the web processes
  // keep theirs, so intake never refuses), and the meeting sync patches the event for everyone on it.
  if (!moved && voted.size >= acknowledged / 2) {
    moved = true;
    env.CHAOS_SETTINGS = JSON.stringify(movedSettings);
    log('online-2 moved to 2027-04-18 18:00 for every worker started from now on');
  }
  const leavers = [...withdrawals].filter(([id, when]) => when === 'after' && !withdrawn.has(id));
  if (leavers.length > 0) {
    const ready = await database.db
      .selectFrom('applications')
      .select('id')
      // Someone the full cohort waitlisted may give up waiting too.
      .where('status', 'in', ['onboarded', 'waitlisted'])
      .where(
        'id',
        'in',
        leavers.map(([id]) => id),
      )
      .execute();
    for (const { id } of ready) {
      await adminPost(`/applications/${id}/withdraw`, { reason: 'chaos: after onboarding' });
      withdrawn.add(id);
    }
  }
  const onboarded = await count('onboarded');
  const carded = await cardsStored();
  // A withdrawal is finished when its removals and its notice are.
  const leftDone = Number(
    (
      await sql<{ n: string }>`
        SELECT count(*) AS n FROM applications a WHERE a.status = 'withdrawn' AND NOT EXISTS (
          SELECT 1 FROM steps s WHERE s.application_id = a.id
          AND s.step IN ('unenroll', 'leave', 'notice') AND s.status NOT IN ('done', 'skipped'))`.execute(
        database.db,
      )
    ).rows[0]?.n ?? 0,
  );
  const everyoneAsked = withdrawn.size === withdrawals.size;
  const waiting = await count('waitlisted');
  const settled =
    everyoneAsked && moved && onboarded + leftDone + waiting >= acknowledged && carded >= acknowledged;
  // Done when nobody is left half-way, no proposal waits for its decision, and the moved meeting is synced.
  if (settled && proposed.every((p) => promoted.has(p.id)) && (await movedMeetingSynced())) {
    finished = true;
    break;
  }
  if (Date.now() - lastReport > 10_000) {
    lastReport = Date.now();
    const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
    log(
      `${onboarded}/${acknowledged} onboarded, ${carded} review cards, ${kills} workers killed, driver heap ${heapMb} MB`,
    );
  }
  await new Promise((r) => setTimeout(r, 500));
}
clearInterval(killer);
clearInterval(watcher);
// The last deaths' orphans are given the time they need to run again before the figures are read.
const lastLook = Date.now() + 15_000;
while (Date.now() < lastLook && recovery.figures().orphansNotSeenAgain > 0) {
  watch(recovery.poll);
  await watching;
  await new Promise((r) => setTimeout(r, 200));
}
await watching;

const total = Number(
  (
    await database.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);
const onboarded = await count('onboarded');
const withdrawnCount = await count('withdrawn');
const waitlisted = await count('waitlisted');
const enrolledRows = await database.db
  .selectFrom('applications')
  .select((eb) => eb.fn.countAll<string>().as('n'))
  .where('status', 'in', ['accepted', 'onboarding', 'onboarded'])
  .executeTakeFirstOrThrow();
const enrolled = Number(enrolledRows.n);
const movedEvents = [...google.events.values()].filter((e) =>
  e.start?.dateTime?.startsWith('2027-04-18T18:00'),
);
const staleEvents = [...google.events.values()].filter((e) =>
  e.start?.dateTime?.startsWith('2027-04-15T17:00'),
);
const rows = await database.db.selectFrom('applications').select(['id', 'email', 'status']).execute();
for (const r of rows) if (r.email) emailOf.set(r.id, r.email);
const leaverEmails = new Set([...withdrawn].map((id) => emailOf.get(id) ?? ''));
const leaverSlackIds = new Set([...leaverEmails].map((e) => slack.users.get(e) ?? ''));
const doubles = await sql<{ n: string }>`
  SELECT count(*) AS n FROM (
    -- A person waitlisted and later taken in was decided twice, with two outcomes: that is no double.
    SELECT application_id, type, data->>'outcome' FROM application_events
    WHERE type IN ('screened', 'decided', 'status_onboarding', 'status_onboarded', 'status_withdrawn')
    GROUP BY application_id, type, data->>'outcome' HAVING count(*) > 1) d`.execute(database.db);
const cardsPer = new Map<string, number>();
for (const m of slack.messages) {
  const app = m.metadata?.event_payload?.application_id;
  if (typeof app === 'string') cardsPer.set(app, (cardsPer.get(app) ?? 0) + 1);
}
let duplicateAttendees = 0;
let attendeeCounts: number[] = [];
let leaversOnMeetings = 0;
for (const event of google.events.values()) {
  const emails = (event.attendees ?? []).map((a) => a.email.toLowerCase());
  duplicateAttendees += emails.length - new Set(emails).size;
  leaversOnMeetings += emails.filter((e) => leaverEmails.has(e)).length;
  attendeeCounts = [...attendeeCounts, emails.length];
}
const invites = slack.calls.filter((c) => c.method === 'conversations.invite');
const files = await readdir(join(dataDir, 'outbox')).then(
  (names) => names.filter((f) => f.endsWith('.eml')),
  () => [] as string[],
);
const mails = files.length;
// Who stayed has "received" and "accepted"; who
// waits has "received" and "waitlisted"; who left has "withdrawn" (a withdrawal cancels the notices not yet
// sent, so the others may or may not have gone out before).
const mailsMissing = rows.filter((r) => {
  const has = (kind: string) => files.includes(`${kind}-${r.id}.eml`);
  if (r.status === 'withdrawn') return !has('withdrawn');
  if (r.status === 'waitlisted') return !has('received') || !has('waitlisted');
  // (Someone taken in before their waitlist notice went out gets the acceptance alone.)
  return !has('received') || !has('accepted');
}).length;
const membersPerChannel = channels.map(
  (c) => [...(slack.members.get(c) ?? [])].filter((u) => u.startsWith('UC')).length,
);
const leaversInChannels = channels.reduce(
  (n, c) => n + [...(slack.members.get(c) ?? [])].filter((u) => leaverSlackIds.has(u)).length,
  0,
);
const figures = {
  submissions: N,
  acknowledged,
  refusedOrUnanswered: refused,
  refusals,
  attemptsUnanswered: unanswered,
  stored: total,
  lost: acknowledged - total,
  onboarded,
  withdrawn: withdrawnCount,
  withdrawnMidOnboarding: [...withdrawn].filter((id) => withdrawals.get(id) === 'mid').length,
  waitlisted,
  capacity,
  promotedFromWaitlist: promoted.size,
  notOnboarded: total - onboarded - withdrawnCount - waitlisted,
  movedMeetingEvents: movedEvents.length,
  staleMeetingEvents: staleEvents.length,
  movedMeetingAttendees: movedEvents[0]?.attendees?.length ?? 0,
  leaversOnMeetings,
  leaversInChannels,
  doubleTransitions: Number(doubles.rows[0]?.n ?? 0),
  duplicateReviewCards: [...cardsPer.values()].filter((n) => n > 1).length,
  applicationsWithoutCard: total - cardsPer.size,
  duplicateAttendees,
  attendeesPerMeeting: attendeeCounts,
  inviteCalls: invites.length,
  membersPerChannel,
  // One "received" and one "accepted" e-mail each; a repeat would be a second file.
  emails: mails,
  emailsMissing: mailsMissing,
  workerKills: kills,
  seconds: Math.round((Date.now() - started) / 1000),
  onboardedPerMinute: Math.round((onboarded * 60_000) / (Date.now() - started)),
  recovery: recovery.figures(),
};
console.log(JSON.stringify(figures, null, 2));
const ok =
  refused === 0 &&
  figures.lost === 0 &&
  figures.notOnboarded === 0 &&
  figures.doubleTransitions === 0 &&
  figures.duplicateReviewCards === 0 &&
  figures.duplicateAttendees === 0 &&
  withdrawnCount === withdrawn.size &&
  enrolled <= capacity &&
  onboarded === Math.min(capacity, total - withdrawnCount) &&
  movedEvents.length === 1 &&
  staleEvents.length === 0 &&
  leaversOnMeetings === 0 &&
  leaversInChannels === 0 &&
  attendeeCounts.every((n) => n === onboarded) &&
  membersPerChannel.every((n) => n === onboarded) &&
  mailsMissing === 0;
if (!finished) console.log(`chaos: not settled within ${TIMEOUT_MS / 1000} s; the figures are as they stood`);
console.log(ok ? 'chaos: 0 lost, 0 done twice' : 'chaos: INVARIANT BROKEN');

killAll();
admin.disconnect();
await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
await database.close();
await slack.close();
await google.close();
await redis.stop();
await rm(dataDir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
