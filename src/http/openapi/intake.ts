import { z } from 'zod';
import type { Cohort, Workflows } from '../../../workflows/index.ts';
import { applicationSchema, FIELD_NAMES, type FieldName } from '../../domain/application.ts';
import { REFERENCE_ALPHABET } from '../../domain/reference.ts';
import { RELAY_HEADERS } from '../relay-signature.ts';
import { idempotencyKeySchema } from '../routes/api.ts';
import {
  errorResponse,
  type JsonSchema,
  json,
  type Parameter,
  type PathItem,
  rateLimited,
  ref,
  requestSchema,
  responseSchema,
} from './schema.ts';

const FIELDS: Record<FieldName, string> = {
  fullName: 'Full name.',
  email:
    'E-mail address, kept in lower case. One application per address in a cohort: sending again is a repeat.',
  phone:
    'Mobile number. Israeli numbers in any common spelling are stored as E.164; mobiles abroad are accepted too.',
  organisation: 'Organisation or local authority.',
  roleTitle: 'Role title.',
  sector: 'Sector, by id:',
  region: 'Region, by id:',
  motivation: 'Why the applicant wants to join; free text, line breaks kept.',
  topics: 'Topics the applicant can contribute, by id (repeats are ignored):',
  confirmedMeetings:
    'The meetings whose dates the applicant confirms, by id. Leaving one out is allowed: the application is ' +
    'flagged for the reviewers, not refused. The meetings:',
  accessibilityNeeds: 'Accessibility needs for the meetings, so they can be arranged; free text.',
  consent: 'Consent to the privacy notice; must be true.',
  language:
    'The language every later e-mail and calendar file is written in: `he` (Hebrew), `ar` (Arabic) or `en` ' +
    '(English). Without it, the first of these named by `Content-Language`, then `Accept-Language`; else Hebrew.',
};

const listed = (choices: { id: string; label: string }[]) =>
  choices.map((c) => `\`${c.id}\` (${c.label})`).join(', ');

function choicesOf(cohort: Cohort, field: FieldName): string {
  const { sectors, regions, topics } = cohort.form;
  const en = (cs: { id: string; en: string }[]) => listed(cs.map((c) => ({ id: c.id, label: c.en })));
  if (field === 'sector') return en(sectors);
  if (field === 'region') return en(regions);
  if (field === 'topics') return en(topics);
  if (field === 'confirmedMeetings') {
    return listed(
      cohort.meetings.map((m) => ({ id: m.id, label: `${m.title.en}, ${m.start.slice(0, 10)}` })),
    );
  }
  return '';
}

/** One cohort's request body: the cohort's own zod schema, with words for each field. */
function cohortBody(cohort: Cohort): JsonSchema {
  const schema = requestSchema(applicationSchema(cohort));
  const properties = schema.properties as Record<FieldName, JsonSchema>;
  for (const field of FIELD_NAMES) {
    properties[field] = {
      ...properties[field],
      description: `${FIELDS[field]} ${choicesOf(cohort, field)}`.trim(),
    };
  }
  return {
    title: `An application to ${cohort.id}`,
    description:
      `${cohort.name.en}${cohort.open ? '' : ' (closed: answers 409)'}. Text is cleaned before its length is ` +
      'counted: white space folded and trimmed, control and bidirectional-override characters removed, NFC. ' +
      'Lengths count UTF-16 code units. Unknown fields are refused.',
    ...schema,
    properties,
  };
}

const received = z.strictObject({
  id: z.uuid().describe('The application, as the admin API names it.'),
  reference: z
    .string()
    .regex(new RegExp(`^[A-Z0-9]{2,6}-[${REFERENCE_ALPHABET}]{5}$`))
    .describe('What the applicant quotes on the phone: the cohort prefix and five unambiguous characters.'),
  status: z.literal('received'),
});
// A repeat reveals nothing of the first application: whoever knows an address must not learn its reference.
const repeat = z.strictObject({ status: z.literal('received') });
const queued = z.strictObject({ status: z.literal('queued') });

const headers = (): Parameter[] => [
  ...['Content-Language', 'Accept-Language'].map(
    (name): Parameter => ({
      name,
      in: 'header',
      required: false,
      description:
        'The applicant language when the body has no `language`: `Content-Language` first, then ' +
        '`Accept-Language` (its first of he, ar, en by preference). Neither: Hebrew.',
      schema: { type: 'string' },
    }),
  ),
  {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes a retry safe: 1–200 visible ASCII characters (anything else is a 400), kept per cohort without ' +
      'expiry. The same key with the same body (after normalisation) gets exactly the answer the first ' +
      'request got, status and body, and nothing is stored again; the same key with a different body is ' +
      'refused with 422; a request arriving while the first with its key is being stored waits for it.',
    schema: requestSchema(idempotencyKeySchema),
  },
  ...Object.values(RELAY_HEADERS).map(
    (name): Parameter => ({
      name,
      in: 'header',
      required: false,
      description:
        'Sent only by the edge Worker, which signs its relays with the secret it shares with the core ' +
        '(HMAC over the time, path, key, address, flags and body; five minutes of tolerance; each signature ' +
        'used once). A request with any of these headers that fails the check is refused with 401.',
      schema: { type: 'string' },
    }),
  ),
];

