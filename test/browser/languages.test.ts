import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { LANGS, type Lang } from '../../src/pages/i18n/index.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';

// The form in each of its three languages, in one Chromium with a context per language: the keyboard-only
// journey, axe on every applicant page, the mirroring of labels and inputs, and how invalid fields and the
// focus ring look.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ERROR_RGB = 'rgb(179, 38, 30)';

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
    // Longer than any journey here takes: every submission is "too fast", and must still arrive.
    minFillMs: 3_600_000,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  await database?.close();
});

/** A context in a language's locale; it bypasses CSP only so the test can inject axe. */
async function open(lang: Lang): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, locale: lang });
  return { context, page: await context.newPage() };
}

/** axe-core with the WCAG 2.1 A and AA rules: the ids and nodes of every violation. */
async function axeViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: Violation[] }> } })
      .axe;
    type Violation = { id: string; nodes: { html: string }[] };
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Presses Tab (or Shift+Tab) until the element with this id has focus, as a person without a mouse would. */
async function tabTo(page: Page, id: string, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  for (let i = 0; i < 80; i++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press(key);
  }
  throw new Error(`could not reach #${id} with ${key}`);
}

/**
 * A select is chosen with the arrow key, as a keyboard does on a closed select (typing its first letter works
 * for Latin letters only: a Hebrew or Arabic letter reaches the page as text, not as a key).
 */
async function chooseByKeyboard(page: Page, id: string): Promise<string> {
  await tabTo(page, id);
  await page.keyboard.press('ArrowDown');
  return page.inputValue(`#${id}`);
}

const PEOPLE: Record<Lang, { name: string; organisation: string; role: string; motivation: string }> = {
  he: {
    name: 'נועה כהן',
    organisation: 'עיריית ירוחם',
    role: 'מנהלת מחלקת חינוך',
    motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
  },
  ar: {
    name: 'سلمى خوري',
    organisation: 'بلدية رهط',
    role: 'مديرة قسم التربية',
    motivation: 'أرغب في تعزيز تعليم العلوم في النقب وربط السلطات المحلية ببعضها.',
  },
  en: {
    name: 'Dana Levi',
    organisation: 'Yeruham Municipality',
    role: 'Head of education',
    motivation: 'I want to advance science education in the Negev and connect local authorities.',
  },
};

/** Where each field's text starts and its input's box starts, on the side the language reads from. */
async function startEdges(page: Page) {
  return page.evaluate(() => {
    const rtl = document.documentElement.dir === 'rtl';
    const start = (r: DOMRect) => (rtl ? r.right : r.left);
    const textRect = (el: Element) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect();
    };
    const fields = Array.from(document.querySelectorAll('.field > label[for]')).flatMap((label) => {
      const input = document.getElementById(label.getAttribute('for') ?? '');
      if (!input || !['INPUT', 'SELECT', 'TEXTAREA'].includes(input.tagName)) return [];
      return [{ id: input.id, label: start(textRect(label)), input: start(input.getBoundingClientRect()) }];
    });
    const choices = Array.from(document.querySelectorAll('fieldset')).flatMap((set) => {
      const legend = set.querySelector('legend');
      const box = set.querySelector('.choice input');
      if (!legend || !box) return [];
      return [{ id: set.id, label: start(textRect(legend)), input: start(box.getBoundingClientRect()) }];
    });
    return { rtl, edges: [...fields, ...choices] };
  });
}

