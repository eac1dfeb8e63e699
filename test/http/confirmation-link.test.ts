import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formTokens } from '../../src/http/form-token.ts';
import { buildTestApp, confirmationPath, postForm, type TestApp, validForm } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('the confirmation link', () => {
  it('carries a signature of its reference, which the language links keep', async () => {
    const res = await postForm(t, validForm({ lang: 'en' }));
    const location = res.headers.get('location') ?? '';
    const { reference } = await t.db.selectFrom('applications').select('reference').executeTakeFirstOrThrow();
    expect(location).toBe(await confirmationPath(reference));
    const page = await t.app.request(location);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<span class="reference" dir="ltr">${reference}</span>`);
    const sig = new URL(location, 'http://x').searchParams.get('sig');
    expect(html).toContain(`href="?ref=${reference}&amp;sig=${sig}&amp;lang=ar"`);
    expect((await t.app.request(`${location}&lang=ar`)).status).toBe(200);
  });

  it('is a 404 in the page language for a reference without its signature, or with another one', async () => {
    const valid = await confirmationPath('LT27-ACDEF');
    const otherCohort = await formTokens('a-test-secret-of-enough-length').signReference(
      'other',
      'LT27-ACDEF',
    );
    for (const path of [
      '/apply/leading-team-2027/done?ref=LT27-ACDEF',
      valid.replace('LT27-ACDEF', 'LT27-ACDEH'),
      valid.replace(/sig=[0-9a-f]{4}/, 'sig=ffff'),
      `/apply/leading-team-2027/done?ref=LT27-ACDEF&sig=${otherCohort}`,
      `/apply/leading-team-2027/done?ref=LT27-ACDEF&sig=`,
      '/apply/leading-team-2027/done?ref=not-a-reference&sig=00',
    ]) {
      const res = await t.app.request(`${path}&lang=en`);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain('<html lang="en" dir="ltr">');
      expect(html).not.toContain('class="reference"');
    }
    const forms = formTokens('another-secret-of-enough-length');
    const foreign = `/apply/leading-team-2027/done?ref=LT27-ACDEF&sig=${await forms.signReference('leading-team-2027', 'LT27-ACDEF')}`;
    expect((await t.app.request(foreign)).status).toBe(404);
    expect((await t.app.request(valid)).status).toBe(200);
  });

  it('still thanks a sender without a reference (the honeypot’s pretend success)', async () => {
    const res = await t.app.request('/apply/leading-team-2027/done');
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('class="reference"');
  });
});
