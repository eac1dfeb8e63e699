import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noCards, noSlack } from '../../integrations/noop.ts';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { maintenanceProcessor } from '../../src/jobs/maintenance.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { draftService } from '../../src/usecases/drafts.ts';
import { submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { parseMime, partOf } from '../helpers/mime.ts';
import { outboxRunner } from '../helpers/outbox.ts';

// A form saved in one browser is carried on in another: the link is taken from the e-mail the worker wrote
// to the file outbox, and opened in a fresh browser context with nothing of the first one's.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const KEY = 'kehila-draft:leading-team-2027';

let browser: Browser;
let server: ServerType;
let database: OpenedDatabase;
let outboxDir = '';
let base = '';
let runner: ReturnType<typeof outboxRunner>;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory' });
  outboxDir = await mkdtemp(join(tmpdir(), 'kehila-browser-drafts-'));
  const workflows = loadWorkflows();
  const clock = () => new Date();
  const limit = memoryRateLimiter({ limit: 1000, windowMs: 60_000 });
  const port = await new Promise<number>((resolve) => {
    server = serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => app.fetch(req) }, (info) =>
      resolve(info.port),
    );
  });
  base = `http://127.0.0.1:${port}`;
  const mail = createMailer({ from: 'muni:STEM <no-reply@example.org>', outboxDir });
  const logger = { info() {}, warn() {}, error() {} };
  const ctx = {
    db: database.db,
    workflows,
    clock,
    publicUrl: base,
    logger,
    mail,
    calendar: noCalendar,
    slack: noSlack,
    cards: noCards,
    poke: () => runner.poke(),
  };
  runner = outboxRunner(database.db, { maintenance: maintenanceProcessor(ctx) });
  const app = createApp({
    workflows,
    publicUrl: base,
    clock,
    formTokens: formTokens('browser-test-secret-long-enough'),
    limits: { ip: limit, email: limit },
    clientIp: () => '127.0.0.1',
    submit: (req) => submitApplication({ db: database.db, workflows, clock }, req),
    readiness: async () => ({ database: true }),
    logger,
    minFillMs: 300,
    drafts: draftService({ db: database.db, workflows, clock }, () => runner.poke()),
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
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
  await rm(outboxDir, { recursive: true, force: true });
});

/** axe-core with the WCAG 2.1 A/AA rules; the context bypasses CSP only so the test can inject axe. */
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

/** The resume link of the one e-mail in the outbox, as its plain-text part carries it. */
async function resumeLink(): Promise<string> {
  await runner.settled();
  const names = (await readdir(outboxDir)).filter((n) => n.endsWith('.eml'));
  expect(names).toHaveLength(1);
  const message = parseMime(await readFile(join(outboxDir, names[0] ?? ''), 'utf8'));
  const text = partOf(message, 'text/plain')?.body ?? '';
  const link = text.split('\n').find((l) => l.startsWith(`${base}/apply/leading-team-2027/resume?token=`));
  if (!link) throw new Error(`no link in ${text}`);
  return link;
}

describe('save and continue later, in Chromium', () => {
  it('restores the answers from the e-mailed link in a new browser context, over its own local copy', async () => {
    const first = await browser.newContext({ bypassCSP: true, locale: 'he-IL' });
    const page = await first.newPage();
    await page.goto(`${base}/apply/leading-team-2027`);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#fullName', 'נועה <כהן>');
    await page.fill('#email', 'resume@example.org');
    await page.fill('#motivation', 'להמשיך מחר מהמחשב בעבודה.');
    await page.check('#topics-ai');
    await page.selectOption('#region', 'south');
    await page.waitForTimeout(400);
    await Promise.all([page.waitForURL(/\/apply\/leading-team-2027\/saved$/), page.click('#save-draft')]);
    expect(await page.textContent('h1')).toBe('הטופס נשמר');
    expect(await page.content()).not.toContain('token=');
    expect(await axeViolations(page)).toEqual([]);
    const link = await resumeLink();
    await first.close();

    // Another browser, in English, with a half-filled form of its own kept locally.
    const second = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
    const other = await second.newPage();
    await other.goto(`${base}/apply/leading-team-2027`);
    await other.fill('#fullName', 'Someone else typed here');
    await other.goto(link);
    expect(await other.getAttribute('html', 'lang')).toBe('he');
    expect(await other.inputValue('#fullName')).toBe('נועה <כהן>');
    expect(await other.inputValue('#email')).toBe('resume@example.org');
    expect(await other.inputValue('#motivation')).toBe('להמשיך מחר מהמחשב בעבודה.');
    expect(await other.inputValue('#region')).toBe('south');
    expect(await other.isChecked('#topics-ai')).toBe(true);
    expect(await other.isChecked('#consent')).toBe(false);
    expect(await other.isVisible('#draft-note')).toBe(false);
    expect(await axeViolations(other)).toEqual([]);
    // The restored draft is this browser's copy now.
    const local = await other.evaluate((key) => localStorage.getItem(key), KEY);
    expect(JSON.parse(local ?? '{}')).toMatchObject({ fullName: 'נועה <כהן>', topics: ['ai'] });
    await other.goto(`${base}/apply/leading-team-2027`);
    expect(await other.inputValue('#fullName')).toBe('נועה <כהן>');
    await second.close();
  }, 90_000);
});
