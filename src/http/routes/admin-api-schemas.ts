import { z } from 'zod';
import { cleanLine, cleanText } from '../../domain/text.ts';
import { intParam, slugParam, stepParam, textParam, uuidParam } from '../input.ts';

// The admin API's inputs, apart from its routes: the API's document (src/http/openapi.ts) describes them from
// here, and the app that serves the document also runs on Workers, where the admin use cases have no place.

// Free text is cleaned here as the form's is: PostgreSQL refuses NUL, and a withdrawal reason with one was a 500.
const note = z.string().max(2000).transform(cleanText);

/** A reviewer's vote cast through the API, in that reviewer's name. */
export const voteBody = z.strictObject({
  reviewer: z.union([
    z.strictObject({ slackId: z.string().min(1).max(64).transform(cleanLine) }),
    z.strictObject({ email: z.email() }),
  ]),
  vote: z.enum(['approve', 'reject', 'waitlist']),
  note: note.optional(),
});

/** A decision taken by staff, with who took it and why. */
export const decisionBody = z.strictObject({
  outcome: z.enum(['accepted', 'declined', 'waitlisted']),
  byName: z.string().max(120).transform(cleanLine).pipe(z.string().min(1)).default('api-token'),
  reason: note.optional(),
});

/** A withdrawal by staff, with an optional reason. */
export const withdrawBody = z.strictObject({ reason: note.optional() });

/** Path parameters of the application routes. */
export const ID = { id: uuidParam };
export const STEP = { id: uuidParam, step: stepParam };
/** Path parameters of the check-in routes: a programme or action line by its id, a round by its UUID. */
export const SLUG = { id: slugParam };
export const ROUND = { id: uuidParam };

/** Filters and paging of the application list. */
export const LIST_QUERY = {
  limit: intParam(1, 500),
  offset: intParam(0, 1_000_000),
  cohort: textParam(100),
  status: textParam(40),
  q: textParam(200),
};
