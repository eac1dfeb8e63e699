import type { FieldCode, FieldName } from '../domain/application.ts';

export const fieldLabels: Record<FieldName, string> = {
  fullName: 'שם מלא',
  email: 'דואר אלקטרוני',
  phone: 'טלפון נייד',
  organisation: 'ארגון או רשות מקומית',
  roleTitle: 'תפקיד',
  sector: 'מגזר',
  region: 'אזור',
  motivation: 'למה את/ה רוצה להצטרף לצוות?',
  topics: 'נושאים שאוכל לתרום בהם',
  confirmedMeetings: 'אישור השתתפות במפגשים',
  accessibilityNeeds: 'צרכי נגישות',
  consent: 'הסכמה למדיניות הפרטיות',
};

const generic: Record<FieldCode, string> = {
  required: 'זהו שדה חובה.',
  too_short: 'הטקסט קצר מדי.',
  too_long: 'הטקסט ארוך מדי.',
  invalid_email: 'כתובת הדואר האלקטרוני אינה תקינה. לדוגמה: name@example.org',
  invalid_phone: 'מספר הטלפון הנייד אינו תקין. לדוגמה: 050-7234567',
  invalid_choice: 'יש לבחור אחת מהאפשרויות ברשימה.',
  too_many: 'נבחרו יותר מדי אפשרויות.',
  consent_required: 'כדי לשלוח את הטופס יש לאשר את מדיניות הפרטיות.',
  unknown_field: 'שדה לא מוכר.',
  invalid_type: 'הערך אינו תקין.',
};

const specific: Partial<Record<FieldName, Partial<Record<FieldCode, string>>>> = {
  fullName: { required: 'נא למלא שם מלא.', too_short: 'נא למלא שם מלא (לפחות 2 תווים).' },
  email: { required: 'נא למלא כתובת דואר אלקטרוני.' },
  phone: { required: 'נא למלא מספר טלפון נייד.' },
  organisation: { required: 'נא למלא את שם הארגון או הרשות.' },
  roleTitle: { required: 'נא למלא את התפקיד.' },
  sector: { required: 'נא לבחור מגזר.' },
  region: { required: 'נא לבחור אזור.' },
  motivation: { required: 'נא לכתוב כמה מילים על המוטיבציה שלך.', too_short: 'נא לכתוב לפחות 20 תווים.' },
};

/** The Hebrew message for a field's error code. */
export function fieldMessage(field: string, code: string): string {
  const f = field as FieldName;
  const c = code as FieldCode;
  return specific[f]?.[c] ?? generic[c] ?? generic.invalid_type;
}

export const text = {
  siteName: 'קהילה — רשת muni:STEM',
  skipToForm: 'דילוג לטופס',
  requiredNote: 'שדות המסומנים בכוכבית (*) הם שדות חובה.',
  errorSummaryTitle: 'יש לתקן כמה פרטים לפני השליחה:',
  submit: 'שליחת הבקשה',
  draftRestored: 'שחזרנו את מה שמילאת בפעם הקודמת במכשיר הזה.',
  draftClear: 'ניקוי הטופס',
  tooFast: 'לא הספקנו לאמת את השליחה. הפרטים שמילאת נשמרו — נא לבדוק ולשלוח שוב.',
  meetingsLegend: 'ההשתתפות בכל המפגשים נדרשת. נא לאשר כל מועד שבו תוכל/י להשתתף:',
  meetingsHint: 'אם מועד מסוים אינו מתאים, אפשר עדיין להגיש — הצוות ייצור קשר.',
  accessibilityHint:
    'הרשת מתחייבת למפגשים נגישים. מה שתכתוב/י כאן ייראה רק לצוות התוכנית ולא יוצג לסוקרים. אפשר להשאיר ריק.',
  motivationHint: (max: number) => `עד ${max.toLocaleString('he-IL')} תווים.`,
  phoneHint: 'לדוגמה: 050-7234567',
  topicsHint: 'אפשר לבחור כמה נושאים.',
  consentLabel: 'קראתי את מדיניות הפרטיות ואני מסכים/ה שהפרטים ישמשו לתהליך הקבלה ולפעילות הרשת.',
  privacyLink: 'מדיניות הפרטיות',
  choose: 'בחירה…',
  closed: 'ההרשמה למחזור הזה סגורה.',
  receivedTitle: 'הבקשה התקבלה',
  receivedLead: 'תודה! קיבלנו את הבקשה שלך.',
  referenceLabel: 'מספר האסמכתה שלך:',
  referenceByEmail: 'הבקשה נשמרה ותועבר לצוות בדקות הקרובות. מספר האסמכתה יישלח אליך בדואר האלקטרוני.',
  botCheckFailed: 'לא הצלחנו לוודא שהשליחה נעשתה בידי אדם. הפרטים שמילאת נשמרו — נא לנסות שוב.',
  referenceHint: 'כדאי לשמור אותו. אפשר למסור אותו בטלפון בכל פנייה.',
  nextTitle: 'מה קורה עכשיו?',
  nextSteps: [
    'נשלח אליך אישור בדואר האלקטרוני.',
    'צוות התוכנית יעבור על הבקשה, בדרך כלל בתוך שבוע.',
    'נודיע לך על ההחלטה בדואר האלקטרוני. מי שיתקבל/תתקבל יקבל/תקבל זימונים לכל המפגשים ליומן.',
  ],
  icsLink: 'הוספת כל המפגשים ליומן (קובץ ‎.ics)',
  meetingsTitle: 'מועדי המפגשים',
  inPerson: 'פנים אל פנים',
  online: 'מקוון',
  notFoundTitle: 'הדף לא נמצא',
  errorTitle: 'משהו השתבש',
  errorBody: 'אירעה תקלה אצלנו. הפרטים שלך לא אבדו בדפדפן — נא לחזור אחורה ולנסות שוב בעוד רגע.',
  tooLargeBody: 'הטופס שנשלח גדול מדי. נא לקצר את הטקסטים ולנסות שוב.',
  forbiddenBody: 'לא ניתן היה לאמת את מקור השליחה. נא לפתוח את הטופס מחדש ולשלוח שוב.',
  rateLimitedBody: 'נשלחו יותר מדי בקשות בזמן קצר. נא לנסות שוב בעוד כמה דקות.',
};
