// The intake's ceilings without HTTP: its own write code in a loop, alone and batched as the coalescer
// batches, against the same databases the durable rows use.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { validateApplication } from '../src/domain/application.ts';
import { openDatabase } from '../src/storage/db.ts';
import { writeBatch } from '../src/usecases/intake-batch.ts';
import { type PendingSubmission, store } from '../src/usecases/submit-application.ts';
import { loadWorkflows } from '../workflows/index.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;

function pending(email: string): PendingSubmission {
  const v = validateApplication(cohort, {
    fullName: 'נועה כהן',
    email,
    phone: '050-7234567',
    organisation: 'עיריית ירוחם',
    roleTitle: 'מנהלת',
    sector: 'local-authority',
    region: 'south',
    motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
    consent: true,
  });
  if (!v.ok) throw new Error('bench body invalid');
  return {
    cohortId: cohort.id,
    prefix: cohort.referencePrefix,
    input: v.value,
    req: { cohortId: cohort.id, body: {}, source: 'api' },
    now: new Date(),
  };
}

export interface LoopOptions {
  /** postgres:// URL, or a PGlite folder when `pglite` is set. */
  url?: string;
  pglite?: string;
  seconds: number;
  /** Concurrent writers (PostgreSQL pool clients; PGlite serialises them anyway). */
  clients: number;
  /** Submissions per transaction; 1 is the single-statement path. */
  batch: number;
}

/** Submissions committed per second by `clients` writers, each committing `batch` at a time. */
export async function intakeLoop(opts: LoopOptions): Promise<number> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const { db, close } = opts.pglite
    ? await openDatabase({ dataDir: `${opts.pglite}/loop-${schema}` })
    : await openDatabase({ url: opts.url, schema, poolSize: opts.clients });
  let n = 0;
  const until = Date.now() + opts.seconds * 1000;
  const worker = async () => {
    while (Date.now() < until) {
      if (opts.batch === 1) {
        const s = pending(`loop-${schema}-${n++}@example.org`);
        await store(db, s.cohortId, s.prefix, s.input, s.req, s.now);
        continue;
      }
      const batch = Array.from({ length: opts.batch }, () => pending(`loop-${schema}-${n++}@example.org`));
      const settled = await writeBatch(db, batch);
      if (settled.some((r) => !r.ok)) throw new Error('bench batch refused a row');
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: opts.clients }, worker));
  const rate = n / ((Date.now() - started) / 1000);
  if (!opts.pglite) await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db);
  await close();
  return rate;
}
