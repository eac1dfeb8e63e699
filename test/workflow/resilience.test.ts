import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { castVote, decide } from '../../src/usecases/review.ts';
import { backends, eventually } from '../helpers/backends.ts';
import { recordingCalendar, recordingCards, recordingSlack } from '../helpers/fakes.ts';
import { reviewSettings, startTestPipeline } from '../helpers/pipeline.ts';
import { startPrivateRedis } from '../helpers/redis-server.ts';

const postgres = backends.find((b) => b.name === 'postgres')!;

async function countByStatus(db: Awaited<ReturnType<typeof postgres.open>>['db']) {
  const rows = await db.selectFrom('applications').select('status').execute();
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

async function doubleTransitions(db: Awaited<ReturnType<typeof postgres.open>>['db']) {
  const rows = await db
    .selectFrom('application_events')
    .select(['application_id', 'type', (eb) => eb.fn.countAll<string>().as('n')])
    .where('type', 'in', ['screened', 'decided', 'status_onboarding', 'status_onboarded'])
    .groupBy(['application_id', 'type'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  return rows.length;
}

describe('nothing lost, nothing twice', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it.each(backends)('restores every pending step after Redis is flushed mid-run ($name)', async (backend) => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const database = await backend.open();
    cleanups.push(() => database.close());
    let offset = 0;
    const calendar = recordingCalendar();
    const cards = recordingCards();
    const t = await startTestPipeline({
      database,
      redisUrl: redis.url,
      calendar,
      slack: recordingSlack(),
      cards,
      clock: () => new Date(Date.now() + offset),
      reconcileEveryMs: 300,
    });
    cleanups.push(() => t.stop());
    const admin = new Redis(redis.url);
    cleanups.push(async () => admin.disconnect());

    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await t.submit()).id);
    await eventually(
      () => countByStatus(t.db),
      (c) => (c.in_review ?? 0) >= 5,
      20_000,
    );
    await admin.flushall();
    offset += 120_000;
    const reviewed = await eventually(
      () => countByStatus(t.db),
      (c) => c.in_review === 40,
      30_000,
    );
    expect(reviewed).toEqual({ in_review: 40 });

    for (const id of ids)
      await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
    await eventually(
      () => countByStatus(t.db),
      (c) => (c.onboarded ?? 0) >= 3,
      20_000,
    );
    await admin.flushall();
    offset += 120_000;
    const done = await eventually(
      () => countByStatus(t.db),
      (c) => c.onboarded === 40,
      40_000,
    );
    expect(done).toEqual({ onboarded: 40 });
    expect(await doubleTransitions(t.db)).toBe(0);
    expect(t.mail.sent.size).toBe(80);
    for (const attendees of calendar.attendees.values()) expect(attendees).toHaveLength(40);
    expect(cards.cards.size).toBe(40);
  });

  it('loses nothing and does nothing twice while the worker process is SIGKILLed again and again', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const database = await postgres.open();
    cleanups.push(() => database.close());
    const outbox = await mkdtemp(join(tmpdir(), 'kehila-kill-'));
    cleanups.push(() => rm(outbox, { recursive: true, force: true }));
    const settings = reviewSettings();
    // This process is the web side: it submits, votes and relays; the workers live in the child.
    const t = await startTestPipeline({ database, redisUrl: redis.url, workers: false, settings });
    cleanups.push(() => t.stop());

    let child: ChildProcess | undefined;
    let readyAt = 0;
    const spawnWorker = () => {
      readyAt = 0;
      child = fork(join(import.meta.dirname, 'worker-process.ts'), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        env: {
          ...process.env,
          KILL_DATABASE_URL: database.url,
          KILL_SCHEMA: database.schema,
          KILL_REDIS_URL: redis.url,
          KILL_PREFIX: t.prefix,
          KILL_OUTBOX: outbox,
          KILL_SETTINGS: JSON.stringify(settings),
          KILL_CLOCK_OFFSET_MS: '120000',
        },
      });
      child.on('message', () => {
        readyAt = Date.now();
      });
    };
    spawnWorker();
    // Each worker gets about a second of real work before it is killed mid-job; after ten kills the last
    // one is left to finish, so the test shows recovery rather than a race against the killer.
    let kills = 0;
    const killer = setInterval(() => {
      if (kills >= 10 || readyAt === 0 || Date.now() - readyAt < 1000) return;
      child?.kill('SIGKILL');
      kills += 1;
      spawnWorker();
    }, 100);
    cleanups.push(async () => {
      clearInterval(killer);
      child?.kill('SIGKILL');
    });

    // Applications arrive in ten waves, one per kill, so every worker dies with work of every stage in hand.
    const ids: string[] = [];
    let wavesAtKill = -1;
    const voted = new Set<string>();
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      if (ids.length < 100 && kills > wavesAtKill) {
        wavesAtKill = kills;
        for (let i = 0; i < 10; i++) ids.push((await t.submit()).id);
      }
      const inReview = await t.db
        .selectFrom('applications')
        .select('id')
        .where('status', '=', 'in_review')
        .execute();
      for (const { id } of inReview) {
        if (voted.has(id)) continue;
        voted.add(id);
        await castVote(t.reviewCtx, {
          applicationId: id,
          reviewer: { slackId: 'UDANA0001' },
          vote: 'approve',
        });
        await castVote(t.reviewCtx, {
          applicationId: id,
          reviewer: { slackId: 'URINA0001' },
          vote: 'approve',
        });
      }
      const counts = await countByStatus(t.db);
      const open = await t.db
        .selectFrom('steps')
        .select('step')
        .where('status', 'not in', ['done', 'skipped'])
        .execute();
      if (ids.length === 100 && counts.onboarded === 100 && open.length === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    clearInterval(killer);
    expect(kills).toBeGreaterThanOrEqual(9);
    expect(await countByStatus(t.db)).toEqual({ onboarded: 100 });
    expect(await doubleTransitions(t.db)).toBe(0);
    const steps = await t.db.selectFrom('steps').select(['status']).execute();
    expect(steps).toHaveLength(400);
    expect(steps.every((s) => s.status === 'done' || s.status === 'skipped')).toBe(true);
    // Without Slack the reviewers are asked by e-mail too; the applicants' notices go once each.
    const files = (await readdir(outbox)).filter((f) => /^(received|accepted)-.*\.eml$/.test(f));
    expect(files).toHaveLength(200);
    for (const id of ids) {
      expect(files).toContain(`received-${id}.eml`);
      expect(files).toContain(`accepted-${id}.eml`);
    }
  }, 180_000);
});
