import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { jobStates } from '../../src/jobs/job-states.ts';
import { workerConnection } from '../../src/jobs/redis.ts';
import { createQueues } from '../../src/jobs/runtime.ts';
import { type JobSpec, jobs } from '../../src/storage/outbox.ts';
import { requeue } from '../../src/usecases/requeue.ts';
import { backends, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';

const ids = ['0b0a4c5e-0000-4000-8000-000000000001', '0b0a4c5e-0000-4000-8000-000000000002'];
const ID_HELD = ids[0] as string;
const ID_GONE = ids[1] as string;

describe('handing unfinished work back to the queues', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it.each(backends)(
    're-adds only what BullMQ lost and revives only what it gave up on ($name)',
    async (backend) => {
      const database = await backend.open();
      cleanups.push(() => database.close());
      const queues = createQueues({ url: TEST_REDIS_URL }, randomPrefix('rq'));
      cleanups.push(async () => {
        await Promise.all(Object.values(queues.queues).map((q) => q.obliterate({ force: true })));
        await queues.close();
      });
      const held = jobs.intake(ID_HELD);
      const gone = jobs.intake(ID_GONE);
      const failedCard = jobs.card(ID_HELD);
      await queues.queues.intake.add(held.name, held.data, { jobId: held.jobId });
      // A job BullMQ gave up on, failed by a real worker with no attempts left.
      const worker = new Worker(
        'review',
        async () => {
          throw new Error('given up');
        },
        { connection: workerConnection({ url: TEST_REDIS_URL }), prefix: queues.queues.review.opts.prefix },
      );
      cleanups.push(() => worker.close());
      const failedOnce = new Promise<void>((resolve) => worker.once('failed', () => resolve()));
      await queues.queues.review.add(failedCard.name, failedCard.data, {
        jobId: failedCard.jobId,
        attempts: 1,
      });
      await failedOnce;
      const specs: JobSpec[] = [held, gone, failedCard];

      const states = await jobStates(queues.connection, queues.queues, specs);
      expect(Object.fromEntries(states)).toEqual({
        [held.jobId]: 'held',
        [gone.jobId]: 'absent',
        [failedCard.jobId]: 'failed',
      });

      const revived: string[] = [];
      let pokes = 0;
      const ctx = (states: (list: JobSpec[]) => Promise<Map<string, 'absent' | 'failed' | 'held'>>) => ({
        db: database.db,
        poke: () => {
          pokes++;
        },
        revive: async (list: JobSpec[]) => {
          revived.push(...list.map((s) => s.jobId));
          return list.length;
        },
        jobStates: states,
      });
      await requeue(
        ctx((list) => jobStates(queues.connection, queues.queues, list)),
        specs,
        new Date(),
      );
      const outbox = await database.db.selectFrom('outbox').select(['job_id', 'dispatched_at']).execute();
      expect(outbox.map((r) => r.job_id)).toEqual([gone.jobId]);
      expect(outbox[0]?.dispatched_at).toBeNull();
      expect(revived).toEqual([failedCard.jobId]);
      expect(pokes).toBe(1);

      // Redis that cannot answer: everything goes back, as before the lookup existed.
      await requeue(
        ctx(async () => {
          throw new Error('Redis away');
        }),
        specs,
        new Date(),
      );
      const after = await database.db.selectFrom('outbox').select('job_id').orderBy('job_id').execute();
      expect(after.map((r) => r.job_id)).toEqual([failedCard.jobId, held.jobId, gone.jobId].sort());
      expect(revived).toHaveLength(4);
    },
  );
});
