import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, confirmationPath, postForm, type TestApp, validForm } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.close();
});

const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

describe('the applicant pages in three languages', () => {
  it('serves Hebrew by default, right-to-left, with a switch naming each language in its own script', async () => {
    const html = await (await get('/apply')).text();
    expect(html).toContain('<html lang="he" dir="rtl">');
    expect(html).toContain('<label for="sector">סוג הארגון *</label>');
    expect(html).not.toMatch(/\/(ה|ת|ית|ים)[\s<.,]/);
    expect(html).toMatch(/<a[^>]*href="\?lang=ar"[^>]*hreflang="ar"[^>]*>العربية<\/a>/);
    expect(html).toMatch(/<a[^>]*href="\?lang=en"[^>]*hreflang="en"[^>]*>English<\/a>/);
    expect(html).toContain('<span dir="ltr">09:00–16:00</span>');
    expect(html).toContain('<span dir="ltr">050-7234567</span>');
  });

  it('answers ?lang=ar in Arabic, right-to-left, and remembers the choice for a year', async () => {
    const res = await get('/apply?lang=ar');
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(res.headers.get('content-language')).toBe('ar');
    expect(res.headers.get('vary') ?? '').toMatch(/Accept-Language/);
    expect(html).toContain('الاسم الكامل');
    expect(html).toContain('البريد الإلكتروني');
    expect(html).toContain('نوع الجهة');
    expect(html).toContain('سلطة محلية');
    expect(html).toContain('الفريق القيادي');
    expect(html).toContain('name="lang" value="ar"');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/lang=ar/);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('answers ?lang=en in English, left-to-right', async () => {
    const html = await (await get('/apply/leading-team-2027?lang=en')).text();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('Full name');
    expect(html).toContain('Type of organisation');
    expect(html).toContain('Local authority');
    expect(html).toContain('Thursday, 11 March 2027');
  });

  it('honours Accept-Language, and a remembered cookie over it', async () => {
    const ar = await (await get('/apply', { 'accept-language': 'ar-IL,ar;q=0.9,en;q=0.5' })).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    const en = await (await get('/apply', { 'accept-language': 'fr-FR, en;q=0.8' })).text();
    expect(en).toContain('<html lang="en" dir="ltr">');
    const remembered = await (await get('/apply', { cookie: 'lang=en', 'accept-language': 'ar' })).text();
    expect(remembered).toContain('<html lang="en" dir="ltr">');
    const unknown = await (await get('/apply?lang=xx', { 'accept-language': 'de' })).text();
    expect(unknown).toContain('<html lang="he" dir="rtl">');
  });

  it('re-renders errors in the language the form was posted in', async () => {
    const ar = await postForm(t, validForm({ email: 'not-an-email', lang: 'ar' }));
    expect(ar.status).toBe(400);
    const arHtml = await ar.text();
    expect(arHtml).toContain('<html lang="ar" dir="rtl">');
    expect(arHtml).toContain('عنوان البريد الإلكتروني غير صحيح');
    expect(arHtml).toContain('<span dir="ltr">name@example.org</span>');
    const en = await postForm(t, validForm({ phone: '03-6123456', lang: 'en' }));
    const enHtml = await en.text();
    expect(enHtml).toContain('<html lang="en" dir="ltr">');
    expect(enHtml).toContain('mobile number is not valid');
  });

  it('shows the confirmation and the privacy notice in the chosen language', async () => {
    const done = await (await get(await confirmationPath('LT27-ACDEF', '&lang=ar'))).text();
    expect(done).toContain('<html lang="ar" dir="rtl">');
    expect(done).toContain('تم استلام الطلب');
    expect(done).toContain('<span class="reference" dir="ltr">LT27-ACDEF</span>');
    const privacy = await (await get('/privacy?lang=en')).text();
    expect(privacy).toContain('<html lang="en" dir="ltr">');
    expect(privacy).toContain('Privacy notice');
  });
});
