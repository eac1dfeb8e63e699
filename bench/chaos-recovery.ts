// What a worker's death costs in the chaos run, read from Redis and the database rather than from logs:
// which BullMQ jobs the dead worker held (its active jobs, known by the lock token that starts with its
// worker id), when each of them next started in another worker (the job's processedOn, which BullMQ sets
// each time a job becomes active), which calendar locks it held (their value names host/pid) and how long
// they stayed taken, and how many steps finished between one kill and the next.
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { OpenedDatabase } from '../src/storage/db.ts';
import { QUEUES } from '../src/storage/outbox.ts';
import { percentile } from './util.ts';

/** A worker process of the run: its pid and the ids of its BullMQ workers. */
export interface Victim {
  pid: number;
  workerIds: string[];
}

interface Orphan {
  queue: string;
  jobId: string;
  killedAt: number;
}

interface HeldLock {
  key: string;
  token: string;
  killedAt: number;
}

// The mutex's prefix (integrations/mutex.ts) and the calendar's key names (integrations/google/calendar.ts).
const CALENDAR_LOCKS = 'kehila:lock:calendar:*';

export function recoveryWatch(opts: { redis: Redis; prefix: string; database: OpenedDatabase }) {
  const { redis, prefix } = opts;
  const orphans: Orphan[] = [];
  const locks: HeldLock[] = [];
  const restartMs: number[] = [];
  // The death's two parts: until a stalled check puts the job back (the lock's lapse and the check's
  // interval), then until a worker takes it (the queue's wait), read from BullMQ's 'stalled' events.
  const detectMs: number[] = [];
  const queuedMs: number[] = [];
  const stalledAt = new Map<string, number>();
  const streamFrom = new Map<string, string>();
  const lockHeldMs: number[] = [];
  let lost = 0;
  let stepsAtLastKill: { at: number; done: number } | undefined;
  const stepsPerMinute: number[] = [];
  let orphansSeen = 0;
  let locksSeen = 0;

  const stepsDone = async () =>
    Number(
      (
        await sql<{ n: string }>`SELECT count(*) AS n FROM steps WHERE status IN ('done', 'skipped')`.execute(
          opts.database.db,
        )
      ).rows[0]?.n ?? 0,
    );

  /** Called right after the SIGKILL: the dead worker's locks stay in Redis until they lapse. */
  async function onKill(victim: Victim, killedAt: number): Promise<void> {
    const mine = (token: string | null) =>
      token !== null && victim.workerIds.some((id) => token.startsWith(`${id}:`));
    for (const queue of QUEUES) {
      const active = await redis.lrange(`${prefix}:${queue}:active`, 0, -1);
      if (active.length === 0) continue;
      const tokens = await redis.mget(active.map((id) => `${prefix}:${queue}:${id}:lock`));
      active.forEach((jobId, i) => {
        if (mine(tokens[i] ?? null)) orphans.push({ queue, jobId, killedAt });
      });
    }
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', CALENDAR_LOCKS, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const token = await redis.get(key);
        if (token?.includes(`/${victim.pid}:`)) locks.push({ key, token, killedAt });
      }
    } while (cursor !== '0');
    const done = await stepsDone();
    if (stepsAtLastKill && killedAt > stepsAtLastKill.at) {
      stepsPerMinute.push(((done - stepsAtLastKill.done) * 60_000) / (killedAt - stepsAtLastKill.at));
    }
    stepsAtLastKill = { at: killedAt, done };
  }

  async function readStalledEvents(): Promise<void> {
    for (const queue of QUEUES) {
      const from = streamFrom.get(queue) ?? '-';
      const entries = (await redis.xrange(`${prefix}:${queue}:events`, from, '+', 'COUNT', 5000)) as [
        string,
        string[],
      ][];
      for (const [id, fields] of entries) {
        if (id === from) continue;
        if (fields[1] === 'stalled') stalledAt.set(`${queue}/${fields[3]}`, Number(id.split('-')[0]));
      }
      const last = entries.at(-1)?.[0];
      if (last) streamFrom.set(queue, last);
    }
  }

  /** Looks once at every orphan not yet seen running again, and at every dead holder's lock. */
  async function poll(): Promise<void> {
    if (orphans.length > 0) await readStalledEvents();
    for (let i = orphans.length - 1; i >= 0; i--) {
      const o = orphans[i] as Orphan;
      const [processedOn] = await redis.hmget(`${prefix}:${o.queue}:${o.jobId}`, 'processedOn');
      if (processedOn === null) {
        // Gone from Redis: the flush, or a withdrawal removed the jobs of that person; not a restart.
        if (!(await redis.exists(`${prefix}:${o.queue}:${o.jobId}`))) {
          lost++;
          orphans.splice(i, 1);
        }
        continue;
      }
      if (Number(processedOn) > o.killedAt) {
        restartMs.push(Number(processedOn) - o.killedAt);
        const stalled = stalledAt.get(`${o.queue}/${o.jobId}`);
        if (stalled && stalled >= o.killedAt && stalled <= Number(processedOn)) {
          detectMs.push(stalled - o.killedAt);
          queuedMs.push(Number(processedOn) - stalled);
        }
        orphansSeen++;
        orphans.splice(i, 1);
      }
    }
    const now = Date.now();
    for (let i = locks.length - 1; i >= 0; i--) {
      const l = locks[i] as HeldLock;
      if ((await redis.get(l.key)) !== l.token) {
        lockHeldMs.push(now - l.killedAt);
        locksSeen++;
        locks.splice(i, 1);
      }
    }
  }

  const ms = (list: number[], p: number) => (list.length ? Math.round(percentile(list, p)) : null);
  return {
    onKill,
    poll,
    figures() {
      return {
        orphanedJobs: orphansSeen + orphans.length + lost,
        orphansRestarted: orphansSeen,
        orphansNotSeenAgain: orphans.length,
        orphansRemoved: lost,
        deathToRestartMsP50: ms(restartMs, 50),
        deathToRestartMsP95: ms(restartMs, 95),
        deathToRestartMsMax: restartMs.length ? Math.max(...restartMs) : null,
        deathToStalledCheckMsP50: ms(detectMs, 50),
        deathToStalledCheckMsP95: ms(detectMs, 95),
        stalledCheckToRestartMsP50: ms(queuedMs, 50),
        stalledCheckToRestartMsP95: ms(queuedMs, 95),
        stepsPerMinuteBetweenKillsP50: ms(stepsPerMinute, 50),
        stepsPerMinuteBetweenKillsP5: ms(stepsPerMinute, 5),
        calendarLocksHeldByTheDead: locksSeen + locks.length,
        calendarLockFreedAfterDeathMsP50: ms(lockHeldMs, 50),
        calendarLockFreedAfterDeathMsP95: ms(lockHeldMs, 95),
      };
    },
  };
}
