import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { issueSignInLink } from '../../src/usecases/staff-sessions.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { seedBoard } from '../helpers/board-fixtures.ts';
import { reviewSettings } from '../helpers/pipeline.ts';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let service: RunningService;
let dir: string;
let ids: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehila-board-ui-'));
  service = await startService({
    config: parseConfig({
      PORT: '0',
      DATA_DIR: dir,
      REDIS_URL: TEST_REDIS_URL,
      PUBLIC_URL: 'http://127.0.0.1:1',
    }),
    logger: pino({ level: 'silent' }),
    settings: reviewSettings(),
    role: 'web',
    overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('bui') },
  });
  const workflows = loadWorkflows(reviewSettings());
  ids = await seedBoard(service.database.db, workflows, () => new Date(), 'ui');
  // A name with no place to break must wrap inside its card, not widen the page.
  await seedBoard(service.database.db, workflows, () => new Date(), 'long').then((more) =>
    service.database.db
      .updateTable('applications')
      .set({ full_name: 'א'.repeat(80), organisation: 'עיריית־'.repeat(12) })
      .where('id', '=', more.reviewing as string)
      .execute(),
  );
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const q of Object.values(service.pipeline.queues.queues))
    await q.obliterate({ force: true }).catch(() => {});
  await service.stop();
  await rm(dir, { recursive: true, force: true });
});

async function violations(page: Page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await (
      window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }
    ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => v.id);
  });
}

describe('the board in Chromium at 390 px', () => {
  it('fits a phone without sideways scrolling and passes axe, on the board, a filter and one stage as a list', async () => {
    // Axe adds its script to the page, which the strict CSP would refuse; the page itself runs none.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const base = `http://127.0.0.1:${service.port}`;
    const token = await issueSignInLink({ db: service.database.db, clock: () => new Date() }, 'console');
    await Promise.all([
      page.waitForURL(`${base}/admin`),
      page.goto(`${base}/admin/signin/link?token=${token}`),
    ]);
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);

    const headings = await page.locator('.column h2').allTextContents();
    expect(headings).toEqual([
      'התקבלו במערכת (2)',
      'במיון (4)',
      'אושרו, לפני הקליטה (2)',
      'בקליטה (2)',
      'הקליטה הושלמה (0)',
      'ברשימת המתנה (2)',
      'לא אושרו (0)',
      'בוטלו (2)',
    ]);
    expect(await page.locator('.board-card').count()).toBe(14);
    expect(await width()).toBeLessThanOrEqual(390);
    expect(await violations(page)).toEqual([]);

    await page.check('input[name="deadlinePassed"]');
    await Promise.all([
      page.waitForURL(/deadlinePassed=1/),
      page.click('form.filters button[type="submit"]'),
    ]);
    expect(await page.locator('.column h2').nth(1).textContent()).toBe('במיון (2)');
    expect(await width()).toBeLessThanOrEqual(390);
    expect(await violations(page)).toEqual([]);

    await page.goto(`${base}/admin?status=in_review`);
    expect(await page.locator('tbody tr').count()).toBe(4);
    expect(await width()).toBeLessThanOrEqual(390);
    expect(await violations(page)).toEqual([]);

    await page.goto(`${base}/admin`);
    await Promise.all([
      page.waitForURL(`${base}/admin/applications/${ids.onboarding}`),
      page.click(`a[href="/admin/applications/${ids.onboarding}"]`),
    ]);
    expect(await page.textContent('main')).toContain('מאיה רון');
    await context.close();
  }, 90_000);
});
