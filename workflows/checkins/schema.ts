import { isValid, parseISO } from 'date-fns';
import { z } from 'zod';

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U…)');
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id (C…)');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');
const moment = z.object({ day: z.number().int().min(0).max(6), time });
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((d) => isValid(parseISO(d)), 'must be a date in the calendar');

/** A break in the programme, both days included (the summer break): no round in a week it touches. */
const pauseSchema = z
  .object({ from: isoDate, to: isoDate, reason: z.string().trim().min(1).max(200).optional() })
  .refine((p) => p.from <= p.to, { path: ['to'], message: 'must be on or after from' });

/** The language a lead reads their prompts, reminders, forms and App Home in. */
export const leadLangSchema = z.enum(['he', 'ar', 'en']);

/**
 * A lead: a Slack user id alone (Hebrew, as settings written before languages still say), or the id with
 * the lead's language. Either way the programme holds `{ id, lang }`.
 */
export const leadSchema = z
  .union([slackUserId, z.strictObject({ id: slackUserId, lang: leadLangSchema.default('he') })])
  .transform((lead) => (typeof lead === 'string' ? { id: lead, lang: 'he' as const } : lead));

/** A name in Arabic and English beside the Hebrew one; a lead whose language has none reads the Hebrew. */
const otherNames = z.strictObject({ ar: z.string().trim().min(1), en: z.string().trim().min(1) }).partial();

export const actionLineSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  name: z.string().min(1),
  names: otherNames.default({}),
  leads: z.array(leadSchema).default([]),
  channel: slackChannelId.optional(),
});

export const programmeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    name: z.object({ he: z.string().min(1), en: z.string().min(1), ar: z.string().min(1).optional() }),
    timeZone: z.literal('Asia/Jerusalem').default('Asia/Jerusalem'),
    leadershipChannel: slackChannelId.optional(),
    actionLines: z.array(actionLineSchema).min(1),
    /** Days are 0 = Sunday, the first day of the Israeli week. */
    cadence: z
      .object({
        prompt: moment.default({ day: 0, time: '09:00' }),
        reminder: moment.default({ day: 1, time: '09:00' }),
        close: moment.default({ day: 2, time: '12:00' }),
        leadershipDigestEveryWeeks: z.number().int().min(1).max(8).default(2),
        monthlySummary: z.boolean().default(true),
        mentionInReminders: z.boolean().default(true),
      })
      .default({
        prompt: { day: 0, time: '09:00' },
        reminder: { day: 1, time: '09:00' },
        close: { day: 2, time: '12:00' },
        leadershipDigestEveryWeeks: 2,
        monthlySummary: true,
        mentionInReminders: true,
      }),
    skipDates: z.array(isoDate).default([]),
    pauses: z.array(pauseSchema).default([]),
    skipIsraeliHolidays: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    const order = (m: { day: number; time: string }) =>
      m.day * 1440 + Number(m.time.slice(0, 2)) * 60 + Number(m.time.slice(3));
    if (
      !(
        order(p.cadence.prompt) < order(p.cadence.reminder) &&
        order(p.cadence.reminder) < order(p.cadence.close)
      )
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['cadence'],
        message: 'prompt, reminder and close must come in that order within the week',
      });
    }
    // One person reads one language: a lead listed under two lines is asked in the same one in both.
    const langs = new Map<string, string>();
    p.actionLines.forEach((line, i) => {
      line.leads.forEach((lead, j) => {
        const first = langs.get(lead.id) ?? lead.lang;
        langs.set(lead.id, first);
        if (first !== lead.lang)
          ctx.addIssue({
            code: 'custom',
            path: ['actionLines', i, 'leads', j, 'lang'],
            message: `${lead.id} is a lead elsewhere in ${first}: give a lead the same lang everywhere`,
          });
      });
    });
  });

export type Programme = z.infer<typeof programmeSchema>;
export type ProgrammeInput = z.input<typeof programmeSchema>;
export type ActionLine = z.infer<typeof actionLineSchema>;
export type Lead = z.infer<typeof leadSchema>;
export type LeadLang = z.infer<typeof leadLangSchema>;
