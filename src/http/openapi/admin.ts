import { z } from 'zod';
import type { ErrorCode } from '../../domain/errors.ts';
import {
  decisionBody,
  ID,
  LIST_QUERY,
  ROUND,
  SLUG,
  STEP,
  withdrawBody,
} from '../routes/admin-api-schemas.ts';
import * as rows from './rows.ts';
import {
  errorResponse,
  json,
  type Operation,
  type PathItem,
  parameters,
  type Response,
  rateLimited,
  requestSchema,
  responseSchema,
} from './schema.ts';

const ok = (description: string, schema: z.ZodType): Response => ({
  description,
  content: json(responseSchema(schema)),
});
const body = (schema: z.ZodType, description: string) => ({
  required: true,
  description,
  content: json(requestSchema(schema)),
});

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before calling again.',
    schema: { type: 'integer', minimum: 1 },
  },
};
const LIMITS_AWAY = 'The wrong-token limit cannot be checked (its Redis is away), so no call is let through.';

// Every admin route answers these besides its own: the wrong-token limit is checked first, then the token,
// then the body's size.
const common = (bodyLimitBytes: number, own: Partial<Record<string, [string, ErrorCode[]]>>) => {
  const responses: Record<string, Response> = {
    '401': errorResponse('No bearer token, or not the ADMIN_TOKEN.', ['unauthorized']),
    '413': errorResponse(`The body is larger than ${bodyLimitBytes} bytes.`, ['payload_too_large']),
    '429': rateLimited('Too many wrong tokens from this address: every call from it is refused for a while.'),
  };
  const all: Record<string, [string, ErrorCode[]]> = {
    '400': [
      'A malformed Authorization header, or a parameter or body that does not pass its schema: `fields` names ' +
        'each with a zod issue code (`_body` for the body as a whole).',
      ['bad_request', 'validation_failed'],
    ],
    ...(own as Record<string, [string, ErrorCode[]]>),
  };
  for (const [status, [description, codes]] of Object.entries(all))
    responses[status] = errorResponse(description, codes);
  // Where a route has a 503 of its own (Slack not configured), Retry-After comes only with the limit's.
  const [unavailable] = own['503'] ?? [];
  responses['503'] = unavailable
    ? errorResponse(`${unavailable} Or, with Retry-After: ${LIMITS_AWAY}`, ['unavailable'])
    : errorResponse(LIMITS_AWAY, ['unavailable'], { headers: retryAfter });
  return responses;
};

function op(
  bodyLimitBytes: number,
  operation: Omit<Operation, 'tags' | 'security' | 'responses'> & {
    tag?: string;
    ok: Response;
    errors?: Partial<Record<string, [string, ErrorCode[]]>>;
  },
): Operation {
  const { tag, ok: success, errors = {}, ...rest } = operation;
  return {
    ...rest,
    tags: [tag ?? 'admin'],
    security: [{ adminToken: [] }],
    responses: { '200': success, ...common(bodyLimitBytes, errors) },
  };
}

const NO_APPLICATION: [string, ErrorCode[]] = ['No such application.', ['not_found']];

