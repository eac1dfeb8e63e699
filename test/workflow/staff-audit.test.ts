import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { transition } from '../../src/storage/transition.ts';
import { retryStep, withdraw } from '../../src/usecases/onboarding.ts';
import { castVote, decide, type ReviewContext } from '../../src/usecases/review.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';

const COHORT = 'leading-team-2027';

describe.each(backends)('a staff change and its audit entry, one transaction, on $name', (backend) => {
  const open: OpenedDatabase[] = [];
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
  });

  async function engine() {
    const database = await backend.open();
    open.push(database);
    const clock = () => new Date();
    const ctx: ReviewContext = {
      db: database.db,
      workflows: loadWorkflows(reviewSettings()),
      clock,
      publicUrl: 'http://localhost:3000',
    };
    let seq = 0;
    const inReview = async () => {
      seq += 1;
      const body = createdBody(
        await submitApplication(
          { db: database.db, workflows: ctx.workflows, clock },
          { cohortId: COHORT, source: 'api', body: validBody({ email: `audit${seq}@example.org` }) },
        ),
      );
      await transition(database.db, {
        applicationId: body.id,
        from: ['submitted'],
        to: 'in_review',
        actor: 'system',
        at: clock(),
      });
      return body.id as string;
    };
    const audits = () =>
      database.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'target', 'detail'])
        .orderBy('id')
        .execute();
    const status = async (id: string) =>
      (
        await database.db
          .selectFrom('applications')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).status;
    const refuseAudits = async () => {
      await sql`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit refused'; END $$`.execute(database.db);
      await sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`.execute(
        database.db,
      );
      return async () => {
        await sql`DROP TRIGGER refuse_audit ON audit_log`.execute(database.db);
        await sql`DROP FUNCTION refuse_audit()`.execute(database.db);
      };
    };
    return { ctx, db: database.db, inReview, audits, status, refuseAudits };
  }

  it('writes the entry with what the change came to, in the name asked for', async () => {
    const e = await engine();
    const voted = await e.inReview();
    await castVote(e.ctx, {
      applicationId: voted,
      reviewer: { slackId: 'UDANA0001' },
      vote: 'approve',
      audit: { actor: 'email:dana@example.org', action: 'vote' },
    });
    const decided = await e.inReview();
    await decide(e.ctx, {
      applicationId: decided,
      outcome: 'accepted',
      actor: 'api-token',
      byName: 'api-token',
      reason: 'strong fit',
      audit: { actor: 'api-token', action: 'decide', detail: { outcome: 'accepted', reason: 'strong fit' } },
    });
    await withdraw(e.ctx, {
      applicationId: voted,
      actor: 'api-token',
      audit: { actor: 'api-token', action: 'withdraw' },
    });
    expect(await e.audits()).toEqual([
      { actor: 'email:dana@example.org', action: 'vote', target: voted, detail: { result: 'recorded' } },
      {
        actor: 'api-token',
        action: 'decide',
        target: decided,
        detail: { outcome: 'accepted', reason: 'strong fit', result: 'decided' },
      },
      { actor: 'api-token', action: 'withdraw', target: voted, detail: { result: 'withdrawn' } },
    ]);
  });

  it('makes no change when its entry cannot be written, and no entry for a change refused', async () => {
    const e = await engine();
    const id = await e.inReview();
    const allow = await e.refuseAudits();
    try {
      const audit = { actor: 'api-token', action: 'decide' };
      await expect(
        decide(e.ctx, {
          applicationId: id,
          outcome: 'declined',
          actor: 'api-token',
          byName: 'api-token',
          audit,
        }),
      ).rejects.toThrow(/audit refused/);
      await expect(
        castVote(e.ctx, { applicationId: id, reviewer: { slackId: 'UDANA0001' }, vote: 'approve', audit }),
      ).rejects.toThrow(/audit refused/);
      await expect(withdraw(e.ctx, { applicationId: id, actor: 'api-token', audit })).rejects.toThrow(
        /audit refused/,
      );
    } finally {
      await allow();
    }
    expect(await e.status(id)).toBe('in_review');
    expect(await e.db.selectFrom('votes').selectAll().execute()).toEqual([]);

    // A refused change (no such failed step) leaves no entry either.
    await expect(
      retryStep(e.ctx, {
        applicationId: id,
        step: 'calendar',
        actor: 'api-token',
        audit: { actor: 'api-token', action: 'retry' },
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await e.audits()).toEqual([]);
  });
});
