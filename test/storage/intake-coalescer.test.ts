import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { writeBatch } from '../../src/usecases/intake-batch.ts';
import { intakeCoalescer, type Timer } from '../../src/usecases/intake-coalescer.ts';
import {
  createdBody,
  type IntakeContext,
  type IntakeWriter,
  type PendingSubmission,
  prepareSubmission,
  type SubmitRequest,
  submitApplication,
} from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { counts, validBody } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';

const workflows = loadWorkflows();

/** A timer that only records what it was asked to wait for: batches form by commits alone, never by time. */
function heldTimer() {
  const waits: number[] = [];
  const timer: Timer = {
    set: (_run, ms) => waits.push(ms),
    clear: () => {},
  };
  return { timer, waits };
}

/** Prepares every request first, then hands them over in one go: the first commits alone, the rest wait. */
async function together(ctx: IntakeContext, intake: IntakeWriter, requests: SubmitRequest[]) {
  const prepared = await Promise.all(requests.map((r) => prepareSubmission(ctx, r)));
  return Promise.allSettled(prepared.map((s) => intake.write(s)));
}

const request = (email: string, key?: string, body: Record<string, unknown> = {}): SubmitRequest => ({
  cohortId: 'leading-team-2027',
  body: validBody({ email, ...body }),
  source: 'api',
  idempotencyKey: key,
});

