import type { Cohort, Meeting, ProgrammeContact } from '../../workflows/index.ts';
import { meetingWhen } from '../domain/meetings.ts';

export type MailLang = 'he' | 'ar' | 'en';
export type NoticeKind = 'received' | 'accepted' | 'declined' | 'waitlisted' | 'withdrawn';

export interface NoticeInput {
  kind: NoticeKind;
  cohort: Cohort;
  fullName: string;
  reference: string;
  publicUrl: string;
  /** Whether Google sends calendar invitations (otherwise an .ics is attached). */
  calendarInvites: boolean;
  /** The applicant's language, as stored with the application; Hebrew when not given. */
  lang?: MailLang;
  /** The programme's address and phone from the settings, at the foot of every notice. */
  contact?: ProgrammeContact;
}

/** What one language says in the applicant notices. */
export interface NoticeTexts {
  subjects: Record<NoticeKind, string>;
  paragraphs: Record<NoticeKind, (i: NoticeInput) => string[]>;
  greeting: (fullName: string) => string;
  signature: string;
  /** The words before the programme's address and before its phone, at the foot of every notice. */
  contact: { email: string; phone: string };
}

// A plain-text e-mail has no markup to isolate with, so references, times and Latin names inside Hebrew and
// Arabic sit between Unicode's first-strong isolate and its pop (U+2068, U+2069), which mail clients honour.
/** A left-to-right piece isolated inside right-to-left text. */
export const iso = (s: string) => `\u2068${s}\u2069`;

/** "• title — الخميس، 11 مارس 2027، 09:00–16:00" in the language, in Israel time. */
function meetingLine(lang: MailLang, cohort: Cohort, m: Meeting): string {
  const when = meetingWhen(lang, cohort, m);
  const day = when.day;
  const times = `${when.start}–${when.end}`;
  if (lang === 'en') return `• ${m.title.en} — ${day}, ${times}`;
  return `• ${m.title[lang]} — ${day}${lang === 'ar' ? '،' : ','} ${iso(times)}`;
}

const he: NoticeTexts = {
  subjects: {
    received: 'קיבלנו את בקשתך',
    accepted: 'התקבלת!',
    declined: 'עדכון על בקשתך',
    waitlisted: 'בקשתך ברשימת ההמתנה',
    withdrawn: 'ההשתתפות שלך בוטלה',
  },
  paragraphs: {
    received: (i) => [
      `קיבלנו את בקשתך להצטרף למחזור: ${i.cohort.name.he}.`,
      `מספר האסמכתה: ${iso(i.reference)}`,
      'צוות התוכנית יעבור על הבקשה, בדרך כלל בתוך שבוע, ונעדכן אותך בדואר האלקטרוני.',
    ],
    accepted: (i) => [
      `שמחים לבשר שהתקבלת למחזור: ${i.cohort.name.he}.`,
      i.calendarInvites
        ? `זימונים לכל המפגשים יגיעו אליך בנפרד מיומן ${iso('Google')}. נא לאשר אותם.`
        : 'מצורף קובץ יומן עם כל המפגשים. פתיחתו תוסיף אותם ליומן שלך.',
      'מועדי המפגשים:',
      ...i.cohort.meetings.map((m) => meetingLine('he', i.cohort, m)),
      `מספר האסמכתה: ${iso(i.reference)}`,
    ],
    declined: (i) => [
      `תודה על בקשתך להצטרף למחזור: ${i.cohort.name.he}.`,
      'לאחר עיון, לא נוכל לצרף אותך למחזור הזה. נשמח לראות אותך בפעילויות הרשת ובמחזורים הבאים.',
      `מספר האסמכתה: ${iso(i.reference)}`,
    ],
    waitlisted: (i) => [
      `תודה על בקשתך להצטרף למחזור: ${i.cohort.name.he}.`,
      'בקשתך נמצאת ברשימת ההמתנה. אם יתפנה מקום נעדכן אותך מיד.',
      `מספר האסמכתה: ${iso(i.reference)}`,
    ],
    withdrawn: (i) => [
      `השתתפותך בוטלה: ${i.cohort.name.he}.`,
      'הביטול נעשה לבקשתך או בתיאום עם צוות התוכנית.',
      i.calendarInvites
        ? 'הסרנו אותך מהזימונים למפגשים ומערוצי ה-Slack של המחזור.'
        : 'מצורף קובץ יומן שמבטל את המפגשים ביומן שלך.',
      'אם זו טעות, אפשר להשיב להודעה הזו ונשמח לעזור.',
      `מספר האסמכתה: ${iso(i.reference)}`,
    ],
  },
  greeting: (name) => `שלום ${name},`,
  signature: 'צוות רשת muni:STEM',
  contact: { email: 'לשאלות אפשר לכתוב לנו:', phone: 'או להתקשר:' },
};

