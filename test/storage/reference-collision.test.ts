import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { counts, validBody } from '../helpers/app.ts';

// Found by the fuzz: a reference drawn twice (1 in millions per submission, likely over a long run) raised a
// unique violation inside the Idempotency-Key transaction, which PostgreSQL then aborted, so the second
// draw could not run and the request answered 500.

let database: OpenedDatabase;
beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory' });
});
afterAll(async () => {
  await database.close();
});

/** Draws `taken` first, then fresh references. */
function collidingDraw(taken: string) {
  let n = 0;
  return (prefix: string) => (n++ === 0 ? taken : `${prefix}-${'34679ACDEF'[n % 10]}3333`);
}

describe('a reference drawn twice', () => {
  it.each([
    ['with an Idempotency-Key', 'collide-key'],
    ['without one', undefined],
  ])('draws another and stores the application, %s', async (_name, idempotencyKey) => {
    const workflows = loadWorkflows();
    const clock = () => new Date();
    const first = await submitApplication(
      { db: database.db, workflows, clock },
      {
        cohortId: 'leading-team-2027',
        source: 'api',
        body: validBody({ email: `first-${_name.length}@example.org` }),
      },
    );
    const before = await counts(database.db);
    const second = await submitApplication(
      { db: database.db, workflows, clock, drawReference: collidingDraw(createdBody(first).reference) },
      {
        cohortId: 'leading-team-2027',
        source: 'api',
        idempotencyKey,
        body: validBody({ email: `second-${_name.length}@example.org` }),
      },
    );
    expect(second.httpStatus).toBe(201);
    expect(createdBody(second).reference).not.toBe(createdBody(first).reference);
    const after = await counts(database.db);
    expect(after.applications - before.applications).toBe(1);
    expect(after.outbox - before.outbox).toBe(1);
  });
});
