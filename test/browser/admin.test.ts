import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { issueSignInLink } from '../../src/usecases/staff-sessions.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';

const TOKEN = 'admin-token-for-browser-0123456789';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let service: RunningService;
let dir: string;
let id = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehila-admin-ui-'));
  service = await startService({
    config: parseConfig({
      PORT: '0',
      DATA_DIR: dir,
      REDIS_URL: TEST_REDIS_URL,
      ADMIN_TOKEN: TOKEN,
      PUBLIC_URL: 'http://127.0.0.1:1',
    }),
    logger: pino({ level: 'silent' }),
    settings: reviewSettings(),
    role: 'web',
    overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('ui') },
  });
  const workflows = loadWorkflows(reviewSettings());
  id = createdBody(
    await submitApplication(
      { db: service.database.db, workflows, clock: () => new Date() },
      {
        cohortId: 'leading-team-2027',
        source: 'api',
        body: validBody({ accessibilityNeeds: 'כיסא גלגלים' }),
      },
    ),
  ).id;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
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

/** Opens a one-time sign-in link, as a newcomer does with the one printed on the console. */
async function signIn(page: import('playwright-core').Page, base: string) {
  const token = await issueSignInLink({ db: service.database.db, clock: () => new Date() }, 'console');
  await Promise.all([
    page.waitForURL(`${base}/admin`),
    page.goto(`${base}/admin/signin/link?token=${token}`),
  ]);
}

describe('the dashboard in Chromium', () => {
  it('signs in and passes axe (WCAG 2.1 AA) on the sign-in page, the board and the application page', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const base = `http://127.0.0.1:${service.port}`;
    await page.goto(`${base}/admin`);
    expect(page.url()).toContain('/admin/login');
    const violations = async () => {
      await page.addScriptTag({ content: axeSource });
      return page.evaluate(async () => {
        const r = await (
          window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }
        ).axe.run({
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        return r.violations.map((v) => v.id);
      });
    };
    expect(await violations()).toEqual([]);
    await signIn(page, base);
    expect(await violations()).toEqual([]);
    await page.click(`a[href="/admin/applications/${id}"]`);
    await page.waitForSelector('h1');
    expect(await page.textContent('main')).toContain('כיסא גלגלים');
    expect(await violations()).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the queues in bull-board under its own CSP, after the same login', async () => {
    // No bypassCSP here: the board must run under the policy it is served with.
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    const base = `http://127.0.0.1:${service.port}`;
    await page.goto(`${base}/admin/queues`);
    expect(page.url()).toContain('/admin/login?next=%2Fadmin%2Fqueues');
    await signIn(page, base);
    await page.goto(`${base}/admin/queues`);
    await page.getByText('intake', { exact: true }).first().waitFor({ timeout: 15_000 });
    expect(await page.textContent('body')).toContain('steps');
    expect(refused.filter((m) => /script/i.test(m))).toEqual([]);
    await context.close();
  }, 60_000);
});
