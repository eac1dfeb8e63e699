import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { writeBatch } from './intake-batch.ts';
import type { IntakeWriter, PendingSubmission, SubmitResult } from './submit-application.ts';

/** setTimeout and clearTimeout, passed in so tests decide when a wait ends. */
export interface Timer {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimer: Timer = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CoalescerOptions {
  db: Kysely<Database>;
  /** A batch is written as soon as this many wait. */
  maxBatch?: number;
  /** How long a submission waits for company while another batch is being committed. */
  maxWaitMs?: number;
  /** Batches committed at once: PGlite has one connection, so 1 there; a few on a PostgreSQL pool. */
  concurrency?: number;
  timer?: Timer;
  /** Sees every batch as it starts, with its size (metrics, and tests that count commits). */
  onBatch?: (size: number) => void;
}

interface Waiting {
  submission: PendingSubmission;
  resolve: (result: SubmitResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for intake. A submission that finds nothing being committed is written at once, alone;
 * those that arrive while commits are running gather and go together, in one transaction, as soon as a
 * commit slot frees, `maxBatch` of them wait, or `maxWaitMs` has passed. Each is answered only after the
 * commit of its own batch.
 */
export function intakeCoalescer(options: CoalescerOptions): IntakeWriter {
  const { db, maxBatch = 32, maxWaitMs = 2, concurrency = 1, timer = realTimer, onBatch } = options;
  const queue: Waiting[] = [];
  let running = 0;
  let wait: unknown;

  const flush = () => {
    if (wait !== undefined) {
      timer.clear(wait);
      wait = undefined;
    }
    const batch = queue.splice(0, maxBatch);
    running++;
    onBatch?.(batch.length);
    writeBatch(
      db,
      batch.map((w) => w.submission),
    )
      .then(
        (settled) => {
          settled.forEach((s, i) => {
            const w = batch[i] as Waiting;
            if (s.ok) w.resolve(s.result);
            else w.reject(s.error);
          });
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      )
      .finally(() => {
        running--;
        schedule();
      });
  };

  const schedule = () => {
    while (queue.length > 0 && running < concurrency) {
      if (running > 0 && queue.length < maxBatch) {
        // A commit is under way and a slot is free: wait a moment for company rather than commit alone.
        wait ??= timer.set(() => {
          wait = undefined;
          if (queue.length > 0 && running < concurrency) flush();
          schedule();
        }, maxWaitMs);
        return;
      }
      flush();
    }
  };

  return {
    write(submission) {
      return new Promise<SubmitResult>((resolve, reject) => {
        queue.push({ submission, resolve, reject });
        schedule();
      });
    },
  };
}
