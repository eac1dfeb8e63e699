import type { ApplicationStatus } from '../../domain/lifecycle.ts';
import type { Lang } from './plural.ts';

// The applicant's own page and the "send me my link" form, in the three languages. Kept beside the main
// catalogue rather than in it: the page is one concept, and its texts change with it.

type Said = { now: string; next: string };

export interface MyTexts {
  title: string;
  referenceLabel: string;
  statusTitle: string;
  status: Record<ApplicationStatus, Said>;
  emailConfirmed: string;
  answersTitle: string;
  noAnswer: string;
  correctTitle: string;
  correctDirect: string;
  correctNote: string;
  correctSaveDirect: string;
  correctSaveNote: string;
  corrected: string;
  noted: string;
  unchanged: string;
  /** A repeat's answers, applied or set aside from the page. */
  proposalApplied: string;
  proposalNoted: string;
  proposalDiscarded: string;
  correctErrors: string;
  withdrawTitle: string;
  withdrawBefore: string;
  withdrawAfter: string;
  withdrawLead: string;
  withdrawConfirmTitle: string;
  withdrawConfirmBody: string;
  withdrawConfirm: string;
  withdrawBack: string;
  withdrawn: string;
  meetingsIcs: string;
  expiredTitle: string;
  expiredBody: string;
  invalidTitle: string;
  invalidBody: string;
  goneTitle: string;
  goneBody: string;
  askTitle: string;
  askLead: string;
  askSubmit: string;
  askSentTitle: string;
  askSent: string;
  askLink: string;
  staleForm: string;
}

