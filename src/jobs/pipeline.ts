import { requestMeetingSyncs } from '../usecases/meeting-sync.ts';
import { reconcile } from '../usecases/reconcile.ts';
import { onExhausted, type PipelineContext, processors } from './index.ts';
import { jobStates } from './job-states.ts';
import { evictionPolicy, type RedisTarget } from './redis.ts';
import { createRelay, type Relay } from './relay.ts';
import { createQueues, type QueueSet, startWorkers } from './runtime.ts';

export interface PipelineOptions {
  target: RedisTarget;
  /** BullMQ key prefix; tests use a random one per run. */
  prefix: string;
  context: Omit<PipelineContext, 'poke'>;
  /** Run the workers and the reconciler here (worker and all-in-one processes). */
  workers: boolean;
  reconcileEveryMs?: number;
  relayPollMs?: number;
  concurrency?: Parameters<typeof startWorkers>[0]['concurrency'];
  /** Retry policy of every job (tests shorten the back-off). */
  jobOptions?: Parameters<typeof createQueues>[2];
  /** How long a worker's lock on a job lasts; a killed worker's jobs run again after about this long. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
}

export interface Pipeline {
  relay: Relay;
  queues: QueueSet;
  context: PipelineContext;
  /** The ids of this process's BullMQ workers; a job's lock token starts with its worker's id. */
  workerIds: string[];
  /** Runs the reconciler now (tests, and staff after an incident). */
  reconcileNow(): Promise<{ requeued: number }>;
  stop(): Promise<void>;
}

/** Starts the outbox relay, and in worker processes the workers and the reconciler's job scheduler. */
export async function startPipeline(opts: PipelineOptions): Promise<Pipeline> {
  const queues = createQueues(opts.target, opts.prefix, opts.jobOptions);
  const logger = opts.context.logger;
  const relay = createRelay({
    db: opts.context.db,
    queues: queues.queues,
    clock: opts.context.clock,
    logger,
  });
  const startedAt = opts.context.startedAt ?? opts.context.clock();
  const context: PipelineContext = {
    ...opts.context,
    startedAt,
    poke: relay.poke,
    async removeJobs(list) {
      for (const { queue, jobId } of list) {
        const q = queues.queues[queue as keyof typeof queues.queues];
        await q?.remove(jobId).catch(() => 0);
      }
    },
    jobStates: (specs) => jobStates(queues.connection, queues.queues, specs),
    async revive(specs) {
      let revived = 0;
      for (const spec of specs) {
        const job = await queues.queues[spec.queue].getJob(spec.jobId).catch(() => undefined);
        if (job && (await job.isFailed().catch(() => false))) {
          await job.retry('failed').catch(() => {});
          revived += 1;
        }
      }
      return revived;
    },
  };
  const policy = await evictionPolicy(queues.connection);
  if (policy && policy !== 'noeviction') {
    logger.warn(
      { maxmemoryPolicy: policy },
      'Redis maxmemory-policy is not noeviction: under memory pressure Redis may drop queued jobs. Set it to noeviction.',
    );
  }
  const timers: NodeJS.Timeout[] = [setInterval(() => relay.poke(), opts.relayPollMs ?? 1000)];
  let workers: ReturnType<typeof startWorkers> | undefined;
  if (opts.workers) {
    workers = startWorkers({
      target: opts.target,
      prefix: opts.prefix,
      processors: processors(context),
      onExhausted: onExhausted(context),
      logger,
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.lockDurationMs ? { lockDurationMs: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledIntervalMs: opts.stalledIntervalMs } : {}),
      ...(opts.maxStalledCount !== undefined ? { maxStalledCount: opts.maxStalledCount } : {}),
    });
    const every = opts.reconcileEveryMs ?? 60_000;
    // Upserted again on a timer: a flushed Redis loses the scheduler too, and this brings it back.
    const ensureScheduler = () =>
      queues.queues.maintenance
        .upsertJobScheduler('reconcile', { every }, { name: 'reconcile', data: {}, opts: { attempts: 1 } })
        .catch((error: unknown) =>
          logger.warn({ err: (error as Error).message }, 'reconciler schedule not set'),
        );
    await ensureScheduler();
    await queues.queues.maintenance
      .upsertJobScheduler(
        'retention',
        { pattern: '30 3 * * *', tz: 'Asia/Jerusalem' },
        { name: 'retention', data: {}, opts: { attempts: 3 } },
      )
      .catch((error: unknown) =>
        logger.warn({ err: (error as Error).message }, 'retention schedule not set'),
      );
    timers.push(setInterval(ensureScheduler, every));
    // A restart is how new settings arrive: meetings that changed with them are synced now, not a minute on.
    await requestMeetingSyncs(context, startedAt).catch((error: unknown) =>
      logger.warn({ err: (error as Error).message }, 'meeting sync not requested; the reconciler will'),
    );
  }
  for (const t of timers) t.unref();
  relay.poke();
  return {
    relay,
    queues,
    context,
    workerIds: workers?.workers.map((w) => w.id) ?? [],
    reconcileNow: () => reconcile(context),
    async stop() {
      for (const t of timers) clearInterval(t);
      await workers?.close();
      await relay.stop();
      await queues.close();
    },
  };
}
