import { type TZDate, tz } from '@date-fns/tz';
import { flags, HebrewCalendar } from '@hebcal/core';
import {
  addDays,
  addWeeks,
  areIntervalsOverlapping,
  differenceInCalendarWeeks,
  endOfDay,
  endOfMonth,
  format,
  getDate,
  type Interval,
  isWithinInterval,
  parseISO,
  set,
  startOfMonth,
  startOfWeek,
  subMonths,
  subWeeks,
} from 'date-fns';
import type { Programme } from '../../workflows/index.ts';

export interface Week {
  /** The round's key: the Sunday that starts the week, as YYYY-MM-DD in Asia/Jerusalem. */
  key: string;
  promptAt: Date;
  reminderAt: Date;
  closeAt: Date;
  /** Why the week has no round, or null. */
  skip: string | null;
}

/** The Israeli week starts on Sunday. */
const ISRAELI_WEEK = { weekStartsOn: 0 } as const;
/** Week indexes count from the first Sunday of the Unix epoch, which fixes the phase of "every N weeks". */
const EPOCH_SUNDAY = '1970-01-04';

/** Midnight at the start of a YYYY-MM-DD day in the zone. */
function dayIn(isoDate: string, timeZone: string): TZDate {
  return parseISO(isoDate, { in: tz(timeZone) });
}

/** YYYY-MM-DD of an instant in the zone. */
export function localDate(at: Date, timeZone: string): string {
  return format(at, 'yyyy-MM-dd', { in: tz(timeZone) });
}

/** A YYYY-MM-DD as Israelis write it: 20.06.2027. */
export const dayLabel = (day: string) => day.split('-').reverse().join('.');

/** The Sunday (Israel's first working day) of the week that contains the instant. */
export function weekKey(at: Date, timeZone: string): string {
  return localDate(startOfWeek(at, { ...ISRAELI_WEEK, in: tz(timeZone) }), timeZone);
}

/** The key of the week `weeks` weeks after (or, negative, before) the week with this key. */
export function shiftWeek(key: string, weeks: number, timeZone: string): string {
  return localDate(addWeeks(dayIn(key, timeZone), weeks), timeZone);
}

/** Calendar weeks from the epoch Sunday to the week with this key, for "every N weeks" summaries. */
export function weekIndex(key: string, timeZone: string): number {
  return differenceInCalendarWeeks(dayIn(key, timeZone), dayIn(EPOCH_SUNDAY, timeZone), {
    ...ISRAELI_WEEK,
    in: tz(timeZone),
  });
}

/**
 * Holidays that empty an Israeli working week: a yom tov, a day of Chol HaMoed (schools and most offices
 * are out for all of Pesach and Sukkot) or Yom HaAtzmaut falling on a working day, Sunday to Thursday.
 */
export function israeliHolidayIn(sunday: string): string | null {
  // Hebcal reads the calendar fields of the dates it is given; a TZDate answers them in Israel time, so the
  // server's own zone cannot move the week by a day.
  const start = dayIn(sunday, 'Asia/Jerusalem');
  const events = HebrewCalendar.calendar({
    start,
    end: addDays(start, 4),
    il: true,
    noMinorFast: true,
    noSpecialShabbat: true,
    noRoshChodesh: true,
  });
  for (const e of events) {
    const f = e.getFlags();
    if (f & (flags.CHAG | flags.CHOL_HAMOED) || e.getDesc() === "Yom HaAtzma'ut") return e.render('en');
  }
  return null;
}

/** Everything the schedule says about the week containing `at`. */
export function weekOf(programme: Programme, at: Date): Week {
  const timeZone = programme.timeZone;
  const sunday = startOfWeek(at, { ...ISRAELI_WEEK, in: tz(timeZone) });
  const key = localDate(sunday, timeZone);
  // Wall-clock time on a TZDate, so the offset is the one in force that day (DST changes on a Friday in
  // March and on a Sunday in October). A plain Date comes out: a TZDate serialises with its offset.
  const instant = (m: { day: number; time: string }) => {
    const [hours = 0, minutes = 0] = m.time.split(':').map(Number);
    return new Date(set(addDays(sunday, m.day), { hours, minutes }).getTime());
  };
  const workingDays = { start: sunday, end: endOfDay(addDays(sunday, 4)) };
  return {
    key,
    promptAt: instant(programme.cadence.prompt),
    reminderAt: instant(programme.cadence.reminder),
    closeAt: instant(programme.cadence.close),
    skip: skipReason(programme, workingDays, key),
  };
}

/** Why the week whose working days (Sunday to Thursday) span `workingDays` has no round, or null. */
function skipReason(programme: Programme, workingDays: Interval, key: string): string | null {
  const timeZone = programme.timeZone;
  const skipDate = programme.skipDates.find((d) => isWithinInterval(dayIn(d, timeZone), workingDays));
  if (skipDate) return `skip date ${skipDate}`;
  // A pause empties every week it touches on a working day, as a skip date or a holiday does: the round
  // asks about the week's work, and in a week that is partly break (the summer break of 2027 starts on a
  // Thursday and ends on a Tuesday) most leads are away. Staff can still open such a week by hand.
  const pause = programme.pauses.find((p) =>
    areIntervalsOverlapping(
      workingDays,
      { start: dayIn(p.from, timeZone), end: endOfDay(dayIn(p.to, timeZone)) },
      { inclusive: true },
    ),
  );
  if (pause) return `pause ${pause.from} to ${pause.to}${pause.reason ? `: ${pause.reason}` : ''}`;
  const holiday = programme.skipIsraeliHolidays ? israeliHolidayIn(key) : null;
  return holiday ? `holiday: ${holiday}` : null;
}

/** A period summary and the week whose round it belongs to. */
export interface SummaryDue {
  /** Every N weeks, or the month before. */
  kind: 'weeks' | 'month';
  /** The week whose round posts it when that week is not skipped. */
  due: string;
  /** The first and last week keys it covers. */
  from: string;
  to: string;
  /** YYYY-MM of a monthly summary. */
  month?: string;
}

/** The summaries due in the weeks from `from` to `to` (week keys, both included), oldest first. */
export function summariesDue(programme: Programme, from: string, to: string): SummaryDue[] {
  const timeZone = programme.timeZone;
  const every = programme.cadence.leadershipDigestEveryWeeks;
  const out: SummaryDue[] = [];
  const last = dayIn(to, timeZone);
  for (let sunday = dayIn(from, timeZone); sunday <= last; sunday = addWeeks(sunday, 1)) {
    const due = localDate(sunday, timeZone);
    if (every > 1 && weekIndex(due, timeZone) % every === every - 1) {
      out.push({ kind: 'weeks', due, from: localDate(subWeeks(sunday, every - 1), timeZone), to: due });
    }
    // The first week that starts in a month's first seven days closes the month before it.
    if (programme.cadence.monthlySummary && getDate(sunday) <= 7) {
      const month = subMonths(sunday, 1);
      out.push({
        kind: 'month',
        due,
        from: localDate(startOfMonth(month), timeZone),
        to: localDate(endOfMonth(month), timeZone),
        month: format(month, 'yyyy-MM', { in: tz(timeZone) }),
      });
    }
  }
  return out;
}
