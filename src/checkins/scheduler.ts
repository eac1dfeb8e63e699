import { Queue } from 'bullmq';
import type { RedisTarget } from '../jobs/redis.ts';
import { producerConnection } from '../jobs/redis.ts';
import { requireName, startWorkers } from '../jobs/runtime.ts';
import { type CheckinContext, tick } from './rounds.ts';

/**
 * A BullMQ job scheduler fires a tick every five minutes, Israel time; the tick asks the schedule what is
 * due. Upserting the same scheduler from several processes leaves one scheduler, and the database's
 * unique rows and conditional updates make a tick that runs twice do nothing twice.
 */
export async function startCheckins(opts: {
  target: RedisTarget;
  prefix: string;
  ctx: CheckinContext;
  pattern?: string;
}): Promise<{ queue: Queue; stop(): Promise<void> }> {
  const connection = producerConnection(opts.target);
  connection.on('error', () => {});
  const queue = new Queue('checkins', { connection, prefix: opts.prefix });
  queue.on('error', () => {});
  // The shared runtime steers a failed tick like any other job (a Slack rate limit pauses the queue).
  const workers = startWorkers({
    target: opts.target,
    prefix: opts.prefix,
    processors: {
      checkins: async (job) => {
        requireName(job, ['tick']);
        await tick(opts.ctx);
      },
    },
    concurrency: { checkins: 1 },
    onExhausted: async (job, error) =>
      opts.ctx.logger.error({ job: job.id, err: error.message }, 'check-in tick failed for good'),
    logger: opts.ctx.logger,
  });
  const ensure = () =>
    queue
      .upsertJobScheduler(
        'checkins-tick',
        { pattern: opts.pattern ?? '*/5 * * * *', tz: 'Asia/Jerusalem' },
        {
          name: 'tick',
          data: {},
          opts: {
            attempts: 3,
            backoff: { type: 'exponential', delay: 5000 },
            removeOnComplete: 100,
            removeOnFail: 100,
          },
        },
      )
      .catch((error: unknown) =>
        opts.ctx.logger.warn({ err: (error as Error).message }, 'check-in schedule not set'),
      );
  await ensure();
  const timer = setInterval(ensure, 10 * 60_000);
  timer.unref();
  return {
    queue,
    async stop() {
      clearInterval(timer);
      await workers.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
