import { describe, expect, it } from 'vitest';
import {
  CONSOLE_IDENTITY,
  firstCoordinator,
  identityOf,
  personFor,
} from '../../src/usecases/staff-sessions.ts';
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

describe('who a session names', () => {
  const noa = { name: 'נועה', email: 'noa@example.org', roles: ['coordinator' as const] };
  const avi = { name: 'אבי', slackId: 'U0AVI', roles: ['viewer' as const] };

  it('finds the person in the current list by Slack id or e-mail, and nobody once they are removed', () => {
    expect(personFor([noa, avi], identityOf(avi))).toMatchObject({ name: 'אבי', actor: 'U0AVI' });
    expect(personFor([noa], 'email:NOA@example.org'.toLowerCase())).toMatchObject({
      actor: 'noa@example.org',
    });
    expect(personFor([noa], identityOf(avi))).toBeNull();
  });

  it('lets the console identity in as a coordinator only while the settings name no coordinator', () => {
    expect(firstCoordinator([avi])).toBe(CONSOLE_IDENTITY);
    expect(personFor([avi], CONSOLE_IDENTITY)?.roles).toEqual(['coordinator']);
    expect(firstCoordinator([avi, noa])).toBe('email:noa@example.org');
    expect(personFor([avi, noa], CONSOLE_IDENTITY)).toBeNull();
  });
});
