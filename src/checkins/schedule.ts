import { TZDate } from '@date-fns/tz';
import { flags, HebrewCalendar } from '@hebcal/core';
import type { Programme } from '../../workflows/index.ts';
import { zonedInstant } from '../domain/meetings.ts';

export interface Week {
  /** The round's key: the Sunday that starts the week, as YYYY-MM-DD in Asia/Jerusalem. */
  key: string;
  promptAt: Date;
  reminderAt: Date;
  closeAt: Date;
  /** Why the week has no round, or null. */
  skip: string | null;
  /** Week number since the epoch Sunday, for "every N weeks" digests. */
  index: number;
}

const DAY = 86_400_000;

/** YYYY-MM-DD of an instant in the zone. */
export function localDate(at: Date, timeZone: string): string {
  const d = new TZDate(at.getTime(), timeZone);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const t = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) + days * DAY);
  return t.toISOString().slice(0, 10);
}

/** The Sunday (Israel's first working day) of the week that contains the instant. */
export function weekKey(at: Date, timeZone: string): string {
  const date = localDate(at, timeZone);
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).getUTCDay();
  return addDays(date, -weekday);
}

/**
 * Holidays that empty an Israeli working week: a yom tov, a day of Chol HaMoed (schools and most offices
 * are out for all of Pesach and Sukkot) or Yom HaAtzmaut falling on a working day, Sunday to Thursday.
 */
export function israeliHolidayIn(sunday: string): string | null {
  const [y, m, d] = sunday.split('-').map(Number);
  const start = new Date(y ?? 0, (m ?? 1) - 1, d ?? 1);
  const end = new Date(y ?? 0, (m ?? 1) - 1, (d ?? 1) + 4);
  const events = HebrewCalendar.calendar({
    start,
    end,
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
  const tz = programme.timeZone;
  const key = weekKey(at, tz);
  const instant = (m: { day: number; time: string }) => zonedInstant(`${addDays(key, m.day)}T${m.time}`, tz);
  const workingDays = [0, 1, 2, 3, 4].map((i) => addDays(key, i));
  const skipDate = programme.skipDates.find((d) => workingDays.includes(d));
  const holiday = !skipDate && programme.skipIsraeliHolidays ? israeliHolidayIn(key) : null;
  return {
    key,
    promptAt: instant(programme.cadence.prompt),
    reminderAt: instant(programme.cadence.reminder),
    closeAt: instant(programme.cadence.close),
    skip: skipDate ? `skip date ${skipDate}` : holiday ? `holiday: ${holiday}` : null,
    index: Math.round((Date.parse(`${key}T00:00:00Z`) - Date.parse('1970-01-04T00:00:00Z')) / (7 * DAY)),
  };
}
