import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { counts, validBody } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';

const workflows = loadWorkflows();
const submit = (database: OpenedDatabase, body: Record<string, unknown>, key?: string) =>
  submitApplication(
    { db: database.db, workflows, clock: () => new Date() },
    { cohortId: 'leading-team-2027', body, source: 'api', idempotencyKey: key },
  );

describe.each(backends)('intake storage on $name', (backend) => {
  let database: OpenedDatabase;
  afterEach(async () => {
    await database?.close();
  });

  it('stores 50 concurrent submissions of distinct people completely', async () => {
    database = await backend.open();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => submit(database, validBody({ email: `p${i}@example.org` }))),
    );
    expect(results.every((r) => r.httpStatus === 201)).toBe(true);
    expect(new Set(results.map((r) => createdBody(r).reference)).size).toBe(50);
    expect(await counts(database.db)).toEqual({ applications: 50, events: 50, outbox: 50 });
  });

  it('keeps one application for 20 concurrent submissions of one e-mail, the repeats without its reference', async () => {
    database = await backend.open();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        submit(database, validBody({ email: i % 2 ? 'same@example.org' : 'SAME@example.org' })),
      ),
    );
    const created = results.filter((r) => r.httpStatus === 201).map(createdBody);
    expect(created).toHaveLength(1);
    const repeats = results.filter((r) => r.httpStatus === 200).map((r) => JSON.stringify(r.body));
    expect(repeats).toEqual(Array(19).fill('{"status":"received"}'));
    expect(await counts(database.db)).toMatchObject({ applications: 1, outbox: 2, events: 20 });
  });

  it('replays an idempotent request under concurrency with the identical response', async () => {
    database = await backend.open();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => submit(database, validBody(), 'key-1')),
    );
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await counts(database.db)).applications).toBe(1);
  });

  it('runs its migrations a second time as a no-op', async () => {
    database = await backend.open();
    await migrate(database.db, database.schema);
    await submit(database, validBody());
    await migrate(database.db, database.schema);
    expect((await counts(database.db)).applications).toBe(1);
  });
});

describe('the embedded database', () => {
  it('keeps a submission across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kehila-pglite-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      const body = createdBody(await submit(first, validBody()));
      await first.close();
      const second = await openDatabase({ dataDir: dir });
      const row = await second.db
        .selectFrom('applications')
        .select(['reference', 'email'])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ reference: body.reference, email: 'noa@example.org' });
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
