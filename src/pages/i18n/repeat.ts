import type { Lang } from './plural.ts';

/** What the answer page to a repeat submission says: that an application exists, never which one. */
export interface RepeatTexts {
  title: string;
  lead: string;
  linkSent: string;
  answersKept: string;
  notArrived: string;
}

// Kept beside the main catalogues rather than in them: these pages name nothing of the first application
// (no reference, no id, no name), and a reviewer checks that here in one place.
export const REPEAT_TEXTS: Record<Lang, RepeatTexts> = {
  he: {
    title: 'כבר יש בקשה עם הכתובת הזאת',
    lead: 'כבר יש במחזור הזה בקשה להצטרפות עם כתובת הדואר האלקטרוני הזאת, ולכן לא נפתחה בקשה חדשה.',
    linkSent: 'שלחנו לכתובת הזאת קישור לדף הבקשה.',
    answersKept:
      'התשובות ששלחת עכשיו לא אבדו: הן ממתינות בדף הבקשה, ושם אפשר להחיל אותן על הבקשה או לוותר עליהן.',
    notArrived: 'אם הקישור לא מגיע בתוך כמה דקות, כדאי לבדוק גם בתיקיית דואר הזבל.',
  },
  ar: {
    title: 'يوجد طلب بعنوان البريد الإلكتروني هذا',
    lead: 'يوجد في هذا الفوج طلب انضمام بعنوان البريد الإلكتروني هذا، لذلك لم يُفتح طلب جديد.',
    linkSent: 'أرسلنا إلى هذا العنوان رابطا إلى صفحة الطلب.',
    answersKept:
      'الإجابات التي أرسلتها الآن محفوظة: إنها بانتظارك في صفحة الطلب، ويمكنك هناك اعتمادها في الطلب أو التخلي عنها.',
    notArrived: 'إذا لم يصل الرابط خلال بضع دقائق، يرجى التحقق من مجلد البريد غير المرغوب فيه أيضا.',
  },
  en: {
    title: 'An application with this address already exists',
    lead: 'This cohort already has an application with this e-mail address, so no new application was opened.',
    linkSent: 'We have sent a link to the application’s page to that address.',
    answersKept:
      'The answers you have just sent are not lost: they are waiting on the application’s page, where you can apply them to the application or discard them.',
    notArrived: 'If the link does not arrive within a few minutes, please check your spam folder too.',
  },
};
