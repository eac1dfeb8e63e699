import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { issueSignInLink } from '../../src/usecases/staff-sessions.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type OidcFake, startOidcFake } from '../fakes/oidc.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { validBody } from '../helpers/app.ts';
import { eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';

const COHORT = 'leading-team-2027';
const SLACK_USER_ID = 'https://slack.com/user_id';
const DANA = { name: 'דנה כהן', slackId: 'UDANA0001', email: 'dana@example.org' };
const AVI = { name: 'אבי לוי', slackId: 'UAVI00001', email: 'avi@example.org' };
const SETTINGS = {
  ...reviewSettings({ reviewers: [DANA, AVI], approvalsToAccept: 2 }),
  staff: [{ name: 'רונית מהתיאום', email: 'coord@example.org', roles: ['coordinator'] }],
};
const APPLICANT = 'journey-applicant@example.org';
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A port free now, so the sign-in provider can be told the callback before the service listens on it. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let browser: Browser;
let service: RunningService;
let slack: SlackFake;
let idp: OidcFake;
let dir: string;
let base = '';
let id = '';

const step = async (name: string) =>
  (
    await service.database.db
      .selectFrom('steps')
      .select('status')
      .where('application_id', '=', id)
      .where('step', '=', name)
      .executeTakeFirst()
  )?.status;
const status = async () =>
  (
    await service.database.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst()
  )?.status;

/** axe's WCAG 2.1 AA violations on the page, and what makes it scroll sideways at the phone's width. */
async function check(page: Page) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await (
      window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string }[] }> } }
    ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => v.id);
  });
  // Whatever sticks out past either edge of the screen, named, so a failure says what to fix.
  const sideways = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Something placed off-screen on purpose (the skip link until it has focus) scrolls nothing.
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.left < 0 || r.right > width);
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? '').trim().slice(0, 40)}`);
  });
  return { url: new URL(page.url()).pathname, violations, sideways };
}
const clean = (url: string) => ({ url, violations: [], sideways: [] });

const phone = () =>
  browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 }, locale: 'he-IL' });

/** A reviewer opens the application's link, is sent to sign in, and signs in with Slack as themselves. */
async function reviewerSignsIn(context: BrowserContext, who: typeof DANA) {
  const page = await context.newPage();
  await page.goto(`${base}/admin/applications/${id}`);
  expect(new URL(page.url()).pathname).toBe('/admin/login');
  expect(await check(page)).toEqual(clean('/admin/login'));
  idp.nextAccount(who.slackId, {
    [SLACK_USER_ID]: who.slackId,
    name: who.name,
    email: who.email,
    email_verified: true,
  });
  await Promise.all([
    page.waitForURL(`${base}/admin/applications/${id}`),
    page.getByRole('link', { name: 'Slack' }).click(),
  ]);
  return page;
}

async function votesFor(page: Page, who: typeof DANA) {
  expect(await check(page)).toEqual(clean(`/admin/applications/${id}`));
  await page.getByLabel(`ההצבעה שלי (${who.name})`).selectOption('approve');
  await page.getByLabel('הערה (לא חובה)').fill(`מתאימה לצוות — ${who.name}`);
  await Promise.all([
    page.waitForURL(/done=1/),
    page.getByRole('button', { name: 'הצבעה', exact: true }).click(),
  ]);
  expect(await page.getByRole('status').textContent()).toContain('הפעולה בוצעה');
  expect(await check(page)).toEqual(clean(`/admin/applications/${id}`));
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  slack = await startSlackFake();
  slack.users.set(APPLICANT, 'UAPPLIC01');
  idp = await startOidcFake({
    clientId: 'slack-client',
    clientSecret: 'slack-secret-0123456789abcdef',
    redirectUri: `${base}/admin/signin/slack/callback`,
    extraClaims: [SLACK_USER_ID],
  });
  dir = await mkdtemp(join(tmpdir(), 'kehila-journey-'));
  service = await startService({
    config: parseConfig({
      PORT: String(port),
      PUBLIC_URL: base,
      DATA_DIR: dir,
      REDIS_URL: TEST_REDIS_URL,
      SLACK_BOT_TOKEN: 'xoxb-journey-test',
      SLACK_SIGNING_SECRET: 'journey-signing-secret-0123456789',
      SLACK_API_URL: slack.url,
      SLACK_CLIENT_ID: 'slack-client',
      SLACK_CLIENT_SECRET: 'slack-secret-0123456789abcdef',
      SLACK_OIDC_ISSUER: idp.issuer,
      SIGNIN_ATTEMPTS_PER_ADDRESS: '1000',
    }),
    logger: pino({ level: 'silent' }),
    settings: SETTINGS,
    role: 'all',
    overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('jny'), allowInsecureSignIn: true },
  });
  const workflows = loadWorkflows(SETTINGS);
  id = createdBody(
    await submitApplication(
      { db: service.database.db, workflows, clock: () => new Date() },
      {
        cohortId: COHORT,
        source: 'api',
        body: validBody({ fullName: 'שירה אבו-חצירא', email: APPLICANT, accessibilityNeeds: 'לולאת השראה' }),
      },
    ),
  ).id;
  service.pipeline.relay.poke();
  await eventually(status, (s) => s === 'in_review');
  await eventually(
    async () => slack.messages.filter((m) => m.channel === 'CREVIEW01').length,
    (n) => n === 1,
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
}, 90_000);

afterAll(async () => {
  await browser?.close();
  for (const q of Object.values(service?.pipeline.queues.queues ?? {}))
    await q.obliterate({ force: true }).catch(() => {});
  await service?.stop();
  await slack?.close();
  await idp?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the staff journey in Chromium, at a phone’s width', () => {
  it('two reviewers sign in with Slack and vote; the second vote decides, and the card and the timeline name both', async () => {
    const first = await phone();
    await votesFor(await reviewerSignsIn(first, DANA), DANA);
    expect(await status()).toBe('in_review');
    await first.close();

    // The cohort's channels refuse the first invitation for good, so onboarding has a failed step to retry.
    slack.fail('conversations.invite', 1, { error: 'missing_scope' });
    const second = await phone();
    const page = await reviewerSignsIn(second, AVI);
    await votesFor(page, AVI);
    expect(['accepted', 'onboarding', 'onboarded']).toContain(await status());
    const timeline = (await page.locator('#timeline + ol').textContent()) ?? '';
    expect(timeline).toContain(`נרשמה הצבעה (צוות המיון: ${DANA.name})`);
    expect(timeline).toContain(`נרשמה הצבעה (צוות המיון: ${AVI.name})`);
    expect(timeline).toContain('החלטה: הבקשה התקבלה');
    await second.close();

    const card = await eventually(
      async () => JSON.stringify(slack.messages.find((m) => m.channel === 'CREVIEW01')?.blocks ?? []),
      (blocks) => blocks.includes('🔒'),
    );
    expect(card).toContain(`${DANA.name}: *בעד*`);
    expect(card).toContain(`${AVI.name}: *בעד*`);
    expect(card).toContain('🔒');
  }, 120_000);

  it('a coordinator finds the member on the cohort page, retries the failed step, and withdraws them with the confirmation', async () => {
    expect(
      await eventually(
        () => step('slack'),
        (s) => s === 'failed',
      ),
    ).toBe('failed');
    const context = await phone();
    const page = await context.newPage();
    const token = await issueSignInLink(
      { db: service.database.db, clock: () => new Date() },
      'email:coord@example.org',
    );
    await Promise.all([
      page.waitForURL(`${base}/admin`),
      page.goto(`${base}/admin/signin/link?token=${token}`),
    ]);

    await Promise.all([
      page.waitForURL(`${base}/admin/cohorts`),
      page.getByRole('link', { name: 'מחזורים' }).click(),
    ]);
    expect(await check(page)).toEqual(clean('/admin/cohorts'));
    await Promise.all([
      page.waitForURL(`${base}/admin/cohorts/${COHORT}`),
      page.locator(`a[href="/admin/cohorts/${COHORT}"]`).click(),
    ]);
    expect(await check(page)).toEqual(clean(`/admin/cohorts/${COHORT}`));
    expect(await page.textContent('main')).toContain('לולאת השראה');
    await Promise.all([
      page.waitForURL(`${base}/admin/applications/${id}`),
      page.locator(`a[href="/admin/applications/${id}"]`).first().click(),
    ]);
    expect(await check(page)).toEqual(clean(`/admin/applications/${id}`));

    await Promise.all([
      page.waitForURL(/done=1/),
      page.getByRole('button', { name: 'ניסיון חוזר: ערוצי Slack' }).click(),
    ]);
    expect(
      await eventually(
        () => step('slack'),
        (s) => s === 'done',
      ),
    ).toBe('done');
    expect(await eventually(status, (s) => s === 'onboarded')).toBe('onboarded');
    for (const c of ['CCOHORT01', 'CCOHORT02', 'CCOHORT03'])
      expect(slack.members.get(c)).toContain('UAPPLIC01');
    await page.reload();
    expect(await check(page)).toEqual(clean(`/admin/applications/${id}`));

    // Unconfirmed, the browser keeps the form from being sent.
    await page.getByLabel('סיבת הביטול (לתיעוד פנימי, לא נשלחת לפונה)').fill('עברה לתפקיד אחר');
    await page.getByRole('button', { name: 'ביטול השתתפות' }).click();
    expect(await status()).toBe('onboarded');
    await page.getByLabel('כן, לבטל את ההשתתפות. הפעולה אינה הפיכה.').check();
    await Promise.all([
      page.waitForURL(/done=1/),
      page.getByRole('button', { name: 'ביטול השתתפות' }).click(),
    ]);
    expect(await status()).toBe('withdrawn');
    expect(await page.locator('h1').textContent()).toContain('בוטלה');
    expect(await check(page)).toEqual(clean(`/admin/applications/${id}`));
    expect(
      await eventually(
        async () =>
          ['CCOHORT01', 'CCOHORT02', 'CCOHORT03'].filter((c) => slack.members.get(c)?.has('UAPPLIC01'))
            .length,
        (n) => n === 0,
      ),
    ).toBe(0);
    await context.close();
  }, 120_000);
});
