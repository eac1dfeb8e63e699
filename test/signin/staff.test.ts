import { describe, expect, it } from 'vitest';
import { loadWorkflows, WorkflowError } from '../../workflows/index.ts';

const COHORT = 'leading-team-2027';

describe('staff in the settings file', () => {
  it('lists staff with their roles and adds every cohort reviewer and decider as a reviewer', () => {
    const workflows = loadWorkflows({
      staff: [
        { name: 'נועה', email: 'noa@example.org', roles: ['coordinator'] },
        { name: 'אבי', slackId: 'U0AVI', roles: ['viewer'] },
      ],
      cohorts: {
        [COHORT]: {
          review: {
            reviewers: [
              { name: 'Avi', slackId: 'U0AVI' },
              { name: 'Dana', email: 'Dana@example.org' },
            ],
            deciders: ['U0DECIDER'],
          },
        },
      },
    });
    expect(workflows.staff).toEqual([
      { name: 'נועה', email: 'noa@example.org', roles: ['coordinator'] },
      { name: 'אבי', slackId: 'U0AVI', roles: ['viewer', 'reviewer'] },
      { name: 'Dana', email: 'Dana@example.org', roles: ['reviewer'] },
      { name: 'U0DECIDER', slackId: 'U0DECIDER', roles: ['reviewer'] },
    ]);
  });

  it('refuses a member without a way to recognise them, or with an unknown role', () => {
    expect(() => loadWorkflows({ staff: [{ name: 'x', roles: ['viewer'] }] })).toThrow(WorkflowError);
    expect(() => loadWorkflows({ staff: [{ name: 'x', email: 'x@example.org', roles: ['admin'] }] })).toThrow(
      /settings\.staff\.0\.roles/,
    );
    expect(() => loadWorkflows({ staff: [{ name: 'x', email: 'x@example.org', roles: [] }] })).toThrow(
      WorkflowError,
    );
  });

  it('has no staff when the settings list none and no cohort names reviewers', () => {
    expect(loadWorkflows({}).staff).toEqual([]);
  });
});
