import type { Kysely } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import type { Database } from '../storage/schema.ts';

const PHONE = /^\+\d{8,15}$/;

/**
 * One CSV cell, safe for Excel: a cell that starts with = + - @, a tab or a carriage return would run as a
 * formula, so it gets a leading apostrophe — except an E.164 phone number, which is data Excel reads as text
 * once quoted. RFC 4180 quoting for the rest.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !PHONE.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The applications as CSV for Excel: UTF-8 with a BOM so Hebrew shows, one row per application. */
export async function applicationsCsv(
  db: Kysely<Database>,
  workflows: Workflows,
  filter: { cohort?: string; status?: ApplicationStatus } = {},
) {
  let q = db.selectFrom('applications').selectAll().orderBy('created_at');
  if (filter.cohort) q = q.where('cohort', '=', filter.cohort);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q.execute();
  const header = [
    'reference',
    'cohort',
    'status',
    'full_name',
    'email',
    'phone',
    'organisation',
    'role_title',
    'sector',
    'region',
    'topics',
    'confirmed_meetings',
    'flags',
    'created_at',
  ];
  const label = (cohortId: string, kind: 'sectors' | 'regions', id: string | null) =>
    workflows.cohorts.get(cohortId)?.form[kind].find((c) => c.id === id)?.he ?? id ?? '';
  const lines = rows.map((r) => {
    const answers = r.answers as { topics?: string[]; confirmedMeetings?: string[] };
    return [
      r.reference,
      r.cohort,
      r.status,
      r.full_name,
      r.email,
      r.phone,
      r.organisation,
      r.role_title,
      label(r.cohort, 'sectors', r.sector),
      label(r.cohort, 'regions', r.region),
      (answers.topics ?? []).join('; '),
      (answers.confirmedMeetings ?? []).join('; '),
      r.flags.join('; '),
      new Date(r.created_at),
    ]
      .map(csvCell)
      .join(',');
  });
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
