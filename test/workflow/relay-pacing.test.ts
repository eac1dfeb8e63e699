import type { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay } from '../../src/jobs/relay.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { enqueue, type QueueName } from '../../src/storage/outbox.ts';
import { backends } from '../helpers/backends.ts';

/** A queue that only records what it was handed, round by round. */
function recordingQueue() {
  const rounds: string[][] = [];
  const queue = {
    async addBulk(jobs: { opts: { jobId: string } }[]) {
      rounds.push(jobs.map((j) => j.opts.jobId));
      return [];
    },
  } as unknown as Queue;
  return { queue, rounds };
}

/** A clock the test moves, and the waits the relay asked for, run when the test says. */
function heldTime() {
  let at = 1_000;
  const waits: { ms: number; run: () => void }[] = [];
  return {
    now: () => at,
    later: (run: () => void, ms: number) => waits.push({ ms, run }),
    advance: (ms: number) => {
      at += ms;
    },
    waits,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe.each(backends)('the outbox relay on $name', (backend) => {
  let database: OpenedDatabase;
  afterEach(async () => {
    await database?.close();
  });

  const setup = async () => {
    database = await backend.open();
    const intake = recordingQueue();
    const time = heldTime();
    const relay = createRelay({
      db: database.db,
      queues: { intake: intake.queue } as Record<QueueName, Queue>,
      clock: () => new Date(),
      logger: { warn: () => {} },
      gapMs: 25,
      now: time.now,
      later: time.later,
    });
    const intend = (ids: string[]) =>
      enqueue(
        database.db,
        ids.map((id) => ({ queue: 'intake', name: 'intake', jobId: `intake-${id}`, data: {} })),
        new Date(),
      );
    return { relay, rounds: intake.rounds, time, intend };
  };

  it('gathers the jobs of a busy moment into one round, and hands one over at once after a quiet one', async () => {
    const { relay, rounds, time, intend } = await setup();
    const busy = Array.from({ length: 8 }, (_, i) => `a${i}`);
    await intend(busy);
    relay.poke();
    await settle();
    expect(rounds).toEqual([busy.map((id) => `intake-${id}`)]);
    expect(time.waits).toEqual([]);

    // A round of eight: pokes within the gap wait for its end, and what was committed meanwhile goes in one.
    time.advance(5);
    for (const id of ['b', 'c', 'd']) {
      await intend([id]);
      relay.poke();
    }
    await settle();
    expect(rounds).toHaveLength(1);
    expect(time.waits.map((w) => w.ms)).toEqual([20]);
    time.advance(20);
    time.waits[0]?.run();
    await settle();
    expect(rounds.at(-1)).toEqual(['intake-b', 'intake-c', 'intake-d']);

    // That round carried three: the next poke, within the gap or not, runs at once.
    time.advance(1);
    await intend(['e']);
    relay.poke();
    await settle();
    expect(rounds.at(-1)).toEqual(['intake-e']);
    expect(time.waits).toHaveLength(1);
    await relay.stop();
  });

  it('runs nothing for a poke whose wait ends after it stopped', async () => {
    const { relay, rounds, time, intend } = await setup();
    const busy = Array.from({ length: 8 }, (_, i) => `a${i}`);
    await intend(busy);
    await relay.dispatch();
    await intend(['b']);
    relay.poke();
    await relay.stop();
    expect(time.waits).toHaveLength(1);
    time.waits[0]?.run();
    await settle();
    expect(rounds).toHaveLength(1);
  });
});
