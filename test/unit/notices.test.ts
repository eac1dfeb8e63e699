import { describe, expect, it } from 'vitest';
import { renderMeetingChange, renderNotice } from '../../src/mail/notices.ts';
import { loadWorkflows } from '../../workflows/index.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027');
if (!cohort) throw new Error('the shipped cohort is missing');
const base = {
  cohort,
  fullName: 'סלמה אבו-קף',
  reference: 'LT27-ACDEF',
  publicUrl: 'http://localhost:3000',
  calendarInvites: false,
};

describe('applicant notices in three languages', () => {
  it('stays Hebrew, right-to-left, when no language is given', () => {
    const n = renderNotice({ ...base, kind: 'received' });
    expect(n.html).toContain('<html lang="he" dir="rtl">');
    expect(n.text).toContain('קיבלנו את בקשתך להצטרף למחזור');
  });

  it('writes Arabic right-to-left, with the reference and times isolated and Latin digits in the dates', () => {
    const n = renderNotice({ ...base, kind: 'accepted', lang: 'ar' });
    expect(n.html).toContain('<html lang="ar" dir="rtl">');
    expect(n.subject).toBe('تم قبول طلبك — الفريق القيادي لشبكة muni:STEM — فوج 2027');
    expect(n.text).toContain(`مرحبا ${base.fullName}،`);
    expect(n.text).toContain('الرقم المرجعي: \u2068LT27-ACDEF\u2069');
    expect(n.text).toContain('• اللقاء الافتتاحي — يوم كامل — الخميس، 11 مارس 2027، \u206809:00–16:00\u2069');
    expect(n.text).not.toMatch(/[٠-٩]/);
  });

  it('writes English left-to-right', () => {
    const n = renderNotice({ ...base, kind: 'waitlisted', lang: 'en' });
    expect(n.html).toContain('<html lang="en" dir="ltr">');
    expect(n.html).toContain('text-align:left');
    expect(n.text).toContain('Your application is on the waitlist.');
    expect(n.subject).toContain('The muni:STEM network leading team, 2027 cohort');
  });
});

describe('meeting changes in the member’s language', () => {
  const meetings = cohort.meetings.slice(1, 2);
  const change = { cohort, meetings, fullName: 'Sam Green', reference: base.reference };

  it('writes an update in Arabic, the time and the reference isolated, the title in Arabic', () => {
    const n = renderMeetingChange({ ...change, kind: 'updated', lang: 'ar' });
    expect(n.language).toBe('ar');
    expect(n.html).toContain('<html lang="ar" dir="rtl">');
    expect(n.subject).toBe('تحديث على مواعيد اللقاءات — الفريق القيادي لشبكة muni:STEM — فوج 2027');
    expect(n.text).toContain(
      '• اللقاء الأول عبر الإنترنت — الأحد، 28 مارس 2027، \u206817:00–19:00\u2069، عبر الإنترنت',
    );
    expect(n.text).toContain('الرقم المرجعي: \u2068LT27-ACDEF\u2069');
    expect(n.text).not.toMatch(/[\u0590-\u05FF]/);
  });

  it('writes a cancellation in English, left-to-right, with nothing in Hebrew', () => {
    const n = renderMeetingChange({ ...change, kind: 'cancelled', lang: 'en' });
    expect(n.html).toContain('<html lang="en" dir="ltr">');
    expect(n.subject).toContain('A meeting is cancelled');
    expect(n.text).toContain('This meeting is cancelled:');
    expect(n.text).toContain('• First online meeting — Sunday, 28 March 2027, 17:00–19:00, online');
    expect(n.text).not.toMatch(/[\u0590-\u05FF\u0600-\u06FF]/);
  });

  it('puts the programme’s contact at the foot, isolated in right-to-left text', () => {
    const contact = { email: 'team@example.org', phone: '08-6200000' };
    const n = renderNotice({ ...base, kind: 'received', contact });
    expect(n.text).toContain(
      'לשאלות אפשר לכתוב לנו: \u2068team@example.org\u2069 או להתקשר: \u206808-6200000\u2069',
    );
    expect(n.html).toContain('<a href="mailto:team@example.org" dir="ltr">team@example.org</a>');
  });
});
