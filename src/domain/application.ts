import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { z } from 'zod';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import { AppError } from './errors.ts';
import { cleanLine, cleanText } from './text.ts';

/** Field error codes; the form shows them in Hebrew, the API returns them as they are. */
export type FieldCode =
  | 'required'
  | 'too_short'
  | 'too_long'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_choice'
  | 'too_many'
  | 'consent_required'
  | 'unknown_field'
  | 'invalid_type';

export const FIELD_NAMES = [
  'fullName',
  'email',
  'phone',
  'organisation',
  'roleTitle',
  'sector',
  'region',
  'motivation',
  'topics',
  'confirmedMeetings',
  'accessibilityNeeds',
  'consent',
  'language',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

// JSON Schema sees only the input side of a pipe and nothing of a refine, so each field restates its limits
// and choices as metadata for the API's document (src/http/openapi.ts); the checks stay the rule.
const line = (min: number, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined || i.input === null ? 'required' : 'invalid_type') })
    .transform(cleanLine)
    .pipe(z.string().min(1, 'required').min(min, 'too_short').max(max, 'too_long'))
    .meta({ minLength: min, maxLength: max });

const text = (min: number, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined || i.input === null ? 'required' : 'invalid_type') })
    .transform(cleanText)
    .pipe(
      min > 0
        ? z.string().min(1, 'required').min(min, 'too_short').max(max, 'too_long')
        : z.string().max(max, 'too_long'),
    )
    .meta(min > 0 ? { minLength: min, maxLength: max } : { maxLength: max });

const choice = (ids: readonly string[]) =>
  z
    .string({ error: (i) => (i.input === undefined ? 'required' : 'invalid_type') })
    .min(1, 'required')
    .refine((v) => ids.includes(v), 'invalid_choice')
    .meta({ enum: [...ids] });

const manyChoices = (ids: readonly string[]) =>
  z
    .array(z.string({ error: 'invalid_type' }), { error: 'invalid_type' })
    .max(ids.length, 'too_many')
    .refine((vs) => vs.every((v) => ids.includes(v)), 'invalid_choice')
    .transform((vs) => [...new Set(vs)])
    .meta({ items: { type: 'string', enum: [...ids] } });

const email = z
  .string({ error: (i) => (i.input === undefined ? 'required' : 'invalid_type') })
  .transform((v) => cleanLine(v).toLowerCase())
  .pipe(z.string().min(1, 'required').max(254, 'too_long').pipe(z.email('invalid_email')))
  .meta({ format: 'email', maxLength: 254 });

// Israeli mobile numbers in any common spelling (050-1234567, +972 50…, 972-50…); other countries' mobiles
// are accepted too, because members include Israelis abroad. Stored as E.164.
const phone = z
  .string({ error: (i) => (i.input === undefined ? 'required' : 'invalid_type') })
  // On the input string, not the whole: JSON Schema's input view drops a transform's examples.
  .meta({ maxLength: 32, examples: ['050-7234567', '+972 50 723 4567', '972-52-7234567'] })
  .transform(cleanLine)
  .pipe(z.string().min(1, 'required').max(32, 'invalid_phone'))
  .transform((v, ctx) => {
    const parsed = parsePhoneNumberFromString(v, 'IL');
    if (!parsed?.isValid()) {
      ctx.addIssue({ code: 'custom', message: 'invalid_phone' });
      return z.NEVER;
    }
    return parsed.number;
  });

/** The languages an applicant may apply in, and is written to in afterwards. */
export const APPLICANT_LANGS = ['he', 'ar', 'en'] as const;
export type ApplicantLang = (typeof APPLICANT_LANGS)[number];

/** The application schema of one cohort: the same for the form, the JSON API and the edge. */
export function applicationSchema(cohort: Cohort) {
  const cached = schemas.get(cohort);
  if (cached) return cached;
  const built = buildSchema(cohort);
  schemas.set(cohort, built);
  return built;
}

