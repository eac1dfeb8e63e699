import type { ApplicationStatus } from '../../src/domain/lifecycle.ts';
import type { Db } from '../../src/storage/db.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import type { Workflows } from '../../workflows/index.ts';
import { validBody } from './app.ts';

// The lifecycle trigger refuses a jump, so each fixture walks the path an application really takes.
const PATH: Record<string, ApplicationStatus[]> = {
  submitted: [],
  in_review: ['in_review'],
  accepted: ['in_review', 'accepted'],
  onboarding: ['in_review', 'accepted', 'onboarding'],
  onboarded: ['in_review', 'accepted', 'onboarding', 'onboarded'],
  waitlisted: ['in_review', 'waitlisted'],
  declined: ['in_review', 'declined'],
  withdrawn: ['withdrawn'],
};

/**
 * Applications in several stages of leading-team-2027, as a cohort in its third week looks: two in review
 * (one past its deadline, with a vote, from a reviewer's own organisation), one onboarding with a failed
 * calendar step, and one each accepted, waitlisted and withdrawn; nobody onboarded or declined yet.
 */
export async function seedBoard(db: Db, workflows: Workflows, clock: () => Date, tag: string) {
  const now = clock();
  const made: Record<string, string> = {};
  const add = async (
    key: string,
    status: string,
    body: Record<string, unknown>,
    deadline?: Date,
  ): Promise<string> => {
    const out = createdBody(
      await submitApplication(
        { db, workflows, clock },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: validBody({ email: `${key}-${tag}@example.org`, ...body }),
        },
      ),
    );
    const id = out.id as string;
    for (const to of PATH[status] ?? [])
      await db.updateTable('applications').set({ status: to }).where('id', '=', id).execute();
    if (deadline)
      await db.updateTable('applications').set({ review_deadline: deadline }).where('id', '=', id).execute();
    made[key] = id;
    return id;
  };
  const day = 24 * 3600_000;
  await add('fresh', 'submitted', { fullName: 'יעל ברק', organisation: 'מועצה אזורית מרחבים' });
  const overdue = await add(
    'overdue',
    'in_review',
    { fullName: 'אורי לוי', organisation: 'עיריית באר שבע' },
    new Date(now.getTime() - day),
  );
  await add('reviewing', 'in_review', { fullName: 'סמיר חלבי' }, new Date(now.getTime() + 3 * day));
  await add('accepted', 'accepted', { fullName: 'דנה שמיר' });
  const onboarding = await add('onboarding', 'onboarding', { fullName: 'מאיה רון' });
  await add('waiting', 'waitlisted', { fullName: 'רועי גל' });
  await add('gone', 'withdrawn', { fullName: 'תמר אבן' });
  await db
    .insertInto('votes')
    .values({
      application_id: overdue,
      reviewer: 'URINA0001',
      reviewer_name: 'Rina',
      vote: 'approve',
      note: null,
      counted: true,
      at: now,
    })
    .execute();
  await db
    .insertInto('steps')
    .values({
      application_id: onboarding,
      step: 'calendar',
      status: 'failed',
      generation: 1,
      attempts: 5,
      last_error: 'calendar unavailable',
      detail: '{}' as never,
      updated_at: now,
    })
    .execute();
  return made;
}
