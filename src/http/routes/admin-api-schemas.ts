import { z } from 'zod';
import { STEP_NAMES } from '../../domain/lifecycle.ts';
import { cleanText } from '../../domain/text.ts';
import { intParam, slugParam, stepParam, textParam, uuidParam } from '../input.ts';

// The admin API's inputs, apart from its routes: the API's document (src/http/openapi.ts) describes them from
// here, and the app that serves the document also runs on Workers, where the admin use cases have no place.

// Free text is cleaned here as the form's is: PostgreSQL refuses NUL, and a withdrawal reason with one was a 500.
const note = z.string().max(2000).transform(cleanText);

/**
 * A decision in the API token's own name: it always gives its reason, and a `byName` (which once let the
 * caller name anyone) is still accepted so older scripts keep working, but it is ignored.
 */
export const decisionBody = z.strictObject({
  outcome: z.enum(['accepted', 'declined', 'waitlisted']),
  byName: z.string().max(120).optional().describe('Ignored: the decision is recorded as the API token.'),
  reason: note.pipe(z.string().trim().min(1)).describe('Why; shown on the timeline.'),
});

/** A withdrawal by staff, with an optional reason. */
export const withdrawBody = z.strictObject({ reason: note.optional() });

/** Path parameters of the application routes. */
export const ID = { id: uuidParam };
export const STEP = { id: uuidParam, step: stepParam };
/** Path parameters of the check-in routes: a programme or action line by its id, a round by its UUID. */
export const SLUG = { id: slugParam };
export const ROUND = { id: uuidParam };

/** A yes-or-no filter: given as `1` or `true` (a checked box), absent otherwise. */
export const yesParam = z.enum(['1', 'true']).transform(() => true);

/** A failed step to filter by, or `any` failed step. */
export const failedStepParam = z.enum([...STEP_NAMES, 'any']);

/** Filters and paging of the application list; the dashboard's board takes the same filters. */
export const LIST_QUERY = {
  limit: intParam(1, 500),
  offset: intParam(0, 1_000_000),
  cohort: textParam(100),
  status: textParam(40),
  flag: textParam(100),
  failedStep: failedStepParam,
  deadlinePassed: yesParam,
  q: textParam(200),
};