const he: MyTexts = {
  title: 'הבקשה שלי',
  referenceLabel: 'מספר האסמכתה:',
  statusTitle: 'מה מצב הבקשה',
  status: {
    submitted: { now: 'הבקשה התקבלה ונמצאת בבדיקה ראשונה.', next: 'בימים הקרובים היא תועבר לצוות המיון.' },
    in_review: {
      now: 'הבקשה נמצאת אצל צוות המיון.',
      next: 'בדרך כלל ההחלטה מתקבלת בתוך שבוע, ונודיע לך עליה בדואר האלקטרוני.',
    },
    waitlisted: { now: 'הבקשה ברשימת ההמתנה.', next: 'אם יתפנה מקום במחזור, נודיע לך מיד.' },
    accepted: {
      now: 'התקבלת למחזור!',
      next: 'זימונים לכל המפגשים יגיעו אליך בקרוב. אפשר גם להוסיף את המפגשים ליומן מהקובץ שלמטה.',
    },
    onboarding: {
      now: 'התקבלת למחזור!',
      next: 'אנחנו שולחים אליך זימונים לכל המפגשים ומצרפים אותך לערוצי המחזור.',
    },
    onboarded: {
      now: 'התקבלת למחזור, והכול מוכן.',
      next: 'הזימונים לכל המפגשים נשלחו. נתראה במפגש הראשון!',
    },
    declined: {
      now: 'הבקשה לא אושרה למחזור הזה.',
      next: 'נשמח לראות אותך בפעילויות הרשת ובמחזורים הבאים.',
    },
    withdrawn: { now: 'הבקשה בוטלה.', next: 'אם זו טעות, אפשר לפנות לצוות התוכנית בפרטים שלמטה.' },
    erased: { now: 'המידע על הבקשה נמחק.', next: '' },
  },
  emailConfirmed: 'כתובת הדואר האלקטרוני שלך אומתה.',
  answersTitle: 'הפרטים שמסרת',
  noAnswer: 'לא צוין',
  correctTitle: 'תיקון פרטים',
  correctDirect:
    'אפשר לתקן את הפרטים עד שצוות המיון יתחיל להצביע על הבקשה. כתובת הדואר האלקטרוני אינה ניתנת לשינוי כאן.',
  correctNote:
    'צוות המיון כבר התחיל לדון בבקשה, ולכן התיקון לא ייכנס לבקשה מיד: הוא יישלח לצוות התוכנית, והצוות יעדכן את הפרטים.',
  correctSaveDirect: 'שמירת התיקון',
  correctSaveNote: 'שליחת התיקון לצוות התוכנית',
  corrected: 'התיקון נשמר.',
  noted: 'התיקון נשלח לצוות התוכנית.',
  unchanged: 'לא שונה אף פרט, ולכן לא נשמר דבר.',
  proposalApplied: 'התשובות החדשות נשמרו בבקשה.',
  proposalNoted: 'הבדיקה כבר התחילה, ולכן התשובות החדשות נשלחו לצוות התוכנית והבקשה נשארה כפי שהייתה.',
  proposalDiscarded: 'התשובות החדשות נמחקו. הבקשה נשארה כפי שהייתה.',
  correctErrors: 'יש לתקן כמה פרטים לפני השמירה:',
  withdrawTitle: 'ביטול',
  withdrawBefore: 'ביטול הבקשה',
  withdrawAfter: 'ביטול ההשתתפות',
  withdrawLead: 'אם החלטת שלא להצטרף, אפשר לבטל כאן. נבקש אישור לפני הביטול.',
  withdrawConfirmTitle: 'לבטל?',
  withdrawConfirmBody:
    'הביטול סופי. מי שכבר התקבלו יוסרו מכל המפגשים ומערוצי המחזור. נשלח אליך אישור בדואר האלקטרוני.',
  withdrawConfirm: 'כן, לבטל',
  withdrawBack: 'חזרה לעמוד הבקשה',
  withdrawn: 'הביטול נרשם. אישור נשלח אליך בדואר האלקטרוני.',
  meetingsIcs: 'הוספת כל המפגשים ליומן (קובץ .ics)',
  expiredTitle: 'תוקף הקישור פג',
  expiredBody:
    'מטעמי אבטחה הקישור לעמוד הבקשה תקף לזמן מוגבל. אפשר לבקש קישור חדש, והוא יישלח לכתובת הדואר האלקטרוני שבבקשה.',
  invalidTitle: 'הקישור אינו תקין',
  invalidBody:
    'ייתכן שהקישור הועתק באופן חלקי או שונה. אפשר לבקש קישור חדש, והוא יישלח לכתובת הדואר האלקטרוני שבבקשה.',
  goneTitle: 'הבקשה לא נמצאה',
  goneBody: 'הבקשה הזאת אינה שמורה עוד במערכת. לשאלות אפשר לפנות לצוות התוכנית.',
  askTitle: 'הקישור לבקשה שלי',
  askLead: 'נשלח קישור לעמוד הבקשה שלך לכתובת הדואר האלקטרוני שבה הגשת אותה.',
  askSubmit: 'שליחת הקישור',
  askSentTitle: 'בדרך אליך',
  askSent:
    'אם קיימת בקשה עם הכתובת הזאת, הקישור בדרך אליה. ההודעה אמורה להגיע בתוך כמה דקות; כדאי לבדוק גם בתיקיית דואר הזבל.',
  askLink: 'לקבלת קישור חדש',
  staleForm: 'הטופס פתוח כבר זמן רב או שנשלח פעמיים. נא לנסות שוב.',
};