const ar: NoticeTexts = {
  subjects: {
    received: 'وصلنا طلبك',
    accepted: 'تم قبول طلبك',
    declined: 'مستجدات بشأن طلبك',
    waitlisted: 'طلبك في قائمة الانتظار',
    withdrawn: 'تم إلغاء مشاركتك',
  },
  paragraphs: {
    received: (i) => [
      `وصلنا طلب انضمامك إلى: ${i.cohort.name.ar}.`,
      `الرقم المرجعي: ${iso(i.reference)}`,
      'سيدرس فريق التقييم الطلب، عادة خلال أسبوع، وسنبلغك بالقرار بالبريد الإلكتروني.',
    ],
    accepted: (i) => [
      `يسعدنا إبلاغك بقبول طلب انضمامك إلى: ${i.cohort.name.ar}.`,
      i.calendarInvites
        ? `ستصلك دعوات إلى جميع اللقاءات بشكل منفصل من تقويم ${iso('Google')}. يرجى تأكيدها.`
        : 'مرفق ملف تقويم يضم جميع اللقاءات، وعند فتحه تضاف اللقاءات إلى تقويمك.',
      'مواعيد اللقاءات:',
      ...i.cohort.meetings.map((m) => meetingLine('ar', i.cohort, m)),
      `الرقم المرجعي: ${iso(i.reference)}`,
    ],
    declined: (i) => [
      `شكرا على طلب انضمامك إلى: ${i.cohort.name.ar}.`,
      'بعد دراسة الطلب، لن نتمكن من ضمك إلى هذا الفوج. يسعدنا أن نراك في أنشطة الشبكة وفي الأفواج القادمة.',
      `الرقم المرجعي: ${iso(i.reference)}`,
    ],
    waitlisted: (i) => [
      `شكرا على طلب انضمامك إلى: ${i.cohort.name.ar}.`,
      'طلبك في قائمة الانتظار، وإذا شغر مكان فسنبلغك فورا.',
      `الرقم المرجعي: ${iso(i.reference)}`,
    ],
    withdrawn: (i) => [
      `تم إلغاء مشاركتك في: ${i.cohort.name.ar}.`,
      'تم الإلغاء بناء على طلبك أو بالتنسيق مع طاقم البرنامج.',
      i.calendarInvites
        ? `أزلناك من دعوات اللقاءات ومن قنوات ${iso('Slack')} الخاصة بالفوج.`
        : 'مرفق ملف تقويم يلغي اللقاءات في تقويمك.',
      'إذا حدث ذلك عن طريق الخطأ، يمكنك الرد على هذه الرسالة وسنسعد بمساعدتك.',
      `الرقم المرجعي: ${iso(i.reference)}`,
    ],
  },
  greeting: (name) => `مرحبا ${name}،`,
  signature: 'طاقم شبكة muni:STEM',
  contact: { email: 'للاستفسار يمكنك مراسلتنا على:', phone: 'أو الاتصال بنا على الرقم:' },
};

const en: NoticeTexts = {
  subjects: {
    received: 'We have received your application',
    accepted: 'You have been accepted',
    declined: 'An update on your application',
    waitlisted: 'Your application is on the waitlist',
    withdrawn: 'Your participation has been cancelled',
  },
  paragraphs: {
    received: (i) => [
      `We have received your application to join ${i.cohort.name.en}.`,
      `Your reference: ${i.reference}`,
      'The reviewers will consider it, usually within a week, and we will let you know by e-mail.',
    ],
    accepted: (i) => [
      `We are delighted to tell you that you have been accepted to ${i.cohort.name.en}.`,
      i.calendarInvites
        ? 'Invitations to every meeting will reach you separately from Google Calendar. Please accept them.'
        : 'A calendar file with every meeting is attached; opening it adds them to your calendar.',
      'The meeting dates:',
      ...i.cohort.meetings.map((m) => meetingLine('en', i.cohort, m)),
      `Your reference: ${i.reference}`,
    ],
    declined: (i) => [
      `Thank you for applying to join ${i.cohort.name.en}.`,
      'After careful consideration, we are unable to offer you a place in this cohort. We hope to see you at the network’s activities and in future cohorts.',
      `Your reference: ${i.reference}`,
    ],
    waitlisted: (i) => [
      `Thank you for applying to join ${i.cohort.name.en}.`,
      'Your application is on the waitlist. If a place becomes available, we will let you know at once.',
      `Your reference: ${i.reference}`,
    ],
    withdrawn: (i) => [
      `Your participation in ${i.cohort.name.en} has been cancelled.`,
      'This was done at your request or in agreement with the programme team.',
      i.calendarInvites
        ? 'We have removed you from the meeting invitations and from the cohort’s Slack channels.'
        : 'A calendar file that cancels the meetings in your calendar is attached.',
      'If this is a mistake, just reply to this message and we will be glad to help.',
      `Your reference: ${i.reference}`,
    ],
  },
  greeting: (name) => `Dear ${name},`,
  signature: 'The muni:STEM network team',
  contact: { email: 'If you have any questions, write to us at', phone: 'or call' },
};

export const NOTICE_TEXTS: Record<MailLang, NoticeTexts> = { he, ar, en };
