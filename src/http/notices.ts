// Hebrew texts the HTTP layer itself shows. Like every user text they avoid slash forms (את/ה): they speak
// in the plural or impersonally.

/** The page for a request the server could not accept as sent (400). */
export const badRequestTitle = 'הבקשה לא התקבלה';

/** Its explanation, naming the parameters or fields that were wrong when they are known. */
export function badRequestBody(fields: Record<string, string> | undefined): string {
  const names = Object.keys(fields ?? {});
  const which = names.length > 0 ? ` (${names.join(', ')})` : '';
  return `חלק מהפרטים בכתובת או בטופס אינם תקינים${which}, ולכן שום דבר לא נשמר ולא שונה. אפשר לחזור לעמוד הקודם ולנסות שוב.`;
}

/** The form came back because it was served more than the token's maximum age ago. */
export const formExpired =
  'עבר זמן רב מאז שהטופס נפתח, ולכן צריך לשלוח אותו שוב. כל הפרטים נשמרו — אפשר לבדוק אותם ולשלוח.';

/** The form came back because this very copy of it was already sent. */
export const formReused = 'הטופס הזה כבר נשלח פעם אחת. אם לא הגיע אישור, אפשר לבדוק את הפרטים ולשלוח שוב.';