const ar: MyTexts = {
  title: 'طلبي',
  referenceLabel: 'الرقم المرجعي:',
  statusTitle: 'حالة الطلب',
  status: {
    submitted: {
      now: 'وصلنا طلبك وهو قيد الفحص الأولي.',
      next: 'سيحال خلال الأيام القادمة إلى فريق التقييم.',
    },
    in_review: {
      now: 'الطلب قيد الدراسة لدى فريق التقييم.',
      next: 'عادة يصدر القرار خلال أسبوع، وسنبلغك به بالبريد الإلكتروني.',
    },
    waitlisted: { now: 'طلبك في قائمة الانتظار.', next: 'إذا شغر مكان في الفوج فسنبلغك فورا.' },
    accepted: {
      now: 'قبل طلبك للانضمام إلى الفوج!',
      next: 'ستصلك قريبا دعوات إلى جميع اللقاءات. يمكنك أيضا إضافة اللقاءات إلى تقويمك من الملف أدناه.',
    },
    onboarding: {
      now: 'قبل طلبك للانضمام إلى الفوج!',
      next: 'نرسل إليك دعوات إلى جميع اللقاءات ونضمك إلى قنوات الفوج.',
    },
    onboarded: {
      now: 'قبل طلبك، وكل شيء جاهز.',
      next: 'أرسلت الدعوات إلى جميع اللقاءات. نراك في اللقاء الأول!',
    },
    declined: {
      now: 'لم يقبل الطلب لهذا الفوج.',
      next: 'يسعدنا أن نراك في أنشطة الشبكة وفي الأفواج القادمة.',
    },
    withdrawn: {
      now: 'تم سحب الطلب.',
      next: 'إذا حدث ذلك عن طريق الخطأ، يمكنك التواصل مع طاقم البرنامج عبر التفاصيل أدناه.',
    },
    erased: { now: 'حذفت معلومات الطلب.', next: '' },
  },
  emailConfirmed: 'تم تأكيد عنوان بريدك الإلكتروني.',
  answersTitle: 'التفاصيل التي قدمتها',
  noAnswer: 'غير محدد',
  correctTitle: 'تصحيح التفاصيل',
  correctDirect:
    'يمكنك تصحيح التفاصيل إلى أن يبدأ فريق التقييم بالتصويت على الطلب. لا يمكن تغيير عنوان البريد الإلكتروني هنا.',
  correctNote:
    'بدأ فريق التقييم دراسة الطلب، لذلك لن يدخل التصحيح إلى الطلب فورا: سيرسل إلى طاقم البرنامج، وسيقوم الطاقم بتحديث التفاصيل.',
  correctSaveDirect: 'حفظ التصحيح',
  correctSaveNote: 'إرسال التصحيح إلى طاقم البرنامج',
  corrected: 'تم حفظ التصحيح.',
  noted: 'أرسل التصحيح إلى طاقم البرنامج.',
  unchanged: 'لم يتغير أي تفصيل، لذلك لم يحفظ شيء.',
  proposalApplied: 'حُفظت الإجابات الجديدة في طلبك.',
  proposalNoted: 'بدأت مراجعة طلبك، لذلك أُرسلت الإجابات الجديدة إلى طاقم البرنامج وبقي الطلب كما هو.',
  proposalDiscarded: 'حُذفت الإجابات الجديدة، وبقي طلبك كما هو.',
  correctErrors: 'يرجى تصحيح بعض التفاصيل قبل الحفظ:',
  withdrawTitle: 'السحب',
  withdrawBefore: 'سحب الطلب',
  withdrawAfter: 'الانسحاب من المشاركة',
  withdrawLead: 'إذا قررت عدم الانضمام، يمكنك السحب من هنا. سنطلب منك التأكيد قبل ذلك.',
  withdrawConfirmTitle: 'هل تريد السحب؟',
  withdrawConfirmBody:
    'السحب نهائي. من قبلت طلباتهم يزالون من جميع اللقاءات ومن قنوات الفوج. سنرسل إليك تأكيدا بالبريد الإلكتروني.',
  withdrawConfirm: 'نعم، أريد السحب',
  withdrawBack: 'العودة إلى صفحة الطلب',
  withdrawn: 'سجلنا السحب، وأرسلنا إليك تأكيدا بالبريد الإلكتروني.',
  meetingsIcs: 'إضافة جميع اللقاءات إلى التقويم (ملف .ics)',
  expiredTitle: 'انتهت صلاحية الرابط',
  expiredBody:
    'لأسباب أمنية يكون رابط صفحة الطلب صالحا لمدة محدودة. يمكنك طلب رابط جديد، وسيرسل إلى عنوان البريد الإلكتروني المذكور في الطلب.',
  invalidTitle: 'الرابط غير صالح',
  invalidBody:
    'ربما نسخ الرابط بشكل جزئي أو تم تغييره. يمكنك طلب رابط جديد، وسيرسل إلى عنوان البريد الإلكتروني المذكور في الطلب.',
  goneTitle: 'لم يعثر على الطلب',
  goneBody: 'هذا الطلب لم يعد محفوظا في النظام. للاستفسار يمكنك التواصل مع طاقم البرنامج.',
  askTitle: 'رابط طلبي',
  askLead: 'سنرسل رابط صفحة طلبك إلى عنوان البريد الإلكتروني الذي قدمت الطلب منه.',
  askSubmit: 'إرسال الرابط',
  askSentTitle: 'الرابط في طريقه إليك',
  askSent:
    'إذا كان هناك طلب بهذا العنوان، فالرابط في طريقه إليه. يفترض أن تصل الرسالة خلال دقائق؛ يرجى التحقق أيضا من مجلد البريد غير المرغوب فيه.',
  askLink: 'طلب رابط جديد',
  staleForm: 'النموذج مفتوح منذ وقت طويل أو أرسل مرتين. يرجى المحاولة مرة أخرى.',
};

