import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let server: ServerType;
let database: OpenedDatabase;
let base = '';

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory' });
  const workflows = loadWorkflows();
  const limit = memoryRateLimiter({ limit: 1000, windowMs: 60_000 });
  const port = await new Promise<number>((resolve) => {
    server = serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => app.fetch(req) }, (info) =>
      resolve(info.port),
    );
  });
  base = `http://127.0.0.1:${port}`;
  const app = createApp({
    workflows,
    publicUrl: base,
    clock: () => new Date(),
    formTokens: formTokens('browser-test-secret-long-enough'),
    limits: { ip: limit, email: limit },
    clientIp: () => '127.0.0.1',
    submit: (req) => submitApplication({ db: database.db, workflows, clock: () => new Date() }, req),
    readiness: async () => ({ database: true }),
    logger: { info() {}, warn() {}, error() {} },
    minFillMs: 300,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  await database?.close();
});

/** axe-core with the WCAG 2.1 A/AA rules; the context bypasses CSP only so the test can inject axe. */
async function axeViolations(page: Page): Promise<{ id: string; nodes: unknown[] }[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
      }
    ).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      nodes: v.nodes.map((n) => (n as { html: string }).html),
    }));
  });
}

/** Presses Tab until the element with this id has focus (keyboard only, like a person without a mouse). */
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 80; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach #${id} with the keyboard`);
}

describe('the form in Chromium', () => {
  it('is filled and sent with the keyboard alone, and lands on the confirmation', async () => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'he-IL' });
    const page = await context.newPage();
    await page.goto(`${base}/apply`);
    expect(await axeViolations(page)).toEqual([]);

    const type = async (id: string, text: string) => {
      await tabTo(page, id);
      await page.keyboard.type(text);
    };
    await type('fullName', 'נועה כהן');
    await type('email', 'keyboard@example.org');
    await type('phone', '050-7234567');
    await type('organisation', 'עיריית ירוחם');
    await type('roleTitle', 'מנהלת מחלקת חינוך');
    await tabTo(page, 'sector');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'region');
    await page.keyboard.press('ArrowDown');
    await type('motivation', 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.');
    for (const id of [
      'topics-data',
      'confirmedMeetings-opening-day',
      'confirmedMeetings-online-1',
      'consent',
    ]) {
      await tabTo(page, id);
      await page.keyboard.press('Space');
    }
    await page.waitForTimeout(400);
    await tabTo(page, 'submit-application');
    await Promise.all([page.waitForURL(/\/done\?ref=/), page.keyboard.press('Enter')]);
    const reference = await page.textContent('.reference');
    expect(reference).toMatch(/^LT27-[34679ACDEFGHJKMNPQRTWXY]{5}$/);
    expect(await axeViolations(page)).toEqual([]);
    const row = await database.db
      .selectFrom('applications')
      .select(['reference', 'sector', 'region', 'answers'])
      .where('email', '=', 'keyboard@example.org')
      .executeTakeFirstOrThrow();
    expect(row.reference).toBe(reference);
    expect(row.sector).toBe('local-authority');
    expect((row.answers as { confirmedMeetings: string[] }).confirmedMeetings).toEqual([
      'opening-day',
      'online-1',
    ]);
    await context.close();
  }, 60_000);

  it('moves focus to the error summary after an invalid submission, which passes axe too', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/apply/leading-team-2027`);
    await page.fill('#fullName', 'נ');
    await page.fill('#email', 'not-an-email');
    await page.waitForTimeout(400);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await page.waitForSelector('.error-summary');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#email')).toBe('not-an-email');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('keeps a draft in the browser, restores it, and clears it after sending', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/apply/leading-team-2027`);
    await page.fill('#fullName', 'טיוטה שמורה');
    await page.fill('#email', 'draft@example.org');
    await page.check('#topics-ai');
    await page.reload();
    expect(await page.inputValue('#fullName')).toBe('טיוטה שמורה');
    expect(await page.isChecked('#topics-ai')).toBe(true);
    expect(await page.isVisible('#draft-note')).toBe(true);

    await page.fill('#phone', '050-7234567');
    await page.fill('#organisation', 'עיריית דימונה');
    await page.fill('#roleTitle', 'רכזת');
    await page.selectOption('#sector', 'school');
    await page.selectOption('#region', 'south');
    await page.fill('#motivation', 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.');
    await page.check('#consent');
    await page.waitForTimeout(400);
    await Promise.all([page.waitForURL(/\/done\?ref=/), page.click('button[type=submit]')]);
    const draft = await page.evaluate(() => localStorage.getItem('kehila-draft:leading-team-2027'));
    expect(draft).toBeNull();
    await page.goto(`${base}/apply/leading-team-2027`);
    expect(await page.inputValue('#fullName')).toBe('');
    await context.close();
  }, 60_000);

  it('follows the browser into Arabic, passes axe right-to-left, and keeps English once it is chosen', async () => {
    const context = await browser.newContext({ bypassCSP: true, locale: 'ar' });
    const page = await context.newPage();
    await page.goto(`${base}/apply`);
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('label[for=fullName]')).toContain('الاسم الكامل');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#email', 'not-an-email');
    await page.waitForTimeout(400);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('#email-error')).toContain('عنوان البريد الإلكتروني غير صحيح');
    expect(await axeViolations(page)).toEqual([]);

    await Promise.all([page.waitForURL(/lang=en/), page.click('a[hreflang=en]')]);
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await page.goto(`${base}/apply`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('label[for=fullName]')).toContain('Full name');
    expect(await axeViolations(page)).toEqual([]);
    // The draft saved on the Arabic page comes back here, but the page's own language is what is posted.
    expect(await page.inputValue('#email')).toBe('not-an-email');
    await page.waitForTimeout(400);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await page.waitForSelector('.error-summary');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#email-error')).toContain('The e-mail address is not valid.');
    await context.close();
  }, 60_000);

  for (const lang of ['he', 'ar', 'en'] as const) {
    it(`shows the accessibility statement in ${lang}, reached from the footer, passing axe`, async () => {
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${base}/apply?lang=${lang}`);
      await Promise.all([page.waitForURL(/\/accessibility/), page.click('footer a[href^="/accessibility"]')]);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await page.getAttribute('html', 'dir')).toBe(lang === 'en' ? 'ltr' : 'rtl');
      expect(await page.textContent('main')).toContain('IS 5568');
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }, 30_000);
  }
});
