import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../src/mail/notices.ts';
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
