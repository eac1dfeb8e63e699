import type { Cohort, ProgrammeContact } from '../../workflows/index.ts';
import { longDateFormat } from '../domain/meetings.ts';
import type { MailLang } from './notice-texts.ts';
import { compose, type Notice } from './notices.ts';

interface DraftLinkTexts {
  subject: string;
  greeting: (name: string | undefined) => string;
  saved: (cohortName: string) => string;
  open: string;
  label: string;
  until: (date: string) => string;
  notSent: string;
  notYou: string;
  keep: string;
}

// Addressed without a name unless the draft has one: the address is all a saved form is sure to hold.
const TEXTS: Record<MailLang, DraftLinkTexts> = {
  he: {
    subject: 'המשך מילוי הבקשה',
    greeting: (name) => (name ? `שלום ${name},` : 'שלום,'),
    saved: (cohort) => `שמרנו את הטופס שהתחלת למלא להצטרפות למחזור: ${cohort}.`,
    open: 'כדי להמשיך מאותה נקודה, בכל מכשיר ובכל דפדפן, אפשר לפתוח את הקישור הזה.',
    label: 'להמשך מילוי הטופס',
    until: (date) => `הקישור תקף עד ${date}. אחרי התאריך הזה הטיוטה תימחק.`,
    notSent: 'הבקשה עדיין לא נשלחה: היא תגיע לצוות רק אחרי לחיצה על "שליחת הבקשה" בטופס.',
    notYou: 'אם לא ביקשת לשמור את הטופס, אפשר להתעלם מההודעה הזו.',
    keep: 'אין להעביר את ההודעה לאחרים: כל מי שיפתח את הקישור יראה את מה שמילאת.',
  },
  ar: {
    subject: 'متابعة تعبئة الطلب',
    greeting: (name) => (name ? `مرحبا ${name}،` : 'مرحبا،'),
    saved: (cohort) => `حفظنا النموذج الذي بدأت بتعبئته للانضمام إلى الفوج: ${cohort}.`,
    open: 'لمتابعة التعبئة من حيث توقفت، من أي جهاز أو متصفح، يمكنك فتح هذا الرابط.',
    label: 'متابعة تعبئة النموذج',
    until: (date) => `الرابط صالح حتى ${date}، وبعد هذا التاريخ تحذف المسودة.`,
    notSent: 'لم يرسل الطلب بعد: يصل إلى الطاقم فقط بعد الضغط على «إرسال الطلب» في النموذج.',
    notYou: 'إذا وصلتك هذه الرسالة دون أن تطلب حفظ النموذج، يمكنك تجاهلها.',
    keep: 'يرجى عدم إعادة توجيه هذه الرسالة: كل من يفتح الرابط يرى ما قمت بتعبئته.',
  },
  en: {
    subject: 'Carry on with your application',
    greeting: (name) => (name ? `Dear ${name},` : 'Hello,'),
    saved: (cohort) => `We have saved the form you started, to join: ${cohort}.`,
    open: 'To pick up where you left off, on any device or browser, open this link.',
    label: 'Carry on with the form',
    until: (date) => `The link works until ${date}; after that the draft is deleted.`,
    notSent:
      'Your application has not been sent yet: it reaches the team only when you press “Send the application” on the form.',
    notYou: 'If you did not ask to save the form, you can ignore this message.',
    keep: 'Please do not forward this message: anyone who opens the link can see what you filled in.',
  },
};

export interface DraftLinkInput {
  cohort: Cohort;
  url: string;
  expiresAt: Date;
  lang: MailLang;
  fullName?: string | undefined;
  contact?: ProgrammeContact | undefined;
}

/** The e-mail that carries a saved form's resume link, in the language the form was saved in. */
export function renderDraftLink(input: DraftLinkInput): Notice {
  const t = TEXTS[input.lang];
  return compose({
    subject: t.subject,
    cohort: input.cohort,
    fullName: input.fullName ?? '',
    greeting: t.greeting(input.fullName),
    lines: [t.saved(input.cohort.name[input.lang]), t.open],
    action: {
      label: t.label,
      url: input.url,
      after: [t.until(longDateFormat(input.lang).format(input.expiresAt)), t.notSent, t.notYou, t.keep],
    },
    lang: input.lang,
    contact: input.contact,
  });
}
