import type { MailLang } from './notice-texts.ts';

/** The words around the link to the applicant's own page, in every e-mail that carries it. */
export interface LinkTexts {
  /** Before the link in the "received" notice. */
  inReceived: string;
  /** The "send me my link" e-mail: subject, lines before the link, and after it. */
  subject: string;
  lead: string[];
  after: (days: number) => string;
}

export const LINK_TEXTS: Record<MailLang, LinkTexts> = {
  he: {
    inReceived: 'בעמוד הבקשה שלך אפשר לראות בכל עת מה מצבה, לתקן פרטים עד תחילת המיון ולבטל אותה:',
    subject: 'הקישור לעמוד הבקשה שלך',
    lead: [
      'ביקשת שנשלח אליך שוב את הקישור לעמוד הבקשה שלך.',
      'בעמוד אפשר לראות מה מצב הבקשה, לתקן פרטים עד תחילת המיון ולבטל את הבקשה:',
    ],
    after: (days) =>
      `הקישור אישי ותקף ${days} ימים. אם לא ביקשת אותו, אפשר להתעלם מההודעה הזאת — איש לא יקבל גישה לבקשה בלי הקישור.`,
  },
  ar: {
    inReceived: 'في صفحة طلبك يمكنك في أي وقت متابعة حالته، وتصحيح التفاصيل حتى بدء الدراسة، وسحب الطلب:',
    subject: 'رابط صفحة طلبك',
    lead: [
      'طلبت أن نرسل إليك مرة أخرى رابط صفحة طلبك.',
      'في الصفحة يمكنك متابعة حالة الطلب، وتصحيح التفاصيل حتى بدء الدراسة، وسحب الطلب:',
    ],
    after: (days) =>
      `الرابط شخصي وصالح لمدة ${days} يوما. إذا لم تطلبه، يمكنك تجاهل هذه الرسالة، فلا أحد يستطيع الوصول إلى الطلب من دون الرابط.`,
  },
  en: {
    inReceived:
      'On your application’s page you can see where it stands at any time, correct your details until the review begins, and withdraw it:',
    subject: 'The link to your application',
    lead: [
      'You asked us to send you the link to your application’s page again.',
      'There you can see where your application stands, correct your details until the review begins, and withdraw it:',
    ],
    after: (days) =>
      `The link is personal and valid for ${days} days. If you did not ask for it, you can ignore this message: nobody can reach your application without the link.`,
  },
};
