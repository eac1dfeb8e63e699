import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobSpec, QueueName } from '../storage/outbox.ts';

/** What BullMQ holds under a job id: nothing, a job it gave up on, or one it still has (waiting to done). */
export type JobState = 'absent' | 'failed' | 'held';

const CHUNK = 1000;

/**
 * The state of every job id asked about, in one round trip per thousand: the job's hash exists or not, and
 * the id is in the failed set or not. The reconciler asks this before handing work back to the queues, so
 * that a backlog BullMQ still holds costs one lookup rather than an outbox update and an add per job.
 */
export async function jobStates(
  connection: Redis,
  queues: Record<QueueName, Queue>,
  specs: JobSpec[],
): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  for (let start = 0; start < specs.length; start += CHUNK) {
    const chunk = specs.slice(start, start + CHUNK);
    const pipeline = connection.pipeline();
    for (const spec of chunk) {
      const queue = queues[spec.queue];
      pipeline.exists(queue.toKey(spec.jobId));
      pipeline.zscore(queue.toKey('failed'), spec.jobId);
    }
    const replies = (await pipeline.exec()) ?? [];
    chunk.forEach((spec, i) => {
      const [existsErr, exists] = replies[2 * i] ?? [new Error('no reply')];
      const [failedErr, failedScore] = replies[2 * i + 1] ?? [new Error('no reply')];
      if (existsErr || failedErr) throw existsErr ?? failedErr;
      states.set(spec.jobId, failedScore !== null ? 'failed' : exists === 1 ? 'held' : 'absent');
    });
  }
  return states;
}
