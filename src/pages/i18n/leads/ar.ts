import type { LeadMessages } from './messages.ts';

// What a lead reads in Arabic: Modern Standard Arabic as Israeli Arab local authorities write it, the
// glossary's terms («مسار عمل», «التحديث الأسبوعي», «عوائق»), and forms that do not single out a gender.

export const ar: LeadMessages = {
  promptText: (line, week) => `التحديث الأسبوعي عن ${line} لأسبوع ${week}`,
  promptQuestion: (line) => `ما الذي تحقق هذا الأسبوع في مسار ${line}؟`,
  promptNote: 'سيدرج التحديث في الملخص الذي يصل إلى إدارة البرنامج.',
  closes: (when) => `يمكن إرسال التحديث حتى ${when}.`,
  answerButton: 'كتابة التحديث',
  reminder: (line) => `تذكير: لم يصلنا بعد التحديث الأسبوعي عن ${line}.`,
  modalTitle: 'التحديث الأسبوعي',
  modalSubmit: 'إرسال',
  modalClose: 'إلغاء',
  progressLabel: 'ما الذي تحقق هذا الأسبوع؟',
  nextStepsLabel: 'الخطوات التالية',
  blockersLabel: 'العوائق',
  blockersHint: 'ما الذي يعيق التقدم، إن وجد.',
  statusLabel: 'الحالة',
  helpLabel: 'كيف يمكن لإدارة البرنامج أن تساعد؟',
  optionalHint: 'يمكن ترك الحقل فارغا.',
  status: { green: 'على المسار الصحيح', yellow: 'يحتاج إلى متابعة', red: 'متعثر' },
  answeredTitle: 'تم استلام التحديث',
  answered: (line, week) =>
    `شكرا! تم استلام التحديث عن ${line} لأسبوع ${week}، وسيدرج في الملخص الذي يصل إلى إدارة البرنامج.`,
  answeredEdit: (when) => `يمكن تعديله حتى ${when} من الزر نفسه في الرسالة.`,
  doneButton: 'إغلاق',
  errors: {
    round_not_found: 'لم يتم العثور على جولة التحديث هذه.',
    not_prompted: 'إرسال التحديث عن مسار العمل متاح لمسؤولي المسار فقط.',
    closed: 'انتهت فترة إرسال التحديث لهذا الأسبوع.',
    incomplete: 'يرجى تعبئة ما تحقق والخطوات التالية والحالة.',
    pause_not_lead: 'الإيقاف المؤقت للتحديثات متاح لمسؤولي مسارات العمل فقط.',
    pause_no_date: 'يرجى اختيار تاريخ.',
    pause_past: 'هذا التاريخ قد مضى. يرجى اختيار تاريخ اليوم أو تاريخ لاحق.',
    pause_too_far: 'يمكن إيقاف التحديثات مؤقتا لمدة أقصاها سنة.',
  },
  homeTitle: 'تحديثاتي الأسبوعية',
  pausedUntil: (day, left) =>
    `⏸️ التحديثات الأسبوعية متوقفة مؤقتا حتى ${day} (شاملا هذا اليوم). المدة المتبقية: ${left}.`,
  pauseReason: (reason) => `السبب: ${reason}`,
  resumeButton: 'استئناف التحديثات',
  pauseIntro:
    'في الإجازة أو الخدمة الاحتياطية أو في فترة عمل مزدحمة، يمكن إيقاف طلبات التحديث والتذكيرات مؤقتا حتى تاريخ معين.',
  pauseButton: 'إيقاف التحديثات مؤقتا',
  pauseTitle: 'إيقاف التحديثات مؤقتا',
  pauseSubmit: 'إيقاف مؤقت',
  pauseClose: 'إلغاء',
  pauseUntilLabel: 'حتى تاريخ (شاملا)',
  pauseReasonLabel: 'السبب (اختياري)',
  pauseNote:
    'حتى هذا التاريخ لن تصلك طلبات تحديث أو تذكيرات، وستظهر التحديثات في الملخصات على أنها متوقفة مؤقتا.',
  noAnswersYet: 'لا توجد تحديثات بعد.',
  answersSoFar: {
    zero: 'لا تحديثات حتى الآن',
    one: 'تحديث واحد حتى الآن',
    two: 'تحديثان حتى الآن',
    few: '# تحديثات حتى الآن',
    many: '# تحديثا حتى الآن',
    other: '# تحديث حتى الآن',
  },
  daysLeft: { zero: 'لا أيام', one: 'يوم واحد', two: 'يومان', few: '# أيام', many: '# يوما', other: '# يوم' },
};
