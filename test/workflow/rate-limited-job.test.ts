import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { createQueues, type JobContext, startWorkers } from '../../src/jobs/runtime.ts';
import { eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';

describe('a job a remote rate-limits, on real Redis', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('waits out the Retry-After alone: the queue’s other jobs go on, and the wait is not an attempt', async () => {
    const target = { url: TEST_REDIS_URL };
    const prefix = randomPrefix('ratelimit');
    const queues = createQueues(target, prefix);
    const runs: { name: string; attempt: number; at: number }[] = [];
    const workers = startWorkers({
      target,
      prefix,
      // One at a time: had the 429 paused the queue, the calendar step would wait out the Retry-After too.
      concurrency: { steps: 1 },
      processors: {
        steps: async (job: JobContext) => {
          runs.push({ name: job.name, attempt: job.attempt, at: Date.now() });
          if (job.name === 'channels' && runs.filter((r) => r.name === 'channels').length === 1) {
            throw new AppError('rate_limited', 'conversations.invite: Slack rate limit', {
              retryable: true,
              retryAfterSeconds: 2,
            });
          }
        },
      },
      onExhausted: async () => {},
      logger: { warn: () => {}, error: () => {}, info: () => {} },
    });
    stops.push(async () => {
      await workers.close();
      for (const q of Object.values(queues.queues)) await q.obliterate({ force: true }).catch(() => {});
      await queues.close();
    });

    await queues.queues.steps.add('channels', {}, { jobId: 'channels-1' });
    await eventually(
      async () => runs.length,
      (n) => n >= 1,
    );
    await queues.queues.steps.add('calendar', {}, { jobId: 'calendar-1' });
    await eventually(
      async () => runs.length,
      (n) => n >= 3,
      10_000,
    );

    const [limited, calendar, again] = runs;
    expect(runs.map((r) => r.name)).toEqual(['channels', 'calendar', 'channels']);
    expect((calendar?.at ?? 0) - (limited?.at ?? 0)).toBeLessThan(1000);
    expect((again?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1900);
    expect(again?.attempt).toBe(1);
  });
});
