import type { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import type { QueueName } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';

export interface RelayLogger {
  warn(obj: object, msg?: string): void;
}

export interface Relay {
  /** Dispatches every pending outbox row now; returns how many were handed to BullMQ. */
  dispatch(): Promise<number>;
  /** Asks for a dispatch soon; calls within the same tick share one. */
  poke(): void;
  stop(): Promise<void>;
}

/**
 * Hands committed outbox rows to BullMQ. Rows are marked only after Redis accepted them; when Redis is
 * away they stay pending and the next poke, poll or reconciler run tries again. Job ids are deterministic,
 * so a row dispatched twice (two relays, a crash before marking) is still one job.
 */
export function createRelay(opts: {
  db: Kysely<Database>;
  queues: Record<QueueName, Queue>;
  clock: () => Date;
  logger: RelayLogger;
  batch?: number;
  /**
   * The least time between the starts of two poked rounds once a round has carried `busyRows` or more.
   * Under a stream of submissions a round every few milliseconds would read, enqueue and mark a handful of
   * rows each time, each mark one more commit; a round per gap carries them all at the cost of one. After a
   * round of a few rows (a quiet moment, or one application's next job) a poke still runs at once, so the
   * hops of one application through the pipeline never wait for the gap.
   */
  gapMs?: number;
  busyRows?: number;
  /** Time and timers, passed in so a test decides when a gap ends. */
  now?: () => number;
  later?: (run: () => void, ms: number) => void;
}): Relay {
  const batch = opts.batch ?? 500;
  const gapMs = opts.gapMs ?? 25;
  const busyRows = opts.busyRows ?? 8;
  const now = opts.now ?? (() => performance.now());
  const later = opts.later ?? ((run, ms) => setTimeout(run, ms));
  let running: Promise<number> | null = null;
  let again = false;
  let scheduled = false;
  let stopped = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let lastRows = 0;

  async function once(): Promise<number> {
    const rows = await opts.db
      .selectFrom('outbox')
      .select(['id', 'job_id', 'queue', 'payload', 'available_at', 'created_at'])
      .where('dispatched_at', 'is', null)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return 0;
    const now = opts.clock().getTime();
    const byQueue = new Map<QueueName, typeof rows>();
    for (const row of rows) {
      const list = byQueue.get(row.queue as QueueName) ?? [];
      list.push(row);
      byQueue.set(row.queue as QueueName, list);
    }
    const done: string[] = [];
    for (const [name, list] of byQueue) {
      const queue = opts.queues[name];
      if (!queue) continue;
      try {
        await queue.addBulk(
          list.map((row) => {
            const { __name, ...data } = row.payload as Record<string, string | number>;
            // Measured against the writer's own clock too: a job meant to run at once must not wait
            // because this process's clock is behind the writer's.
            const at = new Date(row.available_at).getTime();
            const delay = Math.max(0, Math.min(at - now, at - new Date(row.created_at).getTime()));
            return { name: String(__name ?? name), data, opts: { jobId: row.job_id, delay } };
          }),
        );
        done.push(...list.map((r) => r.id));
      } catch (error) {
        opts.logger.warn({ queue: name, err: (error as Error).message }, 'outbox relay: queue unavailable');
      }
    }
    if (done.length > 0) {
      await opts.db
        .updateTable('outbox')
        .set({ dispatched_at: opts.clock() })
        .where('id', 'in', done)
        .execute();
    }
    return done.length === rows.length && rows.length === batch ? done.length + (await once()) : done.length;
  }

  async function dispatch(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        lastStart = now();
        lastRows = await once();
        total += lastRows;
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    dispatch,
    poke() {
      if (scheduled || stopped) return;
      scheduled = true;
      const run = () => {
        scheduled = false;
        if (stopped) return;
        dispatch().catch((error: unknown) =>
          opts.logger.warn({ err: (error as Error).message }, 'outbox relay failed'),
        );
      };
      const wait = lastRows >= busyRows ? lastStart + gapMs - now() : 0;
      if (wait > 0) later(run, wait);
      else setImmediate(run);
    },
    async stop() {
      stopped = true;
      await running?.catch(() => 0);
    },
  };
}
