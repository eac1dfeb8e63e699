import { LOCALES } from '../../../domain/meetings.ts';
import { type Lang, plural } from '../plural.ts';
import { ar } from './ar.ts';
import { en } from './en.ts';
import { he } from './he.ts';
import type { Counted, LeadMessages } from './messages.ts';

export type { Counted, LeadErrorCode, LeadMessages } from './messages.ts';

/** Every lead-facing text, per language. */
export const leadCatalogues: Record<Lang, LeadMessages> = { he, ar, en };

const ZONE = 'Asia/Jerusalem';
// Noon keeps a YYYY-MM-DD on the same day in Israel whatever the offset.
const noon = (day: string) => new Date(`${day}T12:00:00Z`);
const plusDays = (day: string, n: number) => new Date(noon(day).getTime() + n * 86_400_000);

/**
 * A date or time inside right-to-left text, held apart by first-strong isolates so its digits and Latin
 * pieces keep their order; English needs none.
 */
export const isolate = (lang: Lang, text: string): string => (lang === 'en' ? text : `\u2068${text}\u2069`);

const dayFormat = (lang: Lang) =>
  new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE });

/** A YYYY-MM-DD written out in the language, in Israel's calendar: "20 ביוני 2027", "20 June 2027". */
export const longDay = (lang: Lang, day: string): string => isolate(lang, dayFormat(lang).format(noon(day)));

/** A round's week, from its Sunday to the Thursday: "13–17 ביוני 2027". */
export const weekSpan = (lang: Lang, sunday: string): string =>
  isolate(lang, dayFormat(lang).formatRange(noon(sunday), plusDays(sunday, 4)));

/** A moment in Israel time with its weekday: "Tuesday 15 June at 12:00". */
export const momentLabel = (lang: Lang, at: Date): string =>
  isolate(
    lang,
    new Intl.DateTimeFormat(LOCALES[lang], {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: ZONE,
    }).format(at),
  );

/** A counted phrase in the form CLDR gives `n` in the language, the number written as the language does. */
export const counted = (lang: Lang, n: number, forms: Counted): string =>
  plural(lang, n, forms).replaceAll('#', new Intl.NumberFormat(LOCALES[lang]).format(n));
