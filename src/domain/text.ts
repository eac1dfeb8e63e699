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
