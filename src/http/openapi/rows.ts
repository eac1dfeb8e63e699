import { z } from 'zod';
import { actionLineSchema, leadLangSchema } from '../../../workflows/checkins/schema.ts';
import { STATUSES, STEP_NAMES } from '../../domain/lifecycle.ts';

// What the admin API sends, as the routes build it today from the database rows (src/storage/schema.ts). The
// rows have no zod schema of their own, so these are written here; the document's tests hold them to live
// answers.

const at = z.iso.datetime({ offset: true });
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
// Erasure clears every personal column and keeps the row, so each of them may be null.
const personal = nullable(z.string());

const answers = z
  .object({
    motivation: z.string(),
    topics: z.array(z.string()),
    confirmedMeetings: z.array(z.string()),
    accessibilityNeeds: z.string(),
    consentAt: at,
  })
  .partial()
  .describe('The form answers not kept in columns; empty after erasure.');

/** One row of the application list. */
export const applicationSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  cohort: z.string(),
  full_name: personal,
  email: personal,
  organisation: personal,
  status: z.enum(STATUSES),
  flags: z.array(z.string()).describe('Screening flags, e.g. a meeting date not confirmed.'),
  created_at: at,
});

/** The whole application row. */
export const application = applicationSummary.extend({
  phone: personal.describe('E.164.'),
  role_title: personal,
  sector: personal,
  region: personal,
  answers,
  source: z.enum(['form', 'api', 'edge']),
  language: z
    .enum(['he', 'ar', 'en'])
    .describe('The language the person applied in; every e-mail to them is in it.'),
  updated_at: at,
  erased_at: nullable(at),
  email_confirmed_at: nullable(at).describe(
    'When the person first opened the link to their own page, proving the address works.',
  ),
  review_deadline: nullable(at),
  decided_at: nullable(at),
  decided_by: nullable(z.string()),
  card_channel: nullable(z.string()).describe("The review card's Slack channel, once posted."),
  card_ts: nullable(z.string()),
  card_attempted_at: nullable(at).describe('When posting the review card was first begun.'),
});

// In a cohort with blind review, until the decision a vote says who and when, never how nor with what note.
const blind = 'Absent while the cohort votes blind and the application is undecided.';

export const vote = z.object({
  application_id: z.uuid(),
  reviewer: z.string().describe("The reviewer's Slack id or e-mail address."),
  reviewer_name: z.string(),
  vote: z.enum(['approve', 'reject', 'waitlist']).optional().describe(blind),
  note: nullable(z.string()).optional().describe(blind),
  counted: z.boolean().describe('False for a vote the policy does not count (e.g. a conflict of interest).'),
  at,
  clicked_at: nullable(at).describe(
    "When the click behind the vote was made (Slack's action_ts); null elsewhere.",
  ),
});

export const step = z.object({
  application_id: z.uuid(),
  step: z.enum(STEP_NAMES),
  status: z.enum(['pending', 'running', 'waiting', 'done', 'skipped', 'failed', 'cancelled']),
  generation: z.number().int(),
  attempts: z.number().int(),
  last_error: nullable(z.string()).describe('With personal data masked.'),
  detail: z.record(z.string(), z.unknown()),
  updated_at: at,
});

export const event = z.object({
  id: z.union([z.string().regex(/^\d+$/), z.number().int()]).describe('Rising with time.'),
  application_id: z.uuid(),
  at,
  actor: z.string(),
  type: z.string().describe('What happened, e.g. submitted or resubmitted.'),
  data: z.record(z.string(), z.unknown()).describe(`A vote's entry loses its choice the same way: ${blind}`),
});

export const statsRow = z.object({
  cohort: z.string(),
  status: z.enum(STATUSES),
  count: z.number().int().min(0),
});

// The settings take a lead as a bare Slack id too; the service always answers with the id and the language.
const lead = z.object({
  id: z.string().describe("The lead's Slack user id."),
  lang: leadLangSchema.describe('The language the lead is prompted, reminded and shown the App Home in.'),
});

export const programme = z.object({
  id: z.string(),
  name: z.object({ he: z.string(), en: z.string(), ar: z.string().optional() }),
  actionLines: z.array(actionLineSchema.extend({ leads: z.array(lead) })),
});

export const round = z.object({
  id: z.uuid(),
  programme: z.string(),
  week: z.string().describe('The Israeli week, Sunday first, as YYYY-MM-DD of its Sunday.'),
  status: z.enum(['open', 'closed', 'skipped']),
  skip_reason: nullable(z.string()),
  opened_at: at,
  closes_at: at,
  reminded_at: nullable(at),
  closed_at: nullable(at),
  digest_channel: nullable(z.string()),
  digest_ts: nullable(z.string()),
});

export const prompt = z.object({
  round_id: z.uuid(),
  action_line: z.string(),
  lead: z.string().describe("The lead's Slack user id."),
  prompted_at: nullable(at),
  dm_channel: nullable(z.string()),
  dm_ts: nullable(z.string()),
  reminded_at: nullable(at),
  paused_until: nullable(z.string()).describe(
    "The last day (YYYY-MM-DD, Israel time) of the lead's pause while the round was open: no prompt, no reminder.",
  ),
});

export const answer = z.object({
  actionLine: z.string(),
  lead: z.string(),
  progress: z.string(),
  nextSteps: z.string(),
  blockers: z.string(),
  status: z.enum(['green', 'yellow', 'red']),
  helpNeeded: z.string(),
});

/** The slice of a round that opening one by hand answers with. */
export const openedRound = round.pick({
  id: true,
  programme: true,
  week: true,
  status: true,
  closes_at: true,
});
