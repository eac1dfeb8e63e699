import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Kysely } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import { FLAG_HE, labelOf, STATUS_HE } from '../domain/staff-labels.ts';
import type { ApplicationRow, Database } from '../storage/schema.ts';

/** The zone staff read times in, whatever the server's. */
const STAFF_TIME_ZONE = 'Asia/Jerusalem';

/** An instant as Israel local time, `2027-01-05 14:30`, which Excel reads as a date and time. */
export function israelTime(at: Date | string): string {
  return format(new TZDate(new Date(at).getTime(), STAFF_TIME_ZONE), 'yyyy-MM-dd HH:mm');
}

/**
 * A stored E.164 number as people write it: `050-723-4567` for an Israeli one, which Excel keeps as text
 * (a bare `+972…` or `0507…` it turns into a number, `9.72507E+11`, and drops the leading zero); the
 * international form for any other country.
 */
export function phoneText(phone: string | null): string {
  if (!phone) return '';
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed) return phone;
  return parsed.country === 'IL' ? parsed.formatNational() : parsed.formatInternational();
}

/**
 * One CSV cell, safe for Excel: a cell that starts with = + - @, a tab or a carriage return would run as a
 * formula, so it gets a leading apostrophe. RFC 4180 quoting for the rest. A date is written in Israel time.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : value instanceof Date ? israelTime(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file for Excel: UTF-8 with a BOM so Hebrew shows, CRLF line ends, one header line. */
export function csvDocument(header: readonly string[], rows: readonly unknown[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

type Filter = { cohort?: string | undefined; status?: ApplicationStatus | undefined };
type Answers = {
  motivation?: string;
  topics?: string[];
  confirmedMeetings?: string[];
  accessibilityNeeds?: string;
};

async function applications(db: Kysely<Database>, filter: Filter) {
  let q = db.selectFrom('applications').selectAll().orderBy('created_at');
  if (filter.cohort) q = q.where('cohort', '=', filter.cohort);
  if (filter.status) q = q.where('status', '=', filter.status);
  return q.execute();
}

/** Hebrew labels for one application's codes, from its cohort's definition. */
function labelled(row: ApplicationRow, cohort: Cohort | undefined) {
  const answers = row.answers as Answers;
  const choice = (kind: 'sectors' | 'regions' | 'topics', id: string | null) =>
    cohort?.form[kind].find((c) => c.id === id)?.he ?? id ?? '';
  const meeting = (id: string) => cohort?.meetings.find((m) => m.id === id)?.title.he ?? id;
  return {
    answers,
    cohort: cohort?.name.he ?? row.cohort,
    sector: choice('sectors', row.sector),
    region: choice('regions', row.region),
    topics: (answers.topics ?? []).map((t) => choice('topics', t)).join('; '),
    meetings: (answers.confirmedMeetings ?? []).map(meeting).join('; '),
  };
}

/**
 * The applications as CSV for Excel, one row per application, every code in Hebrew. Accessibility needs are
 * not in it: they are health information, in a coordinators' export of their own (`accessibilityCsv`).
 */
export async function applicationsCsv(db: Kysely<Database>, workflows: Workflows, filter: Filter = {}) {
  const rows = await applications(db, filter);
  const header = [
    'אסמכתה',
    'מחזור',
    'סטטוס',
    'שם מלא',
    'דוא״ל',
    'טלפון',
    'ארגון',
    'תפקיד',
    'סוג ארגון',
    'אזור',
    'נושאים',
    'מפגשים שאושרו',
    'סימונים',
    'מוטיבציה',
    'הוגשה',
  ];
  return csvDocument(
    header,
    rows.map((r) => {
      const l = labelled(r, workflows.cohorts.get(r.cohort));
      return [
        r.reference,
        l.cohort,
        labelOf(STATUS_HE, r.status),
        r.full_name,
        r.email,
        phoneText(r.phone),
        r.organisation,
        r.role_title,
        l.sector,
        l.region,
        l.topics,
        l.meetings,
        r.flags.map((f) => labelOf(FLAG_HE, f)).join('; '),
        l.answers.motivation ?? '',
        new Date(r.created_at),
      ];
    }),
  );
}

/** Who needs what at which meeting: only the applications that state accessibility needs, for coordinators. */
export async function accessibilityCsv(db: Kysely<Database>, workflows: Workflows, filter: Filter = {}) {
  const rows = (await applications(db, filter)).filter((r) =>
    (r.answers as Answers).accessibilityNeeds?.trim(),
  );
  const header = [
    'אסמכתה',
    'שם מלא',
    'דוא״ל',
    'טלפון',
    'מחזור',
    'סטטוס',
    'מפגשים שאושרו',
    'התאמות נגישות נדרשות',
  ];
  return csvDocument(
    header,
    rows.map((r) => {
      const l = labelled(r, workflows.cohorts.get(r.cohort));
      return [
        r.reference,
        r.full_name,
        r.email,
        phoneText(r.phone),
        l.cohort,
        labelOf(STATUS_HE, r.status),
        l.meetings,
        l.answers.accessibilityNeeds ?? '',
      ];
    }),
  );
}
