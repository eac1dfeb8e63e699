import { afterEach, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  confirmationPath,
  postForm,
  postJson,
  type TestApp,
  validBody,
  validForm,
} from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const languageOf = async (app: TestApp, email: string) =>
  (
    await app.db
      .selectFrom('applications')
      .select('language')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).language;

describe("the applicant's language, stored with the application", () => {
  it('is taken from the JSON body, then Content-Language, then Accept-Language, else Hebrew', async () => {
    t = await buildTestApp();
    const cases: [string, Record<string, unknown>, Record<string, string>, string][] = [
      ['body@example.org', { language: 'en' }, { 'accept-language': 'ar' }, 'en'],
      ['content@example.org', {}, { 'content-language': 'ar-IL', 'accept-language': 'en' }, 'ar'],
      ['accept@example.org', {}, { 'accept-language': 'fr-FR, en;q=0.8, he;q=0.5' }, 'en'],
      ['none@example.org', {}, {}, 'he'],
    ];
    for (const [email, extra, headers, expected] of cases) {
      const res = await postJson(t, validBody({ email, ...extra }), headers);
      expect(res.status, email).toBe(201);
      expect(await languageOf(t, email), email).toBe(expected);
    }
  });

  it('refuses a language outside the three, by field', async () => {
    t = await buildTestApp();
    const res = await postJson(t, validBody({ language: 'fr' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields.language).toBe('invalid_choice');
  });

  it('is the language the form was posted in', async () => {
    t = await buildTestApp();
    const res = await postForm(t, validForm({ email: 'form-ar@example.org', lang: 'ar' }));
    expect(res.status).toBe(303);
    expect(await languageOf(t, 'form-ar@example.org')).toBe('ar');
  });
});

describe("the core's own pages in the applicant's language", () => {
  const get = (app: TestApp, path: string, headers: Record<string, string> = {}) =>
    app.app.request(path, { headers });

  it('answers a missing page in Arabic and English, with the direction of each', async () => {
    t = await buildTestApp();
    const ar = await get(t, '/no-such-page?lang=ar');
    expect(ar.status).toBe(404);
    const arHtml = await ar.text();
    expect(arHtml).toContain('<html lang="ar" dir="rtl">');
    expect(arHtml).toContain('الصفحة غير موجودة');
    expect(ar.headers.get('content-language')).toBe('ar');
    const en = await get(t, '/no-such-page', { 'accept-language': 'en-GB' });
    const enHtml = await en.text();
    expect(enHtml).toContain('<html lang="en" dir="ltr">');
    expect(enHtml).toContain('Page not found');
    expect(enHtml).toMatch(/<span dir="ltr">[^<]+<\/span>/);
    const he = await (await get(t, '/no-such-page')).text();
    expect(he).toContain('<html lang="he" dir="rtl">');
  });

  it('says a closed cohort is closed, in Arabic and English', async () => {
    t = await buildTestApp({ settings: { cohorts: { 'leading-team-2027': { open: false } } } });
    const ar = await get(t, '/apply?lang=ar');
    expect(ar.status).toBe(409);
    const arHtml = await ar.text();
    expect(arHtml).toContain('<html lang="ar" dir="rtl">');
    expect(arHtml).toContain('باب التسجيل مغلق');
    const en = await (await get(t, '/apply', { cookie: 'lang=en' })).text();
    expect(en).toContain('<html lang="en" dir="ltr">');
    expect(en).toContain('Applications are closed');
  });

  it('keeps the staff pages in Hebrew, whatever the browser asks for', async () => {
    t = await buildTestApp();
    const html = await (await get(t, '/admin/nothing-here', { 'accept-language': 'en' })).text();
    expect(html).toContain('<html lang="he" dir="rtl">');
  });
});

describe('the accessibility statement', () => {
  const settings = {
    accessibility: {
      coordinator: {
        name: { he: 'מאיה חדד', ar: 'مايا حداد', en: 'Maya Haddad' },
        email: 'maya.access@example.org',
        phone: '08-6201234',
      },
      lastReviewed: '2026-11-15',
    },
    contact: { email: 'team@example.org', phone: '08-6200000' },
  };
  const cases = [
    ['he', 'rtl', 'הצהרת נגישות', 'מאיה חדד', '15 בנובמבר 2026'],
    ['ar', 'rtl', 'بيان الإتاحة', 'مايا حداد', '15 نوفمبر 2026'],
    ['en', 'ltr', 'Accessibility statement', 'Maya Haddad', '15 November 2026'],
  ] as const;

  for (const [lang, dir, title, name, reviewed] of cases) {
    it(`is served in ${lang}, with the standard, the coordinator from the settings and the review date`, async () => {
      t = await buildTestApp({ settings });
      const res = await t.app.request(`/accessibility?lang=${lang}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}" dir="${dir}">`);
      expect(html).toContain(`<h1>${title}</h1>`);
      expect(html).toContain('<span dir="ltr">IS 5568</span>');
      expect(html).toContain('<span dir="ltr">WCAG 2.1 AA</span>');
      expect(html).toContain(`<strong>${name}</strong>`);
      expect(html).toContain(
        '<a href="mailto:maya.access@example.org" dir="ltr">maya.access@example.org</a>',
      );
      expect(html).toContain('<a href="tel:086201234" dir="ltr">08-6201234</a>');
      expect(html).toContain(`<bdi>${reviewed}</bdi>`);
    });
  }

  it('is linked from the footer of every applicant page, in the page language', async () => {
    t = await buildTestApp({ settings });
    for (const path of [
      '/apply?lang=ar',
      '/privacy?lang=en',
      await confirmationPath('LT27-ACDEF'),
      '/nowhere',
    ]) {
      const html = await (await t.app.request(path)).text();
      expect(html, path).toMatch(/<footer class="site">[\s\S]*href="\/accessibility\?lang=(he|ar|en)"/);
    }
    const ar = await (await t.app.request('/apply?lang=ar')).text();
    expect(ar).toContain('<a href="/accessibility?lang=ar">بيان الإتاحة</a>');
  });

  it("shows the programme's contact from the settings on the confirmation and privacy pages", async () => {
    t = await buildTestApp({ settings });
    for (const path of [await confirmationPath('LT27-ACDEF', '&lang=ar'), '/privacy?lang=en']) {
      const html = await (await t.app.request(path)).text();
      expect(html, path).toContain('<a href="mailto:team@example.org" dir="ltr">team@example.org</a>');
      expect(html, path).toContain('<a href="tel:086200000" dir="ltr">08-6200000</a>');
    }
  });

  it('refuses settings without a coordinator address, naming the path', async () => {
    const { loadWorkflows } = await import('../../workflows/index.ts');
    expect(() => loadWorkflows({ accessibility: { coordinator: { email: 'not an address' } } })).toThrow(
      /accessibility\.coordinator\.email/,
    );
  });
});

describe('the calendar download', () => {
  it('is in the language of the confirmation page it is linked from', async () => {
    t = await buildTestApp();
    const done = await (await t.app.request(await confirmationPath('LT27-ACDEF', '&lang=ar'))).text();
    const href = /href="(\/cohorts\/leading-team-2027\/meetings\.ics[^"]*)"/.exec(done)?.[1] ?? '';
    expect(href).toBe('/cohorts/leading-team-2027/meetings.ics?lang=ar');
    const feed = await t.app.request(href);
    expect(feed.headers.get('content-language')).toBe('ar');
    const ics = (await feed.text()).replace(/\r?\n[ \t]/g, '');
    expect(ics).toContain('X-WR-CALNAME:الفريق القيادي لشبكة muni:STEM — فوج 2027');
    expect(ics).toContain('SUMMARY:اللقاء الافتتاحي — يوم كامل');
  });
});

describe('the favicon', () => {
  it('answers /favicon.ico with the SVG icon every page links to', async () => {
    t = await buildTestApp();
    const res = await t.app.request('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toMatch(/^<svg /);
    const page = await (await t.app.request('/apply')).text();
    expect(page).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>');
  });
});
