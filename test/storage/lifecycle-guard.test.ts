import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTransition, STATUSES } from '../../src/domain/lifecycle.ts';
import { migrate, type OpenedDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';

const workflows = loadWorkflows(undefined);

describe.each(backends)('the lifecycle guard on $name', (backend) => {
  let database: OpenedDatabase;
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(async () => {
    await database.close();
  });

  async function freshApplication(n: number): Promise<string> {
    const result = await submitApplication(
      { db: database.db, workflows, clock: () => new Date() },
      {
        cohortId: 'leading-team-2027',
        body: validBody({ email: `guard-${n}-${Date.now()}@example.org`, phone: `050-72345${10 + n}` }),
        source: 'api',
      },
    );
    return createdBody(result).id;
  }

  it('refuses, from hand-written SQL, every move from submitted that the table does not list', async () => {
    const id = await freshApplication(1);
    const refused = STATUSES.filter((to) => to !== 'submitted' && !canTransition('submitted', to));
    expect(refused).toContain('accepted');
    for (const to of refused) {
      await expect(
        sql`UPDATE applications SET status = ${to} WHERE id = ${id}`.execute(database.db),
      ).rejects.toThrow(/lifecycle: no move from submitted/);
    }
    await sql`UPDATE applications SET status = 'in_review' WHERE id = ${id}`.execute(database.db);
    await expect(
      sql`UPDATE applications SET status = 'submitted' WHERE id = ${id}`.execute(database.db),
    ).rejects.toThrow(/lifecycle: no move from in_review to submitted/);
  });

  it('refuses an application inserted in any status but submitted', async () => {
    const id = await freshApplication(2);
    await expect(
      sql`INSERT INTO applications (id, reference, cohort, email, answers, flags, status, source, created_at, updated_at)
          SELECT gen_random_uuid(), reference || 'X', cohort, 'x' || email, answers, flags, 'accepted', source,
                 created_at, updated_at
          FROM applications WHERE id = ${id}`.execute(database.db),
    ).rejects.toThrow(/starts as submitted/);
  });

  it('lets the transition helper take listed moves only, from the listed sources', async () => {
    const id = await freshApplication(3);
    const at = new Date();
    const move = (to: (typeof STATUSES)[number]) =>
      transition(database.db, { applicationId: id, to, actor: 'test', at });
    expect(await move('accepted')).toBe(false);
    expect(await move('in_review')).toBe(true);
    expect(await move('waitlisted')).toBe(true);
    expect(await move('accepted')).toBe(true);
    await expect(
      transition(database.db, { applicationId: id, to: 'onboarded', from: ['accepted'], actor: 'test', at }),
    ).rejects.toThrow(/no move from accepted to onboarded/);
  });

  it('is installed once: a second start leaves an up-to-date guard alone', async () => {
    await migrate(database.db, database.schema);
    const triggers = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace ns ON ns.oid = c.relnamespace
      WHERE t.tgname = 'applications_lifecycle' AND ns.nspname = current_schema()`.execute(database.db);
    expect(triggers.rows[0]?.n).toBe('1');
  });
});
