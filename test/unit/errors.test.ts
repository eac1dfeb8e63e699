import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noCards, noSlack } from '../../integrations/noop.ts';
import { AppError, ERROR_CODES } from '../../src/domain/errors.ts';
import { requireName } from '../../src/jobs/runtime.ts';
import { openDatabase } from '../../src/storage/db.ts';
import { screenApplication } from '../../src/usecases/intake.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';

describe('one error family', () => {
  it('maps each code to an HTTP status, retry-or-not and a Hebrew text for staff', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(meaning.http, code).toBeGreaterThanOrEqual(400);
      expect(meaning.he, code).toMatch(/[\u0590-\u05ff]/);
      expect(meaning.he, code).not.toMatch(/[\u0590-\u05ff]\/[\u0590-\u05ff]/);
    }
    expect(new AppError('not_found', 'x').status).toBe(404);
    expect(new AppError('not_found', 'x').retryable).toBe(false);
    expect(new AppError('conflict', 'x', { he: 'מדויק' }).staffText).toBe('מדויק');
  });

  it('retries rate_limited even without Retry-After, and never a permanent code', () => {
    expect(new AppError('rate_limited', 'slow down').retryable).toBe(true);
    expect(new AppError('unavailable', 'away').retryable).toBe(true);
    expect(new AppError('bad_request', 'no').retryable).toBe(false);
    expect(new AppError('unavailable', 'configured off', { retryable: false }).retryable).toBe(false);
  });

  it('fails a job for good on an unknown job name', () => {
    const job = { queue: 'steps', id: 'x', name: 'teleport', data: {}, attempt: 1, lastAttempt: false };
    expect(() => requireName(job, ['calendar', 'slack'])).toThrow(AppError);
    try {
      requireName(job, ['calendar']);
    } catch (error) {
      expect((error as AppError).retryable).toBe(false);
    }
  });

  it('fails the intake job for good when the application belongs to a cohort no longer configured', async () => {
    const database = await openDatabase({ dataDir: 'memory' });
    try {
      const workflows = loadWorkflows(undefined);
      const body = createdBody(
        await submitApplication(
          { db: database.db, workflows, clock: () => new Date() },
          { cohortId: 'leading-team-2027', source: 'api', body: validBody() },
        ),
      );
      await database.db
        .updateTable('applications')
        .set({ cohort: 'closed-2025' })
        .where('id', '=', body.id)
        .execute();
      const ctx = {
        db: database.db,
        workflows,
        clock: () => new Date(),
        publicUrl: 'http://localhost:3000',
        logger: pino({ level: 'silent' }),
        mail: memoryMailer(),
        calendar: noCalendar,
        slack: noSlack,
        cards: noCards,
        poke: () => {},
      };
      const failure = await screenApplication(ctx, body.id).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe('not_found');
      expect((failure as AppError).retryable).toBe(false);
    } finally {
      await database.close();
    }
  });
});