const en: MyTexts = {
  title: 'My application',
  referenceLabel: 'Reference:',
  statusTitle: 'Where your application stands',
  status: {
    submitted: {
      now: 'We have received your application and are giving it a first check.',
      next: 'In the next few days it will go to the reviewers.',
    },
    in_review: {
      now: 'Your application is with the reviewers.',
      next: 'A decision usually takes about a week, and we will let you know by e-mail.',
    },
    waitlisted: {
      now: 'Your application is on the waitlist.',
      next: 'If a place becomes available, we will let you know at once.',
    },
    accepted: {
      now: 'You have been accepted!',
      next: 'Invitations to every meeting will reach you soon. You can also add the meetings to your calendar from the file below.',
    },
    onboarding: {
      now: 'You have been accepted!',
      next: 'We are sending you invitations to every meeting and adding you to the cohort’s channels.',
    },
    onboarded: {
      now: 'You have been accepted, and everything is ready.',
      next: 'Your invitations to every meeting have been sent. See you at the first meeting!',
    },
    declined: {
      now: 'We are unable to offer you a place in this cohort.',
      next: 'We hope to see you at the network’s activities and in future cohorts.',
    },
    withdrawn: {
      now: 'Your application has been withdrawn.',
      next: 'If this is a mistake, please contact the programme team using the details below.',
    },
    erased: { now: 'The details of this application have been erased.', next: '' },
  },
  emailConfirmed: 'Your e-mail address is confirmed.',
  answersTitle: 'What you told us',
  noAnswer: 'Not given',
  correctTitle: 'Correct your details',
  correctDirect:
    'You can correct your details until the reviewers start voting on your application. Your e-mail address cannot be changed here.',
  correctNote:
    'The reviewers have already started on your application, so a correction will not change it straight away: it goes to the programme team, who will update your details.',
  correctSaveDirect: 'Save the correction',
  correctSaveNote: 'Send the correction to the programme team',
  corrected: 'Your correction has been saved.',
  noted: 'Your correction has been sent to the programme team.',
  unchanged: 'Nothing was changed, so nothing was saved.',
  proposalApplied: 'Your new answers are now part of your application.',
  proposalNoted:
    'The review has already begun, so your new answers went to the programme team as a note and your application stays as it was.',
  proposalDiscarded: 'Your new answers were discarded. Your application stays as it was.',
  correctErrors: 'Please correct a few details before saving:',
  withdrawTitle: 'Withdraw',
  withdrawBefore: 'Withdraw the application',
  withdrawAfter: 'Withdraw from the cohort',
  withdrawLead: 'If you have decided not to join, you can withdraw here. We will ask you to confirm first.',
  withdrawConfirmTitle: 'Withdraw?',
  withdrawConfirmBody:
    'Withdrawing is final. Anyone already accepted is removed from every meeting and from the cohort’s channels. We will confirm by e-mail.',
  withdrawConfirm: 'Yes, withdraw',
  withdrawBack: 'Back to my application',
  withdrawn: 'You have withdrawn. We have sent you a confirmation by e-mail.',
  meetingsIcs: 'Add every meeting to your calendar (.ics file)',
  expiredTitle: 'This link has expired',
  expiredBody:
    'For your security, the link to your application is valid for a limited time. You can ask for a new one; it will be sent to the e-mail address on your application.',
  invalidTitle: 'This link is not valid',
  invalidBody:
    'The link may have been copied only in part, or changed. You can ask for a new one; it will be sent to the e-mail address on your application.',
  goneTitle: 'Application not found',
  goneBody:
    'This application is no longer held in our system. If you have questions, please contact the programme team.',
  askTitle: 'The link to my application',
  askLead: 'We will send a link to your application’s page to the e-mail address you applied with.',
  askSubmit: 'Send me the link',
  askSentTitle: 'On its way',
  askSent:
    'If an application exists for this address, a link is on its way to it. It should arrive within a few minutes; please also check your spam folder.',
  askLink: 'Ask for a new link',
  staleForm: 'This form was open for a long time or was sent twice. Please try again.',
};

export const MY_TEXTS: Record<Lang, MyTexts> = { he, ar, en };
