import type { Kysely } from 'kysely';
import type { Cohort, Workflows } from '../../workflows/index.ts';
import { csvDocument, phoneText } from '../domain/csv.ts';
import type { ApplicationStatus } from '../domain/lifecycle.ts';
import { FLAG_HE, labelOf, STATUS_HE } from '../domain/staff-labels.ts';
import type { ApplicationRow, Database } from '../storage/schema.ts';

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