/** The admin API's paths, from the zod schemas its routes parse parameters and bodies with. */
export function adminPaths(bodyLimitBytes: number): Record<string, PathItem> {
  const o = (operation: Parameters<typeof op>[1]) => op(bodyLimitBytes, operation);
  const id = parameters('path', ID, { id: 'The application.' });
  return {
    '/admin/api/applications': {
      get: o({
        operationId: 'listApplications',
        summary: 'List applications, newest first',
        description:
          'Empty filters count as absent, as a filter form sends every field. Each call is written to the ' +
          'audit log as `api-token`, with its filters (a search as `search: true`, never its text).',
        parameters: parameters('query', LIST_QUERY, {
          limit: 'At most this many (100 unless given).',
          offset: 'Skip this many.',
          cohort: 'Only this cohort.',
          status: 'Only applications in this status.',
          flag: 'Only applications with this screening flag (e.g. `attendance`).',
          failedStep: 'Only applications whose step of this name failed, or any step with `any`.',
          deadlinePassed: 'Only applications in review past their review deadline.',
          q: 'Part of the name, e-mail address, reference or organisation, any case.',
        }),
        ok: ok('The applications.', z.object({ applications: z.array(rows.applicationSummary) })),
      }),
    },
    '/admin/api/applications/{id}': {
      get: o({
        operationId: 'getApplication',
        summary: 'One application with its votes, steps and timeline',
        description: 'Each read is written to the audit log as `api-token` in the same transaction.',
        parameters: id,
        ok: ok(
          'The application.',
          z.object({
            application: rows.application,
            votes: z.array(rows.vote),
            steps: z.array(rows.step),
            events: z.array(rows.event),
            votesHidden: z.literal(true).optional().describe('Present while the votes are blind.'),
          }),
        ),
        errors: { '404': NO_APPLICATION },
      }),
    },
    '/admin/api/applications/{id}/decision': {
      post: o({
        operationId: 'decide',
        summary: 'Decide as staff',
        description:
          'Recorded as the API token, never as a person, with the reason on the timeline; it opens the steps ' +
          'the outcome calls for (onboarding for an acceptance, a notice for the others). The token cannot ' +
          'vote: reviewers vote as themselves, in Slack or on the dashboard.',
        parameters: id,
        requestBody: body(decisionBody, 'The outcome and why.'),
        ok: ok('Decided.', z.object({ result: z.literal('decided') })),
        errors: {
          '404': NO_APPLICATION,
          '409': ['Already decided, or an acceptance into a cohort that is full.', ['conflict']],
        },
      }),
    },
    '/admin/api/applications/{id}/steps/{step}/retry': {
      post: o({
        operationId: 'retryStep',
        summary: 'Run a failed or waiting step again',
        parameters: parameters('path', STEP, { id: 'The application.', step: 'The step.' }),
        ok: ok('Queued again.', z.object({ result: z.literal('retried') })),
        errors: {
          '404': ['No such application or step.', ['not_found']],
          '409': ['The step is neither failed nor waiting.', ['conflict']],
        },
      }),
    },
    '/admin/api/applications/{id}/withdraw': {
      post: o({
        operationId: 'withdraw',
        summary: 'Withdraw an application',
        description:
          "Cancels the person's pending steps, removes them from the cohort's meetings and Slack channels, and " +
          'tells them.',
        parameters: id,
        requestBody: body(withdrawBody, 'An optional reason, kept on the timeline.'),
        ok: ok('Withdrawn.', z.object({ result: z.literal('withdrawn') })),
        errors: { '404': NO_APPLICATION, '409': ['Cannot be withdrawn in its status.', ['conflict']] },
      }),
    },
    '/admin/api/stats': {
      get: o({
        operationId: 'stats',
        summary: 'How many applications stand where, per cohort',
        ok: ok('The counts.', z.object({ counts: z.array(rows.statsRow) })),
      }),
    },
    ...checkinPaths(o),
  };
}

function checkinPaths(o: (operation: Parameters<typeof op>[1]) => Operation): Record<string, PathItem> {
  const programme = parameters('path', SLUG, { id: 'The programme.' });
  const noProgramme: [string, ErrorCode[]] = ['No such programme.', ['not_found']];
  const needsSlack: [string, ErrorCode[]] = [
    'Slack is not configured, so no prompt can be sent.',
    ['unavailable'],
  ];
  return {
    '/admin/api/checkins/programmes': {
      get: o({
        operationId: 'listProgrammes',
        summary: 'The check-in programmes and their action lines',
        tag: 'check-ins',
        ok: ok('The programmes.', z.object({ programmes: z.array(rows.programme) })),
      }),
    },
    '/admin/api/checkins/programmes/{id}/rounds': {
      get: o({
        operationId: 'listRounds',
        summary: "A programme's rounds, latest week first (at most 200)",
        tag: 'check-ins',
        parameters: programme,
        ok: ok('The rounds.', z.object({ rounds: z.array(rows.round) })),
        errors: { '404': noProgramme },
      }),
    },
    '/admin/api/checkins/programmes/{id}/start': {
      post: o({
        operationId: 'startRound',
        summary: "Open this week's round now and prompt every lead once",
        tag: 'check-ins',
        parameters: programme,
        ok: ok('The round.', z.object({ round: rows.openedRound })),
        errors: { '404': noProgramme, '503': needsSlack },
      }),
    },
    '/admin/api/checkins/programmes/{id}/close': {
      post: o({
        operationId: 'closeRound',
        summary: "Close this week's round now and post its digest",
        tag: 'check-ins',
        parameters: programme,
        ok: ok('Whether a round was closed.', z.object({ closed: z.boolean() })),
        errors: { '404': noProgramme, '503': needsSlack },
      }),
    },
    '/admin/api/checkins/rounds/{id}': {
      get: o({
        operationId: 'getRound',
        summary: 'One round with its prompts and answers',
        tag: 'check-ins',
        parameters: parameters('path', ROUND, { id: 'The round.' }),
        ok: ok(
          'The round.',
          z.object({ round: rows.round, prompts: z.array(rows.prompt), answers: z.array(rows.answer) }),
        ),
        errors: { '404': ['No such round.', ['not_found']] },
      }),
    },
    '/admin/api/checkins/action-lines/{id}': {
      get: o({
        operationId: 'actionLineHistory',
        summary: "An action line's answers over time, latest week first",
        tag: 'check-ins',
        parameters: parameters('path', SLUG, { id: 'The action line.' }),
        ok: ok('The answers.', z.object({ answers: z.array(rows.answer.extend({ week: z.string() })) })),
      }),
    },
  };
}
