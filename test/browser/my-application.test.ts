import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicantPages } from '../../src/applicant-pages.ts';
import { signLink } from '../../src/domain/signed-link.ts';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { MY_TEXTS } from '../../src/pages/i18n/my-application.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SECRET = 'browser-link-secret-long-enough-0123';

let browser: Browser;
let server: ServerType;
let database: OpenedDatabase;
let base = '';
const workflows = loadWorkflows();

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory' });
  const limit = memoryRateLimiter({ limit: 1000, windowMs: 60_000 });
  const port = await new Promise<number>((resolve) => {
    server = serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => app.fetch(req) }, (info) =>
      resolve(info.port),
    );
  });
  base = `http://127.0.0.1:${port}`;
  const clock = () => new Date();
  const app = createApp({
    workflows,
    publicUrl: base,
    clock,
    formTokens: formTokens('browser-test-secret-long-enough'),
    limits: { ip: limit, email: limit },
    clientIp: () => '127.0.0.1',
    submit: (req) => submitApplication({ db: database.db, workflows, clock }, req),
    readiness: async () => ({ database: true }),
    logger: { info() {}, warn() {}, error() {} },
    applicant: applicantPages({ db: database.db, workflows, clock }, SECRET),
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  await database?.close();
});

async function axeViolations(page: Page): Promise<{ id: string; nodes: unknown[] }[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
      }
    ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      nodes: v.nodes.map((n) => (n as { html: string }).html),
    }));
  });
}

/** A stored application in the language, and the path its link opens. */
async function applied(lang: 'he' | 'ar' | 'en', email: string) {
  const body = createdBody(
    await submitApplication(
      { db: database.db, workflows, clock: () => new Date() },
      { cohortId: 'leading-team-2027', source: 'api', body: validBody({ email, language: lang }) },
    ),
  );
  const token = await signLink(SECRET, 'my-application', body.id, new Date(Date.now() + 86_400_000));
  return { id: body.id, path: `/apply/my/${token}` };
}

/** Tabs forward until the element with this id has the focus. */
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
  }
  throw new Error(`never reached #${id} by Tab`);
}

describe('the applicant’s page in a browser', () => {
  for (const lang of ['he', 'ar', 'en'] as const) {
    it(`has no axe violations in ${lang}, nor its withdrawal step and "send me my link"`, async () => {
      const { path } = await applied(lang, `axe-${lang}@example.org`);
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      for (const url of [path, `${path}/withdraw`, `/apply/my?lang=${lang}`]) {
        await page.goto(`${base}${url}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await axeViolations(page), `${lang} ${url}`).toEqual([]);
      }
      await context.close();
    }, 60_000);
  }

  it('withdraws by keyboard alone, after the confirmation step', async () => {
    const { id, path } = await applied('he', 'keyboard@example.org');
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    await tabTo(page, 'withdraw-start');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/withdraw/);
    expect(await page.textContent('h1')).toContain(MY_TEXTS.he.withdrawConfirmTitle);
    await tabTo(page, 'withdraw-confirm');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=withdrawn/);
    expect(await page.textContent('[role=status]')).toContain(MY_TEXTS.he.withdrawn);
    const row = await database.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('withdrawn');
    await context.close();
  }, 60_000);
});