describe.each(LANGS.map((lang) => [lang]))('the form in %s', (lang) => {
  it('is mirrored, passes axe, and is sent with the keyboard alone to a confirmation that passes axe', async () => {
    const { context, page } = await open(lang);
    await page.goto(`${base}/apply?lang=${lang}`);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.getAttribute('html', 'dir')).toBe(lang === 'en' ? 'ltr' : 'rtl');
    expect(await axeViolations(page)).toEqual([]);

    const { rtl, edges } = await startEdges(page);
    expect(rtl).toBe(lang !== 'en');
    expect(edges.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        'fullName',
        'email',
        'phone',
        'sector',
        'motivation',
        'topics',
        'confirmedMeetings',
      ]),
    );
    for (const edge of edges) expect(Math.abs(edge.label - edge.input), edge.id).toBeLessThanOrEqual(1);
    // The start edge is the reading side: right of the page's middle in he and ar, left of it in en.
    const middle = (page.viewportSize()?.width ?? 0) / 2;
    for (const edge of edges) expect(edge.input > middle, edge.id).toBe(rtl);

    const person = PEOPLE[lang];
    const email = `keyboard-${lang}@example.org`;
    const type = async (id: string, text: string) => {
      await tabTo(page, id);
      await page.keyboard.type(text);
    };
    await type('fullName', person.name);
    await type('email', email);
    await type('phone', '050-7234567');
    // Back with Shift+Tab to a field already filled, and on again: nothing typed is lost on the way.
    await tabTo(page, 'fullName', 'Shift+Tab');
    expect(await page.inputValue('#fullName')).toBe(person.name);
    await type('organisation', person.organisation);
    await type('roleTitle', person.role);
    const sector = await chooseByKeyboard(page, 'sector');
    const region = await chooseByKeyboard(page, 'region');
    await type('motivation', person.motivation);
    for (const id of [
      'topics-data',
      'confirmedMeetings-opening-day',
      'confirmedMeetings-online-1',
      'consent',
    ]) {
      await tabTo(page, id);
      await page.keyboard.press('Space');
    }
    await tabTo(page, 'submit-application');
    await Promise.all([page.waitForURL(/\/done\?ref=[^&]+&sig=[0-9a-f]{32}$/), page.keyboard.press('Enter')]);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    const reference = await page.textContent('.reference');
    expect(await axeViolations(page)).toEqual([]);

    const row = await database.db
      .selectFrom('applications')
      .select(['reference', 'sector', 'region', 'language', 'flags', 'answers'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(sector).not.toBe('');
    expect(region).not.toBe('');
    expect(row).toMatchObject({ reference, sector, region, language: lang });
    expect((row.answers as { confirmedMeetings: string[] }).confirmedMeetings).toEqual([
      'opening-day',
      'online-1',
    ]);
    // Sent faster than the minimum fill time: kept and flagged, never sent back.
    expect(row.flags).toContain('filled_fast');
    await context.close();
  }, 120_000);

  it('marks every kind of invalid field, in the error state that passes axe', async () => {
    const { context, page } = await open(lang);
    await page.goto(`${base}/apply?lang=${lang}`);
    await tabTo(page, 'submit-application');
    await Promise.all([page.waitForURL(/\/apply\/leading-team-2027$/), page.keyboard.press('Enter')]);
    await page.waitForSelector('.error-summary');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    const looks = await page.evaluate(() => {
      const style = (sel: string) => getComputedStyle(document.querySelector(sel) as Element);
      const border = (sel: string) => style(sel).borderTopColor;
      return {
        text: border('#fullName'),
        email: border('#email'),
        tel: border('#phone'),
        select: border('#sector'),
        textarea: border('#motivation'),
        checkbox: `${style('#consent').outlineStyle} ${style('#consent').outlineColor}`,
        valid: border('#accessibilityNeeds'),
      };
    });
    expect(looks).toEqual({
      text: ERROR_RGB,
      email: ERROR_RGB,
      tel: ERROR_RGB,
      select: ERROR_RGB,
      textarea: ERROR_RGB,
      checkbox: `solid ${ERROR_RGB}`,
      valid: expect.not.stringMatching(ERROR_RGB),
    });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('has a privacy notice and an accessibility statement that pass axe', async () => {
    const { context, page } = await open(lang);
    for (const path of ['/privacy', '/accessibility']) {
      await page.goto(`${base}${path}?lang=${lang}`);
      expect(await page.getAttribute('html', 'dir')).toBe(lang === 'en' ? 'ltr' : 'rtl');
      expect(await axeViolations(page), path).toEqual([]);
    }
    await context.close();
  }, 60_000);
});

/** WCAG's contrast ratio of two computed colours (rgb or rgba, taken as opaque). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r = 0, g = 0, bl = 0] = (css.match(/[\d.]+/g) ?? []).map(Number);
    const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('the form’s lines', () => {
  it('draw input borders and the focus ring of everything Tab reaches at 3:1 or more against the page', async () => {
    const { context, page } = await open('he');
    await page.goto(`${base}/apply`);
    const borders = await page.evaluate(() => {
      const behind = (el: Element) => {
        for (let n = el.parentElement; n; n = n.parentElement) {
          const c = getComputedStyle(n).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
      };
      const inputs = 'input[type=text]:not(#website),input[type=email],input[type=tel],select,textarea';
      return Array.from(document.querySelectorAll(inputs)).map((el) => ({
        id: el.id,
        border: getComputedStyle(el).borderTopColor,
        behind: behind(el),
      }));
    });
    expect(borders.length).toBeGreaterThanOrEqual(8);
    for (const b of borders) expect(contrast(b.border, b.behind), b.id).toBeGreaterThanOrEqual(3);

    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        // The ring is drawn outside the element, over what is behind it.
        let behind = 'rgb(255, 255, 255)';
        for (let n = el.parentElement; n; n = n.parentElement) {
          const c = getComputedStyle(n).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') {
            behind = c;
            break;
          }
        }
        const s = getComputedStyle(el);
        return {
          key: el.id || el.outerHTML.slice(0, 60),
          style: s.outlineStyle,
          width: Number.parseFloat(s.outlineWidth),
          colour: s.outlineColor,
          behind,
        };
      });
      if (!ring || seen.has(ring.key)) break;
      seen.add(ring.key);
      expect(ring.style, ring.key).toBe('solid');
      expect(ring.width, ring.key).toBeGreaterThanOrEqual(2);
      expect(contrast(ring.colour, ring.behind), ring.key).toBeGreaterThanOrEqual(3);
    }
    expect(seen.size).toBeGreaterThan(20);
    await context.close();
  }, 120_000);
});
