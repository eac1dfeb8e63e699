import { afterEach, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noCards, noSlack } from '../../integrations/noop.ts';
import { intakeProcessor } from '../../src/jobs/intake.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import type { PipelineContext } from '../../src/usecases/context.ts';
import { eraseApplication, exportPerson } from '../../src/usecases/privacy.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { manualClock, validBody } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';

const workflows = loadWorkflows();

describe.each(backends)('the owner’s e-mail after a repeat, on $name', (backend) => {
  let database: OpenedDatabase;
  afterEach(async () => {
    await database?.close();
  });

  const setup = async () => {
    database = await backend.open();
    const clock = manualClock();
    const mail = memoryMailer();
    const ctx: PipelineContext = {
      db: database.db,
      workflows,
      clock: clock.now,
      publicUrl: 'https://kehila.example',
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      mail,
      calendar: noCalendar,
      slack: noSlack,
      cards: noCards,
      poke: () => {},
      applicantLinks: { secret: 'a-test-secret-of-enough-length', days: 30 },
    };
    const submit = async (body: Record<string, unknown>) =>
      submitApplication(
        { db: database.db, workflows, clock: clock.now },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody(body) },
      );
    /** Runs every `repeat` job the outbox holds, as the relay and a worker would. */
    const runRepeatJobs = async () => {
      const rows = await database.db
        .selectFrom('outbox')
        .selectAll()
        .where('job_id', 'like', 'repeat-%')
        .execute();
      for (const row of rows) {
        const { __name, ...data } = row.payload as Record<string, string>;
        await intakeProcessor(ctx)({
          queue: row.queue,
          id: row.job_id,
          name: String(__name),
          data,
          attempt: 1,
          lastAttempt: false,
        });
      }
      return rows.length;
    };
    return { clock, mail, ctx, submit, runRepeatJobs };
  };

  it('goes to the first application’s address, in its language, with the link and without the resubmitter’s name', async () => {
    const { mail, submit, runRepeatJobs } = await setup();
    const first = createdBody(await submit({ language: 'ar' }));
    await submit({ fullName: 'מישהו אחר', language: 'en' });
    expect(await runRepeatJobs()).toBe(1);
    expect(await runRepeatJobs()).toBe(1);
    // Run twice, sent once: the job's id is the message's.
    expect(mail.sent.size).toBe(1);
    const [message] = [...mail.sent.values()];
    expect(message?.to.email).toBe('noa@example.org');
    expect(message?.language).toBe('ar');
    expect(message?.idempotencyKey.endsWith(`-${first.id}`)).toBe(true);
    expect(message?.text).toContain('الإجابات الجديدة بانتظارك في صفحة طلبك');
    expect(message?.text).toMatch(/https:\/\/kehila\.example\/\S+/);
    expect(message?.text).toContain('נועה כהן');
    expect(message?.text).not.toContain('מישהו אחר');
    expect(message?.html).toContain('<html lang="ar" dir="rtl">');
  });

  it('is erased with the person: the proposal gone, and exported while it is held', async () => {
    const { ctx, submit } = await setup();
    const first = createdBody(await submit({}));
    await submit({ motivation: 'קנרית-1234 רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.' });
    const exported = await exportPerson(ctx, { email: 'noa@example.org', actor: 'staff:test' });
    expect(JSON.stringify(exported.proposedUpdates)).toContain('קנרית-1234');
    await eraseApplication(
      { ...ctx, removeJobs: async () => {} },
      { applicationId: first.id, actor: 'staff:test', reason: 'request' },
    );
    expect(await database.db.selectFrom('proposed_updates').selectAll().execute()).toEqual([]);
    const events = await database.db.selectFrom('application_events').select('data').execute();
    expect(JSON.stringify(events)).not.toContain('קנרית');
  });
});