const INTAKE_DESCRIPTION = (bodyLimitBytes: number) =>
  [
    'Submits one application: the same rules as the form, a different transport. The body is checked ' +
      "against the cohort's schema (the same zod schema the form uses), normalised and stored durably with " +
      'its timeline entry and its first job in one transaction; the applicant is told it was received.',
    '',
    'Protections, in the order they apply:',
    `- The body may hold at most ${bodyLimitBytes / 1024} KB (${bodyLimitBytes} bytes), otherwise 413: a ` +
      'declared length is judged before anything else, a chunked body is cut off as it is read.',
    '- `Content-Type` must be `application/json` (parameters such as `charset` allowed), otherwise 415. ' +
      'A cross-site HTML form cannot send that type, so the route needs no CSRF token.',
    '- A limit per client address (30 requests per 10 minutes as shipped), counted before the body is parsed, ' +
      'and one per e-mail address (5 per hour), counted before validation: over either, 429 with ' +
      '`Retry-After`. The core service shares the counts between its web processes through Redis.',
    '- The public form may be served by the edge Worker with Cloudflare Turnstile in front of it; the Worker ' +
      'relays valid submissions here, signed. When Turnstile cannot be reached the applicant is accepted and ' +
      'the application flagged `bot_check_unverified` for staff. This JSON route has no Turnstile of its own.',
    '',
    'A repeat (the same e-mail address in the same cohort) never creates a second application, never ' +
      "changes the first one's answers and never shows its id or reference: it answers 200 with " +
      '`{"status":"received"}` alone. Its answers are kept as the application\'s proposed update (the latest ' +
      'replaces an earlier one), which the owner applies or discards from their own page, and the owner is ' +
      'e-mailed a link to that page (at most once per address in 10 minutes). A request with an ' +
      '`Idempotency-Key` already answered gets that first answer again, byte for byte, status included.',
  ].join('\n');

/** The intake path and its request schemas (one per cohort, each from that cohort's zod schema). */
export function intakePaths(workflows: Workflows, bodyLimitBytes: number) {
  const cohorts = [...workflows.cohorts.values()];
  const schemas: Record<string, JsonSchema> = {
    Received: responseSchema(received),
    Repeat: {
      ...responseSchema(repeat),
      description: 'A repeat: nothing that names the first application.',
    },
    Queued: responseSchema(queued),
  };
  for (const cohort of cohorts) schemas[`Application.${cohort.id}`] = cohortBody(cohort);
  const path: PathItem = {
    post: {
      operationId: 'submitApplication',
      summary: 'Submit an application to a cohort',
      description: INTAKE_DESCRIPTION(bodyLimitBytes),
      tags: ['intake'],
      security: [],
      parameters: [
        {
          name: 'cohort',
          in: 'path',
          required: true,
          description: 'The cohort applied to; an unknown one answers 404.',
          schema: { type: 'string', enum: cohorts.map((c) => c.id) },
        },
        ...headers(),
      ],
      requestBody: {
        required: true,
        description: 'The application, in the schema of the cohort named in the path.',
        content: json({ anyOf: cohorts.map((c) => ref(`Application.${c.id}`)) }),
      },
      responses: {
        '201': { description: 'Stored: a new application.', content: json(ref('Received')) },
        '200': {
          description:
            'A repeat: this e-mail address already applied to this cohort. No second application is opened, the ' +
            "first application's answers stand, its timeline notes the repeat and the answers wait as its " +
            'proposed update; the body names nothing of the first application.',
          content: json(ref('Repeat')),
        },
        '202': {
          description:
            'Only from the edge Worker while the core is away: kept for delivery, the reference sent by e-mail.',
          content: json(ref('Queued')),
        },
        '400': errorResponse(
          'The body is not JSON or not an object (`fields._body`), a field is invalid (`fields` names each ' +
            'with its first problem: required, too_short, too_long, invalid_email, invalid_phone, ' +
            'invalid_choice, too_many, consent_required, unknown_field, invalid_type), or the Idempotency-Key ' +
            'is malformed.',
          ['validation_failed', 'bad_request'],
        ),
        '401': errorResponse('A relay header without a valid, fresh, unused signature.', ['unauthorized']),
        '404': errorResponse('No such cohort.', ['not_found']),
        '409': errorResponse('The cohort is not accepting applications.', ['cohort_closed']),
        '413': errorResponse(`The body is larger than ${bodyLimitBytes} bytes.`, ['payload_too_large']),
        '415': errorResponse('The body is not sent as application/json.', ['unsupported_media_type']),
        '422': errorResponse('This Idempotency-Key was used with a different body.', [
          'idempotency_conflict',
        ]),
        '429': rateLimited('Too many submissions from this address, or for this e-mail address.'),
      },
    },
  };
  return { paths: { '/api/cohorts/{cohort}/applications': path }, schemas };
}
