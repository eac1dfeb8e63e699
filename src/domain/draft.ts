import type { Cohort } from '../../workflows/index.ts';
import { applicationSchema, type FieldCode } from './application.ts';
import { cleanLine, cleanText } from './text.ts';

/** A draft lives this long after its last save. */
export const DRAFT_TTL_MS = 30 * 86_400_000;

/** What a draft keeps: the form's fields as typed, bounded, in the form's own shape. */
export type DraftAnswers = Record<string, string | string[]>;

const LINES: Record<string, number> = {
  fullName: 120,
  phone: 32,
  organisation: 200,
  roleTitle: 120,
  sector: 64,
  region: 64,
};

/**
 * The part of a form a draft may hold. Only the address must be valid, since that is where the resume link
 * goes; everything else is kept as typed, cleaned and cut to the form's own limits, and choices that are not
 * the cohort's are dropped. Consent is not kept: it is given when the application is sent.
 */
export function parseDraft(
  cohort: Cohort,
  form: Record<string, unknown>,
): { ok: true; email: string; answers: DraftAnswers } | { ok: false; fields: { email: FieldCode } } {
  const email = applicationSchema(cohort).shape.email.safeParse(form.email ?? '');
  if (!email.success) {
    const code = email.error.issues[0]?.message;
    return { ok: false, fields: { email: (code as FieldCode | undefined) ?? 'invalid_email' } };
  }
  const answers: DraftAnswers = { email: email.data };
  for (const [name, max] of Object.entries(LINES)) {
    const v = form[name];
    if (typeof v === 'string' && cleanLine(v)) answers[name] = cleanLine(v).slice(0, max);
  }
  for (const [name, max] of [
    ['motivation', cohort.form.motivationMaxLength],
    ['accessibilityNeeds', 2000],
  ] as const) {
    const v = form[name];
    if (typeof v === 'string' && cleanText(v)) answers[name] = cleanText(v).slice(0, max);
  }
  const ids = {
    topics: cohort.form.topics.map((t) => t.id),
    confirmedMeetings: cohort.meetings.map((m) => m.id),
  };
  for (const [name, known] of Object.entries(ids)) {
    const v = form[name];
    const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    answers[name] = [...new Set(list.filter((x): x is string => typeof x === 'string' && known.includes(x)))];
  }
  return { ok: true, email: email.data, answers };
}
