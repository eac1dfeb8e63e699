import type { Programme } from '../../workflows/index.ts';
import { csvDocument } from '../domain/csv.ts';
import { CHECKIN_STATUS_HE, labelOf, ROUND_STATUS_HE } from '../domain/staff-labels.ts';
import type { CheckinContext } from './context.ts';
import { history } from './history.ts';

/** A programme's check-in history as CSV for Excel: one row per answer, statuses in Hebrew, Israel times. */
export async function checkinsCsv(ctx: Pick<CheckinContext, 'db'>, programme: Programme): Promise<string> {
  const answers = await history.programmeAnswers(ctx, programme.id);
  const lineName = (id: string) => programme.actionLines.find((l) => l.id === id)?.name ?? id;
  const header = [
    'שבוע',
    'מצב הסבב',
    'כיוון פעולה',
    'הובלה (מזהה Slack)',
    'סטטוס',
    'התקדמות',
    'צעדים הבאים',
    'חסמים',
    'עזרה נדרשת',
    'נשלח',
    'עודכן',
  ];
  return csvDocument(
    header,
    answers.map((a) => [
      a.week,
      labelOf(ROUND_STATUS_HE, a.roundStatus),
      lineName(a.actionLine),
      a.lead,
      labelOf(CHECKIN_STATUS_HE, a.status),
      a.progress,
      a.nextSteps,
      a.blockers,
      a.helpNeeded,
      a.submittedAt,
      a.updatedAt,
    ]),
  );
}
