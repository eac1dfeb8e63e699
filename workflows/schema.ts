import { z } from 'zod';

const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local date-time YYYY-MM-DDTHH:mm (Asia/Jerusalem)');
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be lower-case letters, digits and dashes');
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U…)');
const slackChannelId = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id (C…)');
// Every text an applicant reads exists in each of the applicant languages; a missing one fails at start.
const trilingual = z.object({ he: z.string().min(1), ar: z.string().min(1), en: z.string().min(1) });

export const meetingSchema = z
  .object({
    id: slug,
    title: trilingual,
    start: localDateTime,
    end: localDateTime,
    mode: z.enum(['in_person', 'online']),
    address: z.string().min(1).optional(),
    videoLink: z.url().optional(),
    description: z.string().default(''),
  })
  .refine((m) => m.end > m.start, { message: 'a meeting must end after it starts', path: ['end'] });

export const choiceSchema = z.object({
  id: slug,
  he: z.string().min(1),
  ar: z.string().min(1),
  en: z.string().min(1),
});

export const reviewerSchema = z
  .object({
    name: z.string().min(1),
    slackId: slackUserId.optional(),
    email: z.email().optional(),
    organisation: z.string().optional(),
  })
  .refine((r) => r.slackId || r.email, { message: 'a reviewer needs a slackId or an email' });

export const staffRoleSchema = z.enum(['coordinator', 'reviewer', 'viewer']);

/** A member of programme staff, as the settings file lists them: who signs in to the dashboard, and as what. */
export const staffMemberSchema = z
  .object({
    name: z.string().min(1),
    email: z.email().optional(),
    slackId: slackUserId.optional(),
    roles: z.array(staffRoleSchema).min(1),
  })
  .strict()
  .refine((s) => s.slackId || s.email, { message: 'a member of staff needs a slackId or an email' });

export const reviewPolicySchema = z.object({
  channel: slackChannelId.optional(),
  reviewers: z.array(reviewerSchema).default([]),
  reviewerUserGroup: z
    .string()
    .regex(/^S[A-Z0-9]{2,}$/)
    .optional(),
  /** Reviewers who may accept, decline or waitlist alone. Slack ids or e-mails of listed reviewers. */
  deciders: z.array(z.string()).default([]),
  approvalsToAccept: z.number().int().min(1).default(2),
  rejectionsToDecline: z.number().int().min(1).default(2),
  blind: z.boolean().default(false),
  conflictOfInterest: z.enum(['flag', 'exclude']).default('exclude'),
  deadlineDays: z.number().int().min(1).max(90).default(7),
  reminderHoursBeforeDeadline: z.number().int().min(1).default(48),
});

export const cohortSchema = z
  .object({
    id: slug,
    name: trilingual,
    description: trilingual,
    referencePrefix: z.string().regex(/^[A-Z0-9]{2,6}$/, 'must be 2–6 capital letters or digits'),
    open: z.boolean().default(true),
    timeZone: z.literal('Asia/Jerusalem').default('Asia/Jerusalem'),
    meetings: z.array(meetingSchema).min(1),
    attendanceRequired: z.boolean().default(true),
    /**
     * Places in the cohort, counted as accepted, onboarding and onboarded people. Unset: no limit. A full
     * cohort refuses an explicit acceptance and waitlists an applicant whose votes would accept.
     */
    capacity: z.number().int().min(1).optional(),
    form: z.object({
      sectors: z.array(choiceSchema).min(2),
      regions: z.array(choiceSchema).min(2),
      topics: z.array(choiceSchema).min(1),
      motivationMaxLength: z.number().int().min(100).max(10_000).default(5000),
      privacyNoticeUrl: z.string().default('/privacy'),
    }),
    review: reviewPolicySchema.default(reviewPolicySchema.parse({})),
    onboarding: z
      .object({
        slackChannels: z.array(slackChannelId).default([]),
        calendarId: z.string().min(1).optional(),
      })
      .default({ slackChannels: [] }),
    retention: z
      .object({
        declinedDays: z.number().int().min(1).default(365),
        withdrawnDays: z.number().int().min(1).default(90),
      })
      .default({ declinedDays: 365, withdrawnDays: 90 }),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.meetings.forEach((m, i) => {
      if (ids.has(m.id))
        ctx.addIssue({ code: 'custom', path: ['meetings', i, 'id'], message: 'duplicate id' });
      ids.add(m.id);
      if (m.mode === 'in_person' && !m.address) {
        ctx.addIssue({
          code: 'custom',
          path: ['meetings', i, 'address'],
          message: 'in-person needs an address',
        });
      }
    });
  });

const phoneText = z
  .string()
  .regex(
    /^\+?[0-9][0-9 -]{5,18}[0-9]$/,
    'must be a phone number: digits, spaces and dashes, + first if international',
  );

/** How applicants reach the programme: shown on the confirmation and privacy pages and in every e-mail. */
export const programmeContactSchema = z
  .object({
    email: z.email(),
    phone: phoneText.optional(),
  })
  .strict();

/**
 * The accessibility statement's facts (IS 5568, the equal-rights regulations): who handles accessibility
 * requests, how to reach them, and when the site was last checked. The statement's words are in the pages'
 * catalogue; these change per installation.
 */
export const accessibilitySchema = z
  .object({
    coordinator: z
      .object({
        name: trilingual,
        email: z.email(),
        phone: phoneText.optional(),
      })
      .strict(),
    lastReviewed: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date'),
  })
  .strict();

/** An https:// address, or a path on this site (a logo the deployment serves beside the service). */
const imageSource = z
  .string()
  .refine(
    (s) => (/^https:\/\/\S+$/.test(s) && URL.canParse(s)) || /^\/(?![/\\])\S*$/.test(s),
    'must be an https:// address or a path on this site starting with /',
  );

/**
 * The programme's own name and logo in the header of every applicant page; without them the header names
 * the network as shipped. The logo's text alternative is given in each language, like the name.
 */
export const brandingSchema = z
  .object({
    name: trilingual.optional(),
    logo: z.object({ src: imageSource, alt: trilingual }).strict().optional(),
  })
  .strict();

export type Branding = z.infer<typeof brandingSchema>;
export type ProgrammeContact = z.infer<typeof programmeContactSchema>;
export type AccessibilitySettings = z.infer<typeof accessibilitySchema>;
export type StaffRole = z.infer<typeof staffRoleSchema>;
export type StaffMember = z.infer<typeof staffMemberSchema>;
export type Meeting = z.infer<typeof meetingSchema>;
export type Choice = z.infer<typeof choiceSchema>;
export type ReviewPolicy = z.infer<typeof reviewPolicySchema>;
export type Cohort = z.infer<typeof cohortSchema>;
export type CohortInput = z.input<typeof cohortSchema>;
