import type { MailLang } from './notice-texts.ts';

/** What one language says when some of a cohort's meetings move, are added or are cancelled. */
export interface MeetingChangeTexts {
  subject: { updated: string; cancelledOne: string; cancelledMany: string };
  lead: (cohortName: string) => string;
  updatedList: (one: boolean) => string;
  updatedFile: string;
  updatedRest: string;
  cancelledList: (one: boolean) => string;
  cancelledFile: (one: boolean) => string;
  cancelledRest: string;
  online: string;
  reference: string;
}

const he: MeetingChangeTexts = {
  subject: { updated: 'עדכון במפגשים', cancelledOne: 'מפגש בוטל', cancelledMany: 'מפגשים בוטלו' },
  lead: (name) => `יש עדכון במפגשים של המחזור: ${name}.`,
  updatedList: (one) => (one ? 'המפגש שהשתנה או נוסף:' : 'המפגשים שהשתנו או נוספו:'),
  updatedFile: 'מצורף קובץ יומן מעודכן. פתיחתו תעדכן את היומן שלך.',
  updatedRest: 'שאר המפגשים נשארים ללא שינוי.',
  cancelledList: (one) => (one ? 'המפגש הזה בוטל:' : 'המפגשים האלה בוטלו:'),
  cancelledFile: (one) =>
    one ? 'מצורף קובץ יומן שמסיר את המפגש מהיומן שלך.' : 'מצורף קובץ יומן שמסיר את המפגשים מהיומן שלך.',
  cancelledRest: 'שאר המפגשים נשארים כפי שהם.',
  online: 'מקוון',
  reference: 'מספר האסמכתה:',
};

const ar: MeetingChangeTexts = {
  subject: {
    updated: 'تحديث على مواعيد اللقاءات',
    cancelledOne: 'تم إلغاء لقاء',
    cancelledMany: 'تم إلغاء لقاءات',
  },
  lead: (name) => `طرأ تحديث على لقاءات: ${name}.`,
  updatedList: (one) => (one ? 'اللقاء الذي تغير أو أضيف:' : 'اللقاءات التي تغيرت أو أضيفت:'),
  updatedFile: 'مرفق ملف تقويم محدث، افتحه لتحديث تقويمك.',
  updatedRest: 'تبقى سائر اللقاءات دون تغيير.',
  cancelledList: (one) => (one ? 'تم إلغاء هذا اللقاء:' : 'تم إلغاء هذه اللقاءات:'),
  cancelledFile: (one) =>
    one ? 'مرفق ملف تقويم يزيل هذا اللقاء من تقويمك.' : 'مرفق ملف تقويم يزيل هذه اللقاءات من تقويمك.',
  cancelledRest: 'تبقى سائر اللقاءات كما هي.',
  online: 'عبر الإنترنت',
  reference: 'الرقم المرجعي:',
};

const en: MeetingChangeTexts = {
  subject: {
    updated: 'A change to the meetings',
    cancelledOne: 'A meeting is cancelled',
    cancelledMany: 'Meetings are cancelled',
  },
  lead: (name) => `There is a change to the meetings of your cohort: ${name}.`,
  updatedList: (one) =>
    one ? 'The meeting that changed or was added:' : 'The meetings that changed or were added:',
  updatedFile: 'An updated calendar file is attached; opening it updates your calendar.',
  updatedRest: 'The other meetings are unchanged.',
  cancelledList: (one) => (one ? 'This meeting is cancelled:' : 'These meetings are cancelled:'),
  cancelledFile: (one) =>
    one
      ? 'A calendar file that removes the meeting from your calendar is attached.'
      : 'A calendar file that removes the meetings from your calendar is attached.',
  cancelledRest: 'The other meetings stay as they are.',
  online: 'online',
  reference: 'Your reference:',
};

export const MEETING_CHANGE_TEXTS: Record<MailLang, MeetingChangeTexts> = { he, ar, en };
