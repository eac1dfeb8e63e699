// C0/C1 controls (tab and newline are handled per field kind) and the bidi embedding, override and
// isolate marks, which can make a name render as something else (RLO turns "gnp.exe" into "exe.png").
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const BIDI_OVERRIDES = /[\u202A-\u202E\u2066-\u2069\u200B\uFEFF]/g;
// Half of a surrogate pair with no other half: JSON can carry it, but PostgreSQL's jsonb refuses it.
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A single-line field: well-formed UTF-16, NFC, no controls, no bidi overrides, inner white space folded, trimmed. */
export function cleanLine(value: string): string {
  return value
    .replace(LONE_SURROGATES, '\uFFFD')
    .normalize('NFC')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI_OVERRIDES, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Free text: well-formed UTF-16, NFC, newlines kept (CRLF folded), other controls and bidi overrides removed, trimmed. */
export function cleanText(value: string): string {
  return value
    .replace(LONE_SURROGATES, '\uFFFD')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI_OVERRIDES, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from outside (a route parameter, a Slack button) is a well-formed UUID. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

// Deliberately narrower than RFC 5322: no quotes, slashes or `=` in the local part, so the text around an
// address (`to=…`, `'…'`) stays readable. `%40` is an @ that went through a URL.
const EMAIL =
  /([\p{L}\p{N}._%+!#$&*^~-]+)(@|%40)((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}]{2,})/gu;
const SEP = '[ .\\-\\u00A0]?';
// International numbers: `+` or `00`, a country code, then groups (a trunk `(0)` or an area code in
// parentheses allowed). Fewer than eight digits is not a phone number (`+1 2`); more may have swallowed a
// number that followed it, and is masked whole rather than leave part of the phone number readable.
const INTERNATIONAL = new RegExp(
  `(?<![\\w+])(?:\\+|\\b00)[1-9]\\d{0,2}(?:${SEP}(?:\\(\\d{1,4}\\)|\\d{1,5})){1,7}(?![\\w]|[.\\-]\\d)`,
  'g',
);
// Israeli numbers written nationally: mobile 05x / 07x (10 digits) or a landline 02/03/04/08/09 (9), the
// last seven digits as 3+4 or 3+2+2, with or without a leading 972. Not after a digit and a dash or dot,
// so dates (2027-03-11) and dotted versions or addresses are not taken for one.
const ISRAELI = new RegExp(
  `(?<![\\w./+]|\\d[-.])(?:972${SEP}|\\(?0)(?:5\\d|7\\d|[2-489])\\)?${SEP}\\d{3}${SEP}\\d{2}${SEP}\\d{2}(?![\\w]|[.\\-]\\d)`,
  'g',
);

/** Masks e-mail addresses (`person@x.org` → `p…@x.org`) and phone numbers (`[phone]`) in free text, e.g. a remote error. */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, (_all, local: string, at: string, domain: string) => `${[...local][0]}…${at}${domain}`)
    .replace(INTERNATIONAL, (all) => {
      return all.replace(/\D/g, '').length >= 8 ? '[phone]' : all;
    })
    .replace(ISRAELI, '[phone]');
}