// Building a zod schema costs far more than using one; a cohort's definition never changes after start.
const schemas = new WeakMap<Cohort, ReturnType<typeof buildSchema>>();

function buildSchema(cohort: Cohort) {
  const ids = (cs: { id: string }[]) => cs.map((c) => c.id);
  return z.strictObject(
    {
      fullName: line(2, 120),
      email,
      phone,
      organisation: line(2, 200),
      roleTitle: line(2, 120),
      sector: choice(ids(cohort.form.sectors)),
      region: choice(ids(cohort.form.regions)),
      motivation: text(20, cohort.form.motivationMaxLength),
      topics: manyChoices(ids(cohort.form.topics)).default([]),
      confirmedMeetings: manyChoices(ids(cohort.meetings)).default([]),
      accessibilityNeeds: text(0, 2000).default(''),
      consent: z.literal(true, { error: 'consent_required' }),
      // Optional: the form and the edge say it beside the body, and the core falls back to the headers.
      language: z.enum(APPLICANT_LANGS, { error: 'invalid_choice' }).optional(),
    },
    { error: 'invalid_type' },
  );
}

export type ApplicationInput = z.output<ReturnType<typeof applicationSchema>>;

export type ValidationResult =
  | { ok: true; value: ApplicationInput }
  | { ok: false; fields: Partial<Record<string, FieldCode>> };

/** Validates and normalises; on failure one code per field (the first problem found). */
export function validateApplication(cohort: Cohort, input: unknown): ValidationResult {
  const result = applicationSchema(cohort).safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const fields: Partial<Record<string, FieldCode>> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= 'unknown_field';
      continue;
    }
    const key = issue.path.length > 0 ? String(issue.path[0]) : '_body';
    fields[key] ??= (isFieldCode(issue.message) ? issue.message : 'invalid_type') as FieldCode;
  }
  return { ok: false, fields };
}

const FIELD_CODES = new Set<string>([
  'required',
  'too_short',
  'too_long',
  'invalid_email',
  'invalid_phone',
  'invalid_choice',
  'too_many',
  'consent_required',
  'unknown_field',
  'invalid_type',
]);
const isFieldCode = (m: string): m is FieldCode => FIELD_CODES.has(m);

/** The form's urlencoded body in the JSON shape: repeated keys become arrays, a ticked box is true. */
export function formToInput(form: Record<string, string | string[]>): Record<string, unknown> {
  const one = (k: string) => {
    const v = form[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const many = (k: string) => {
    const v = form[k];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  return {
    fullName: one('fullName') ?? '',
    email: one('email') ?? '',
    phone: one('phone') ?? '',
    organisation: one('organisation') ?? '',
    roleTitle: one('roleTitle') ?? '',
    sector: one('sector') ?? '',
    region: one('region') ?? '',
    motivation: one('motivation') ?? '',
    topics: many('topics'),
    confirmedMeetings: many('confirmedMeetings'),
    accessibilityNeeds: one('accessibilityNeeds') ?? '',
    consent: one('consent') === 'yes',
  };
}

/**
 * The checks every intake makes before anything is stored or relayed: the cohort exists and is open, and the
 * body passes its schema. Throws the AppError each transport maps (Hebrew fields on the form, codes in JSON).
 */
export function admitApplication(
  workflows: Workflows,
  cohortId: string,
  body: unknown,
): { cohort: Cohort; input: ApplicationInput } {
  const cohort = workflows.cohorts.get(cohortId);
  if (!cohort) throw new AppError('not_found', `no cohort ${cohortId}`);
  if (!cohort.open) throw new AppError('cohort_closed', 'this cohort is not accepting applications');
  const validated = validateApplication(cohort, body);
  if (!validated.ok) {
    throw new AppError('validation_failed', 'some fields are invalid', {
      fields: validated.fields as Record<string, string>,
    });
  }
  return { cohort, input: validated.value };
}
