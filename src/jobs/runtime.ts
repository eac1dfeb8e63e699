import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../domain/errors.ts';
import { maskPersonalData } from '../domain/text.ts';
import { QUEUES, type QueueName } from '../storage/outbox.ts';
import { producerConnection, type RedisTarget, workerConnection } from './redis.ts';

export interface JobLogger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What a processor sees of a job: its name, ids, and whether this is the last attempt. */
export interface JobContext {
  /** A pipeline queue, or another that runs on the same runtime (the check-ins). */
  queue: string;
  id: string;
  name: string;
  data: Record<string, string | number>;
  attempt: number;
  lastAttempt: boolean;
}

export type Processor = (job: JobContext) => Promise<void>;

/** The job's name if its queue knows it; an unknown name fails for good, loudly, instead of passing. */
export function requireName<N extends string>(job: JobContext, names: readonly N[]): N {
  if ((names as readonly string[]).includes(job.name)) return job.name as N;
  throw new AppError('bad_request', `queue ${job.queue} has no job named ${job.name}`, { retryable: false });
}

/** The error with personal data masked in its message and stack. */
function masked(thrown: unknown): Error {
  const original = thrown instanceof Error ? thrown : new Error(String(thrown));
  const error = new Error(maskPersonalData(original.message));
  error.stack = maskPersonalData(original.stack ?? error.message);
  return error;
}

/** The application a job is about: jobs carry ids only. */
export function targetId(job: JobContext): string {
  return String(job.data.applicationId ?? '');
}

/** Called once when a job has failed for good, so the database can show the step as failed. */
export type ExhaustedHandler = (job: JobContext, error: Error) => Promise<void>;

export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential' as const, delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export interface QueueSet {
  queues: Record<QueueName, Queue>;
  close(): Promise<void>;
  connection: Redis;
}

/** The producers: one fail-fast connection shared by every queue. */
export function createQueues(
  target: RedisTarget,
  prefix: string,
  jobOptions: Partial<typeof DEFAULT_JOB_OPTIONS> = {},
): QueueSet {
  const connection = producerConnection(target);
  // Errors surface on the calls that fail; an unhandled 'error' event would crash the process.
  connection.on('error', () => {});
  const queues = Object.fromEntries(
    QUEUES.map((name) => {
      const q = new Queue(name, {
        connection,
        prefix,
        defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...jobOptions },
      });
      q.on('error', () => {});
      return [name, q];
    }),
  ) as Record<QueueName, Queue>;
  return {
    queues,
    connection,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close().catch(() => {})));
      connection.disconnect();
    },
  };
}

export interface WorkerOptions {
  target: RedisTarget;
  prefix: string;
  processors: Partial<Record<string, Processor>>;
  concurrency?: Partial<Record<string, number>>;
  onExhausted: ExhaustedHandler;
  logger: JobLogger;
  lockDurationMs?: number;
  /** How often each worker looks for jobs whose lock lapsed (their worker died); the lock's length if unset. */
  stalledIntervalMs?: number;
  /** How many deaths under it a job survives before it is failed (BullMQ's own default is 1). */
  maxStalledCount?: number;
}

const DEFAULT_CONCURRENCY: Record<string, number> = { intake: 8, review: 4, steps: 8, maintenance: 1 };

/**
 * Starts one worker per queue. Errors steer the job in this one place: a permanent AppError becomes an
 * UnrecoverableError (no retries), a rate-limited one is put off for the time the remote asked.
 */
export function startWorkers(opts: WorkerOptions): { workers: Worker[]; close(): Promise<void> } {
  const workers: Worker[] = [];
  for (const [queue, processor] of Object.entries(opts.processors) as [string, Processor][]) {
    const connection = workerConnection(opts.target);
    connection.on('error', () => {});
    const worker: Worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        const attempts = job.opts.attempts ?? 1;
        const ctx: JobContext = {
          queue,
          id: job.id ?? '',
          name: job.name,
          data: job.data as Record<string, string | number>,
          attempt: job.attemptsMade + 1,
          lastAttempt: job.attemptsMade + 1 >= attempts,
        };
        const started = Date.now();
        try {
          await processor(ctx);
          opts.logger.debug?.(
            { queue, job: ctx.id, attempt: ctx.attempt, ms: Date.now() - started },
            'job done',
          );
        } catch (thrown) {
          const appError = thrown instanceof AppError ? thrown : null;
          // A remote's answer can quote a person (an SMTP 550 names the address): masked before it is
          // logged, stored as the step's error, or handed to BullMQ as the failed reason and stack.
          const error = masked(thrown);
          if (appError?.code === 'rate_limited' && appError.options.retryAfterSeconds) {
            // Only this job waits out the remote's Retry-After: the queue's other jobs (a calendar step
            // behind a Slack 429) go on. Not an attempt: the job's tries are kept for real failures.
            await job.moveToDelayed(Date.now() + appError.options.retryAfterSeconds * 1000, token);
            throw new DelayedError();
          }
          const permanent = appError !== null && !appError.retryable;
          if (permanent || ctx.lastAttempt) {
            await opts
              .onExhausted(ctx, error)
              .catch((e: unknown) =>
                opts.logger.error(
                  { job: ctx.id, err: (e as Error).message },
                  'could not record a failed job',
                ),
              );
          }
          opts.logger.warn(
            { queue, job: ctx.id, attempt: ctx.attempt, permanent, err: error.message },
            'job failed',
          );
          if (permanent) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
      {
        connection,
        prefix: opts.prefix,
        concurrency: opts.concurrency?.[queue] ?? DEFAULT_CONCURRENCY[queue] ?? 1,
        // A shorter lock means the jobs of a crashed worker are taken up sooner; live workers renew it.
        ...(opts.lockDurationMs
          ? {
              lockDuration: opts.lockDurationMs,
              stalledInterval: opts.stalledIntervalMs ?? opts.lockDurationMs,
            }
          : {}),
        ...(opts.maxStalledCount !== undefined ? { maxStalledCount: opts.maxStalledCount } : {}),
      },
    );
    worker.on('error', (err) => opts.logger.warn({ queue, err: err.message }, 'worker error'));
    workers.push(worker);
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
