import type { Kysely } from 'kysely';
import type { JobContext, Processor } from '../../src/jobs/runtime.ts';
import type { QueueName } from '../../src/storage/outbox.ts';
import type { Database } from '../../src/storage/schema.ts';

/**
 * Runs committed outbox rows in this process, in order, with the real processors: for tests of a transport
 * (Slack, the dashboard) that need the jobs a use case queued without a Redis and workers behind them.
 */
export function outboxRunner(
  db: Kysely<Database>,
  processors: Partial<Record<QueueName, Processor>>,
  accept: (job: JobContext) => boolean = () => true,
) {
  let chain: Promise<void> = Promise.resolve();
  const runOnce = async () => {
    const rows = await db
      .selectFrom('outbox')
      .select(['id', 'job_id', 'queue', 'payload'])
      .where('dispatched_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const { __name, ...data } = row.payload as Record<string, string | number>;
      const job: JobContext = {
        queue: row.queue as QueueName,
        id: row.job_id,
        name: String(__name),
        data,
        attempt: 1,
        lastAttempt: true,
      };
      await db.updateTable('outbox').set({ dispatched_at: new Date() }).where('id', '=', row.id).execute();
      const processor = processors[job.queue as QueueName];
      if (processor && accept(job)) await processor(job);
    }
  };
  return {
    /** Queues a run after the ones already asked for (what the relay's poke does in the service). */
    poke() {
      chain = chain.then(runOnce).catch(() => {});
    },
    /** Resolves once every run asked for so far is over. */
    settled: () => chain,
  };
}
