import { LOCALES } from '../../domain/meetings.ts';
import { ar } from './ar.ts';
import { en } from './en.ts';
import { he, type Messages } from './he.ts';
import { type Lang, plural } from './plural.ts';

export type { Lang, Messages };
export { plural };

export const LANGS = ['he', 'ar', 'en'] as const satisfies readonly Lang[];
export const DEFAULT_LANG: Lang = 'he';

export const catalogues: Record<Lang, Messages> = { he, ar, en };

/** Each language named in its own script, as the language switch shows it. */
export const LANG_NAMES: Record<Lang, string> = { he: 'עברית', ar: 'العربية', en: 'English' };

/** The cookie that remembers a chosen language, for a year. */
export const LANG_COOKIE = 'lang';
export const LANG_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

/** Whether a value names one of the applicant languages. */
export const isLang = (v: unknown): v is Lang => v === 'he' || v === 'ar' || v === 'en';

/** The writing direction of a language. */
export const dirOf = (lang: Lang): 'rtl' | 'ltr' => (lang === 'en' ? 'ltr' : 'rtl');

/** The applicant's language: an explicit choice first, then the remembered one, then the browser's. */
export function negotiateLang(
  explicit: string | undefined,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): Lang {
  if (isLang(explicit)) return explicit;
  if (isLang(cookie)) return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  // Browsers in Israel often send "iw", the code Hebrew had before 1989.
  for (const { base } of ranked) {
    const lang = base === 'iw' ? 'he' : base;
    if (isLang(lang)) return lang;
  }
  return DEFAULT_LANG;
}

/** A field's label in the language. */
export const fieldLabel = (lang: Lang, field: string): string =>
  ((catalogues[lang] as Record<string, unknown>)[`field.${field}`] as string | undefined) ?? field;

/** The message for a field's error code in the language: the field's own wording, else the code's. */
export function fieldMessage(lang: Lang, field: string, code: string): string {
  const m = catalogues[lang] as unknown as Record<string, string | undefined>;
  return m[`error.${field}.${code}`] ?? m[`error.${code}`] ?? catalogues[lang]['error.invalid_type'];
}

/** A well-formed example shown after the error, kept out of the texts because it is left-to-right. */
export const ERROR_EXAMPLES: Partial<Record<string, string>> = {
  invalid_email: 'name@example.org',
  invalid_phone: '050-7234567',
};

export { LOCALES, meetingWhen } from '../../domain/meetings.ts';

/** A number as the language writes it. */
export const formatNumber = (lang: Lang, n: number): string => new Intl.NumberFormat(LOCALES[lang]).format(n);
