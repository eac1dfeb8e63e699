import { afterEach, describe, expect, it } from 'vitest';
import { ProposedUpdateSection } from '../../src/pages/proposed-update.tsx';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { applyProposedUpdate, proposedUpdateOf } from '../../src/usecases/proposed-updates.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { manualClock, validBody } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';

const workflows = loadWorkflows();

describe.each(backends)('the owner settles a proposed update, on $name', (backend) => {
  let database: OpenedDatabase;
  afterEach(async () => {
    await database?.close();
  });

  const setup = async () => {
    database = await backend.open();
    const clock = manualClock();
    const ctx = { db: database.db, workflows, clock: clock.now };
    const submit = async (body: Record<string, unknown>) =>
      submitApplication(ctx, { cohortId: 'leading-team-2027', source: 'api', body: validBody(body) });
    const first = createdBody(await submit({}));
    await submit({ roleTitle: 'רכזת <script>STEM</script>' });
    const row = () => database.db.selectFrom('applications').select('role_title').executeTakeFirstOrThrow();
    const types = async () =>
      (
        await database.db
          .selectFrom('application_events')
          .select('type')
          .where('application_id', '=', first.id)
          .orderBy('id')
          .execute()
      ).map((e) => e.type);
    return { ctx, first, row, types };
  };

  it('applies the answers before the first vote, once, on the timeline', async () => {
    const { ctx, first, row, types } = await setup();
    const proposal = await proposedUpdateOf(database.db, first.id);
    if (!proposal) throw new Error('the repeat left no proposal');
    const html = String(
      ProposedUpdateSection({ proposal, lang: 'he', actionUrl: '/my/x/proposal', formToken: 'tok' }),
    );
    expect(html).toContain('תשובות חדשות ששלחת ב-1 בדצמבר 2026');
    expect(html).toContain('רכזת &lt;script&gt;STEM&lt;/script&gt;');
    expect(html).toContain('value="apply"');
    expect(await applyProposedUpdate(ctx, { applicationId: first.id, action: 'apply' })).toEqual({
      kind: 'applied',
    });
    expect((await row()).role_title).toBe('רכזת <script>STEM</script>');
    expect(await applyProposedUpdate(ctx, { applicationId: first.id, action: 'apply' })).toEqual({
      kind: 'none',
    });
    expect(await types()).toEqual(['submitted', 'resubmitted', 'proposed_update_applied']);
    expect(await proposedUpdateOf(database.db, first.id)).toBeUndefined();
  });

  it('sends the answers to staff as a note after the first vote, and discards on request', async () => {
    const { ctx, first, row, types } = await setup();
    await database.db
      .insertInto('votes')
      .values({
        application_id: first.id,
        reviewer: 'UDANA0001',
        reviewer_name: 'Dana',
        vote: 'approve',
        note: null,
        counted: true,
        at: new Date(),
        clicked_at: null,
      })
      .execute();
    expect(await applyProposedUpdate(ctx, { applicationId: first.id, action: 'apply' })).toEqual({
      kind: 'noted',
    });
    expect((await row()).role_title).toBe('מנהלת מחלקת חינוך');
    await submitApplication(ctx, {
      cohortId: 'leading-team-2027',
      source: 'api',
      body: validBody({ roleTitle: 'עוד ניסיון' }),
    });
    expect(await applyProposedUpdate(ctx, { applicationId: first.id, action: 'discard' })).toEqual({
      kind: 'discarded',
    });
    expect((await row()).role_title).toBe('מנהלת מחלקת חינוך');
    expect(await types()).toEqual([
      'submitted',
      'resubmitted',
      'proposed_update_noted',
      'resubmitted',
      'proposed_update_discarded',
    ]);
  });
});
