import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

// Files for Excel as staff open them in Israel: what a cell becomes is decided here, for every export alike.

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
