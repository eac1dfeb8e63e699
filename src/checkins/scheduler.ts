import { Queue, Worker } from 'bullmq';
import type { RedisTarget } from '../jobs/redis.ts';
import { producerConnection, workerConnection } from '../jobs/redis.ts';
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
  const workerRedis = workerConnection(opts.target);
  workerRedis.on('error', () => {});
  const worker = new Worker(
    'checkins',
    async () => {
      await tick(opts.ctx);
    },
    { connection: workerRedis, prefix: opts.prefix, concurrency: 1 },
  );
  worker.on('error', (err) => opts.ctx.logger.warn({ err: err.message }, 'check-in worker error'));
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
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
