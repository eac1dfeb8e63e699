// Hebrew texts the HTTP layer itself shows. Like every user text they avoid slash forms (את/ה): they speak
// in the plural or impersonally.

import { he } from '../pages/i18n/he.ts';

/** The Hebrew title of the page for a request the server could not accept as sent (400). */
export const badRequestTitle = he.badRequestTitle;

/** The form came back because it was served more than the token's maximum age ago. */
export const formExpired =
  'עבר זמן רב מאז שהטופס נפתח, ולכן צריך לשלוח אותו שוב. כל הפרטים נשמרו — אפשר לבדוק אותם ולשלוח.';

/** The form came back because this very copy of it was already sent. */
export const formReused = 'הטופס הזה כבר נשלח פעם אחת. אם לא הגיע אישור, אפשר לבדוק את הפרטים ולשלוח שוב.';