describe.each(backends)('the intake coalescer on $name', (backend) => {
  let database: OpenedDatabase;
  afterEach(async () => {
    await database?.close();
  });

  const setup = async (concurrency = backend.name === 'pglite' ? 1 : 4) => {
    database = await backend.open();
    const held = heldTimer();
    const batches: number[] = [];
    const intake = intakeCoalescer({
      db: database.db,
      concurrency,
      timer: held.timer,
      onBatch: (size) => batches.push(size),
    });
    const ctx: IntakeContext = { db: database.db, workflows, clock: () => new Date(), intake };
    return { ctx, intake, batches, waits: held.waits };
  };

  it('writes 200 concurrent submissions of distinct people completely, in far fewer commits', async () => {
    const { ctx, batches } = await setup();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => submitApplication(ctx, request(`p${i}@example.org`))),
    );
    expect(results.every((r) => r.httpStatus === 201 && r.created)).toBe(true);
    expect(new Set(results.map((r) => createdBody(r).reference)).size).toBe(200);
    expect(new Set(results.map((r) => createdBody(r).id)).size).toBe(200);
    expect(await counts(database.db)).toEqual({ applications: 200, events: 200, outbox: 200 });
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200);
    expect(batches.length).toBeLessThan(20);
    expect(Math.max(...batches)).toBeGreaterThan(1);
  });

  it('keeps one application for 50 concurrent submissions of one e-mail, and 49 repeats that name nothing of it', async () => {
    const { ctx, batches } = await setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        submitApplication(ctx, request(i % 2 ? 'same@example.org' : 'SAME@example.org')),
      ),
    );
    const [created] = results.filter((r) => r.httpStatus === 201).map(createdBody);
    expect(results.filter((r) => r.httpStatus === 201)).toHaveLength(1);
    const repeats = results.filter((r) => r.httpStatus === 200 && !r.created);
    expect(repeats).toHaveLength(49);
    for (const r of repeats) {
      expect(JSON.stringify(r.body)).toBe('{"status":"received"}');
      expect(JSON.stringify(r)).not.toContain(created?.reference);
      expect(JSON.stringify(r)).not.toContain(created?.id);
    }
    // The intake job, and one e-mail to the owner however many repeats came in its ten minutes.
    expect(await counts(database.db)).toEqual({ applications: 1, events: 50, outbox: 2 });
    const proposals = await database.db.selectFrom('proposed_updates').select('application_id').execute();
    expect(proposals).toEqual([{ application_id: created?.id }]);
    const types = await database.db
      .selectFrom('application_events')
      .select((eb) => ['type', eb.fn.countAll<string>().as('n')])
      .groupBy('type')
      .orderBy('type')
      .execute();
    expect(types.map((t) => [t.type, Number(t.n)])).toEqual([
      ['resubmitted', 49],
      ['submitted', 1],
    ]);
    expect(batches.length).toBeLessThan(50);
  });

  it('answers a repeat of an e-mail already stored from inside a batch without the first reference', async () => {
    const { ctx, intake, batches } = await setup(1);
    const first = await submitApplication(ctx, request('early@example.org'));
    const emails = ['primer@example.org', 'new@example.org', 'early@example.org', 'other@example.org'];
    const settled = await together(
      ctx,
      intake,
      emails.map((e) => request(e)),
    );
    expect(batches).toEqual([1, 1, 3]);
    expect(settled.map((s) => s.status === 'fulfilled' && s.value.httpStatus)).toEqual([201, 201, 200, 201]);
    expect(settled[2]).toEqual({
      status: 'fulfilled',
      value: { httpStatus: 200, body: { status: 'received' }, created: false },
    });
    expect(JSON.stringify(settled[2])).not.toContain(createdBody(first).reference);
    expect(await counts(database.db)).toEqual({ applications: 4, events: 5, outbox: 5 });
    const proposal = await database.db.selectFrom('proposed_updates').selectAll().executeTakeFirstOrThrow();
    expect(proposal).toMatchObject({ application_id: createdBody(first).id, source: 'api' });
  });

  it('answers a row the database refuses alone, and writes its batch-mates', async () => {
    const { ctx, intake, batches } = await setup(1);
    const prepared = await Promise.all(
      Array.from({ length: 7 }, (_, i) => prepareSubmission(ctx, request(`p${i}@example.org`))),
    );
    const valid = prepared[6] as PendingSubmission;
    // A NUL character: PostgreSQL's text and jsonb both refuse it, so this row cannot be stored.
    prepared[6] = { ...valid, input: { ...valid.input, fullName: 'נועה\u0000כהן' } };
    const settled = await Promise.allSettled(prepared.map((s) => intake.write(s)));
    expect(batches).toEqual([1, 6]);
    expect(settled.slice(0, 6).map((s) => s.status)).toEqual(Array(6).fill('fulfilled'));
    expect(settled[6]?.status).toBe('rejected');
    expect(await counts(database.db)).toEqual({ applications: 6, events: 6, outbox: 6 });
  });

  it('replays an Idempotency-Key inside one batch and across batches, and refuses it with another body', async () => {
    const { ctx, intake, batches } = await setup(1);
    const other = { fullName: 'מישהו אחר' };
    const inBatch = await together(ctx, intake, [
      request('primer@example.org'),
      request('keyed@example.org', 'key-1'),
      request('keyed@example.org', 'key-1'),
      request('someone@example.org'),
      request('keyed@example.org', 'key-1', other),
      request('keyed@example.org', 'key-1'),
    ]);
    expect(batches).toEqual([1, 5]);
    const first = inBatch[1]?.status === 'fulfilled' ? inBatch[1].value : undefined;
    expect(first).toMatchObject({ httpStatus: 201, created: true });
    for (const i of [2, 5])
      expect(inBatch[i]).toEqual({ status: 'fulfilled', value: { ...first, created: false } });
    expect(inBatch[4]).toMatchObject({ status: 'rejected', reason: { code: 'idempotency_conflict' } });

    const later = await together(ctx, intake, [
      request('primer2@example.org'),
      request('keyed@example.org', 'key-1'),
      request('keyed@example.org', 'key-1', other),
      request('second@example.org', 'key-2'),
    ]);
    expect(batches).toEqual([1, 5, 1, 3]);
    expect(later[1]).toEqual({ status: 'fulfilled', value: { ...first, created: false } });
    expect(later[2]).toMatchObject({ status: 'rejected', reason: { code: 'idempotency_conflict' } });
    expect(later[3]).toMatchObject({ status: 'fulfilled', value: { httpStatus: 201 } });
    expect(await counts(database.db)).toEqual({ applications: 5, events: 5, outbox: 5 });
  });

  it('writes a request that finds nothing being committed at once, without waiting for company', async () => {
    const { ctx, batches, waits } = await setup(4);
    const alone = await submitApplication(ctx, request('alone@example.org'));
    await submitApplication(ctx, request('next@example.org'));
    expect(alone.httpStatus).toBe(201);
    expect(waits).toEqual([]);
    expect(batches).toEqual([1, 1]);
    // With a commit under way and a slot free, the newcomer waits a moment: the timer is what it waits on.
    await Promise.all([
      submitApplication(ctx, request('a@example.org')),
      submitApplication(ctx, request('b@example.org')),
    ]);
    expect(waits).toEqual([2]);
  });

  it('keeps one application per person when two processes write the same people at once', async () => {
    const { ctx } = await setup();
    const other: IntakeContext = { ...ctx, intake: intakeCoalescer({ db: database.db, concurrency: 4 }) };
    const people = Array.from({ length: 40 }, (_, i) => ({
      email: `twice${i}@example.org`,
      key: i % 2 ? `both-${i}` : undefined,
    }));
    const [here, there] = await Promise.all([
      Promise.all(people.map((p) => submitApplication(ctx, request(p.email, p.key)))),
      Promise.all(people.toReversed().map((p) => submitApplication(other, request(p.email, p.key)))),
    ]);
    there.reverse();
    people.forEach((p, i) => {
      const pair = [here[i], there[i]];
      // A shared key is one request, answered twice alike; without one, the later is a repeat.
      if (p.key) {
        expect(there[i]?.body).toEqual(here[i]?.body);
        expect(there[i]?.httpStatus).toBe(here[i]?.httpStatus);
      } else expect(pair.map((r) => r?.httpStatus).sort()).toEqual([200, 201]);
    });
    expect(await counts(database.db)).toEqual({ applications: 40, events: 60, outbox: 60 });
  });

  it('draws a reference again when the one drawn is taken, without failing the batch', async () => {
    database = await backend.open();
    const ctx: IntakeContext = { db: database.db, workflows, clock: () => new Date() };
    const taken = await submitApplication(ctx, request('first@example.org'));
    const batch = await Promise.all(
      ['a@example.org', 'b@example.org', 'c@example.org'].map((e) => prepareSubmission(ctx, request(e))),
    );
    const { reference } = createdBody(taken);
    const draws = [reference, reference, 'LT27-AAAAA', 'LT27-CCCCC', 'LT27-DDDDD'];
    const settled = await writeBatch(database.db, batch, () => draws.shift() ?? 'LT27-EEEEE');
    expect(settled.map((s) => s.ok && createdBody(s.result).reference).sort()).toEqual([
      'LT27-AAAAA',
      'LT27-CCCCC',
      'LT27-DDDDD',
    ]);
    expect(await counts(database.db)).toEqual({ applications: 4, events: 4, outbox: 4 });
  });

  it('writes a batch of new people without keys in one statement, outside any transaction', async () => {
    database = await backend.open();
    const ctx: IntakeContext = { db: database.db, workflows, clock: () => new Date() };
    const seen = { statements: 0, transactions: 0 };
    const counted = database.db.withPlugin({
      transformQuery: (args) => {
        seen.statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    // Every method runs on the real instance (its fields are private); only transaction() is counted.
    const db = new Proxy(counted, {
      get(target, prop) {
        if (prop === 'transaction') seen.transactions++;
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const fresh = await Promise.all(
      ['n1@example.org', 'n2@example.org', 'n3@example.org'].map((e) => prepareSubmission(ctx, request(e))),
    );
    const settled = await writeBatch(db, fresh);
    expect(settled.map((s) => s.ok && s.result.httpStatus)).toEqual([201, 201, 201]);
    expect(seen).toEqual({ statements: 1, transactions: 0 });
    // A repeat among them needs the repeat's writes to commit together: that part alone opens a transaction.
    const mixed = await Promise.all(
      ['n4@example.org', 'n1@example.org'].map((e) => prepareSubmission(ctx, request(e))),
    );
    const again = await writeBatch(db, mixed);
    expect(again.map((s) => s.ok && s.result.httpStatus)).toEqual([201, 200]);
    expect(seen.transactions).toBe(1);
    expect(await counts(database.db)).toEqual({ applications: 4, events: 5, outbox: 5 });
  });

  it('keeps the new applications of a batch when its repeats cannot be written, and answers those alone', async () => {
    database = await backend.open();
    const ctx: IntakeContext = { db: database.db, workflows, clock: () => new Date() };
    const batch = await Promise.all(
      ['r1@example.org', 'r2@example.org', 'r1@example.org'].map((e) => prepareSubmission(ctx, request(e))),
    );
    const repeat = batch[2] as PendingSubmission;
    // The repeat's proposed answers hold a NUL, which PostgreSQL refuses: its transaction fails, not theirs.
    batch[2] = { ...repeat, input: { ...repeat.input, motivation: `${repeat.input.motivation}\u0000` } };
    const settled = await writeBatch(database.db, batch);
    expect(settled.map((s) => s.ok && s.result.httpStatus)).toEqual([201, 201, false]);
    expect(await counts(database.db)).toEqual({ applications: 2, events: 2, outbox: 2 });
    expect(await database.db.selectFrom('proposed_updates').selectAll().execute()).toEqual([]);
  });

  it('writes a batch directly, for the benchmark, with the same answers', async () => {
    database = await backend.open();
    const ctx: IntakeContext = { db: database.db, workflows, clock: () => new Date() };
    const batch = await Promise.all(
      ['x@example.org', 'y@example.org', 'x@example.org'].map((e) => prepareSubmission(ctx, request(e))),
    );
    const settled = await writeBatch(database.db, batch);
    expect(settled.map((s) => s.ok && s.result.httpStatus)).toEqual([201, 201, 200]);
    // Two intake jobs and the owner's e-mail about the repeat.
    expect(await counts(database.db)).toEqual({ applications: 2, events: 3, outbox: 3 });
  });
});
