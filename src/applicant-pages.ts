import type { ApplicantPages } from './http/deps.ts';
import {
  correctMyApplication,
  type MyApplicationContext,
  openMyApplication,
  requestMyLink,
  viewMyApplication,
  withdrawMyApplication,
} from './usecases/my-application.ts';
import { applyProposedUpdate, proposedUpdateOf } from './usecases/proposed-updates.ts';

/** The applicant's page's use cases, bound to the core's database, for the HTTP app. */
export function applicantPages(ctx: MyApplicationContext, linkSecret: string): ApplicantPages {
  return {
    linkSecret,
    open: (id) => openMyApplication(ctx, id),
    view: (id) => viewMyApplication(ctx, id),
    correct: (id, input) => correctMyApplication(ctx, id, input),
    withdraw: (id) => withdrawMyApplication(ctx, id),
    requestLink: (email) => requestMyLink(ctx, email),
    proposal: (id) => proposedUpdateOf(ctx.db, id),
    settleProposal: async (id, action) => {
      const outcome = await applyProposedUpdate(ctx, { applicationId: id, action });
      if (outcome.kind !== 'none') ctx.poke?.();
      return outcome.kind;
    },
  };
}
