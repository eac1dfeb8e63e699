import type { Cohort, ProgrammeContact } from '../../workflows/index.ts';
import { iso, type MailLang } from './notice-texts.ts';
import { compose, type Notice } from './notices.ts';

export interface RepeatNoticeInput {
  cohort: Cohort;
  /** The owner's name as their application holds it: the mail goes to them, never to whoever resubmitted. */
  fullName: string;
  /** The signed link to the owner's page; without one the mail says where the answers wait. */
  link?: string | undefined;
  lang: MailLang;
  contact?: ProgrammeContact;
}

interface RepeatTexts {
  subject: string;
  sentAgain: (cohortName: string) => string;
  exists: string;
  waiting: string;
  linkLead: string;
  notYou: string;
}

const TEXTS: Record<MailLang, RepeatTexts> = {
  he: {
    subject: 'טופס ההצטרפות נשלח שוב עם הכתובת שלך',
    sentAgain: (name) =>
      `קיבלנו שוב את טופס ההצטרפות למחזור: ${name}. הוא נשלח עם כתובת הדואר האלקטרוני הזאת, כנראה על ידיך.`,
    exists: 'הבקשה שלך כבר קיימת, ולא נפתחה בקשה חדשה.',
    waiting: 'התשובות החדשות ממתינות בדף הבקשה שלך: שם אפשר להחיל אותן על הבקשה או לוותר עליהן.',
    linkLead: 'לדף הבקשה שלך:',
    notYou: 'אם לא שלחת את הטופס, אפשר להתעלם מההודעה הזאת: שום דבר בבקשה לא משתנה בלי אישורך.',
  },
  ar: {
    subject: 'وصلنا نموذج الانضمام مرة أخرى بعنوان بريدك الإلكتروني',
    sentAgain: (name) =>
      `وصلنا مرة أخرى نموذج الانضمام إلى: ${name}. أُرسل النموذج بعنوان البريد الإلكتروني هذا، والأرجح أنه منك.`,
    exists: 'طلبك موجود لدينا، ولم يُفتح طلب جديد.',
    waiting: 'الإجابات الجديدة بانتظارك في صفحة طلبك: يمكنك هناك اعتمادها في الطلب أو التخلي عنها.',
    linkLead: 'صفحة طلبك:',
    notYou: 'إذا لم يكن هذا الإرسال منك، يمكنك تجاهل هذه الرسالة: لن يتغير شيء في طلبك دون موافقتك.',
  },
  en: {
    subject: 'Your application form was sent again',
    sentAgain: (name) =>
      `Someone, probably you, sent the application form for ${name} again with this e-mail address.`,
    exists: 'Your application already exists; no new application was opened.',
    waiting:
      'The new answers are waiting on your application page, where you can apply them to your application or discard them.',
    linkLead: 'Your application page:',
    notYou:
      'If this was not you, you can ignore this message: nothing in your application changes without your say.',
  },
};

/** The owner's e-mail after a repeat: the application exists, the new answers wait on their page, the link. */
export function renderRepeatNotice(input: RepeatNoticeInput): Notice {
  const t = TEXTS[input.lang];
  const rtl = input.lang !== 'en';
  const link = input.link ? [`${t.linkLead} ${rtl ? iso(input.link) : input.link}`] : [];
  return compose({
    subject: t.subject,
    cohort: input.cohort,
    fullName: input.fullName,
    lines: [t.sentAgain(input.cohort.name[input.lang]), t.exists, t.waiting, ...link, t.notYou],
    lang: input.lang,
    contact: input.contact,
  });
}
