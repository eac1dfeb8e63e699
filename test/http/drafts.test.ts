import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noCards, noSlack } from '../../integrations/noop.ts';
import { maintenanceProcessor } from '../../src/jobs/maintenance.ts';
import type { MailPort } from '../../src/ports.ts';
import type { PipelineContext } from '../../src/usecases/context.ts';
import { accessibilityCsv, applicationsCsv } from '../../src/usecases/csv.ts';
import { eraseApplication, erasePerson, exportPerson } from '../../src/usecases/privacy.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { buildTestApp, ORIGIN, type TestApp, validForm } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';
import { decodeWords, parseMime, partOf } from '../helpers/mime.ts';
import { outboxRunner } from '../helpers/outbox.ts';

// "Save and continue later": the form is kept on the server under its address and cohort, a signed link goes
// to that address by e-mail (read back as a mail client would, from the file outbox), and the link opens the
// form again, in the language it was saved in, anywhere. Each database the service runs on.

const COHORT = 'leading-team-2027';
const CANARY = 'קנרית-טיוטה-7f3a';

for (const backend of backends) {
  describe(`drafts (${backend.name})`, () => {
    let database: Awaited<ReturnType<typeof backend.open>>;
    let t: TestApp;
    let outboxDir: string;
    let mail: MailPort;
    let runner: ReturnType<typeof outboxRunner>;
    let ctx: PipelineContext;

    beforeAll(async () => {
      database = await backend.open();
    });
    afterAll(() => database.close());

    beforeEach(async () => {
      await database.db.deleteFrom('drafts').execute();
      await database.db.deleteFrom('outbox').execute();
      await database.db.deleteFrom('link_mails').execute();
      outboxDir = await mkdtemp(join(tmpdir(), 'kehila-drafts-'));
      mail = createMailer({ from: 'muni:STEM <no-reply@example.org>', outboxDir });
      t = await buildTestApp({ database, drafts: { poke: () => runner.poke() } });
      ctx = {
        db: database.db,
        workflows: loadWorkflows(),
        clock: t.clock.now,
        publicUrl: ORIGIN,
        logger: { info: () => {}, warn: () => {}, error: () => {} },
        mail,
        calendar: noCalendar,
        slack: noSlack,
        cards: noCards,
        poke: () => runner.poke(),
      };
      runner = outboxRunner(database.db, { maintenance: maintenanceProcessor(ctx) });
    });
    afterEach(async () => {
      await t.close();
      await database.db
        .deleteFrom('applications')
        .execute()
        .catch(() => {});
      await rm(outboxDir, { recursive: true, force: true });
    });

    /** Opens the form in a language, waits like a person, and sends it with the save button. */
    const save = async (fields: Record<string, string | string[]>, lang = 'he', headers = {}) => {
      const page = await (await t.app.request(`/apply/${COHORT}?lang=${lang}`)).text();
      const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
      t.clock.advance(5000);
      const form = new URLSearchParams({ formToken: token, lang, intent: 'save' });
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
      const res = await t.app.request(`/apply/${COHORT}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
        body: form.toString(),
      });
      await runner.settled();
      return res;
    };

    const mails = async () => {
      const names = (await readdir(outboxDir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
      return Promise.all(
        names.sort().map(async (n) => parseMime(await readFile(join(outboxDir, n), 'utf8'))),
      );
    };

    /** The resume link in a message's plain-text part: the address on a line of its own. */
    const linkIn = (message: Awaited<ReturnType<typeof mails>>[number]) => {
      const text = partOf(message, 'text/plain')?.body ?? '';
      const url = text.split('\n').find((l) => l.startsWith(`${ORIGIN}/apply/${COHORT}/resume?token=`));
      if (!url) throw new Error(`no link in ${text}`);
      return url.slice(ORIGIN.length);
    };

    const draftRows = () => database.db.selectFrom('drafts').selectAll().execute();

    it('saves with only an address, mails a signed link in the language, and says so without the link', async () => {
      const res = await save(
        { email: 'Salma@Example.org', fullName: 'سلمى <b>خطيب</b>', topics: ['data'] },
        'ar',
      );
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/apply/${COHORT}/saved`);
      const rows = await draftRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ cohort: COHORT, email: 'salma@example.org', language: 'ar' });
      expect(rows[0]?.answers).toMatchObject({ fullName: 'سلمى <b>خطيب</b>', topics: ['data'] });
      const expires = new Date(rows[0]?.expires_at ?? 0).getTime() - t.clock.now().getTime();
      expect(expires).toBe(30 * 86_400_000);

      const [message, ...more] = await mails();
      expect(more).toHaveLength(0);
      if (!message) throw new Error('no mail');
      expect(message.headers.get('content-language')).toBe('ar');
      expect(message.headers.get('to')).toContain('salma@example.org');
      expect(decodeWords(message.headers.get('subject') ?? '')).toContain('متابعة تعبئة الطلب');
      const html = partOf(message, 'text/html')?.body ?? '';
      expect(html).toContain('<html lang="ar" dir="rtl">');
      expect(html).toContain('&lt;b&gt;');
      expect(html).not.toContain('<b>خطيب</b>');
      expect(linkIn(message)).toMatch(/token=/);

      const saved = await t.app.request(res.headers.get('location') ?? '', {
        headers: { cookie: 'lang=ar' },
      });
      expect(saved.status).toBe(200);
      const page = await saved.text();
      expect(page).toContain('تم حفظ النموذج');
      expect(page).not.toContain('token=');
      expect(page).not.toContain('salma@example.org');
    });

    it('opens the saved answers from the link, escaped, in the language saved in, for anyone holding it', async () => {
      await save(
        {
          email: 'noa@example.org',
          fullName: '"><script>alert(1)</script>',
          motivation: 'לחבר בין בתי הספר בנגב',
          topics: ['data', 'not-a-topic'],
          confirmedMeetings: ['opening-day'],
          sector: 'local-authority',
        },
        'en',
      );
      const [message] = await mails();
      if (!message) throw new Error('no mail');
      // No cookie, another address: a new browser.
      const res = await t.app.request(linkIn(message), { headers: { 'x-test-ip': '198.51.100.7' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('<html lang="en" dir="ltr">');
      expect(html).toContain('We have restored the form you saved.');
      expect(html).toContain('value="noa@example.org"');
      expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain('>לחבר בין בתי הספר בנגב</textarea>');
      expect(html).toMatch(/value="data" checked/);
      expect(html).not.toContain('not-a-topic');
      expect(html).toMatch(/value="opening-day" checked/);
      expect(html).toMatch(/<option value="local-authority" selected/);
      expect(html).toContain('data-restored="true"');
      // Consent is given when the application is sent, never carried over.
      expect(html).not.toMatch(/id="consent"[^>]*checked/);
    });

    it('updates the one draft on every save and mails the address at most once in ten minutes', async () => {
      await save({ email: 'noa@example.org', fullName: 'נועה' });
      await save({ email: 'noa@example.org', fullName: 'נועה כהן' });
      expect(await draftRows()).toHaveLength(1);
      expect((await draftRows())[0]?.answers.fullName).toBe('נועה כהן');
      expect(await mails()).toHaveLength(1);
      t.clock.advance(10 * 60_000);
      await save({ email: 'noa@example.org', fullName: 'נועה כהן-לוי' });
      const sent = await mails();
      expect(sent).toHaveLength(2);
      // Either link opens the latest save.
      const first = sent[0];
      if (!first) throw new Error('no mail');
      expect(await (await t.app.request(linkIn(first))).text()).toContain('value="נועה כהן-לוי"');
    });

    it('sends a form back without an address, with the field named, and stores nothing', async () => {
      const res = await save({ email: 'not-an-address', fullName: 'נועה' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('כדי לשמור את הטופס צריך כתובת דואר אלקטרוני תקינה');
      expect(html).toContain('כתובת הדואר האלקטרוני אינה תקינה.');
      expect(html).toContain('value="נועה"');
      expect(await draftRows()).toHaveLength(0);
      expect(await mails()).toHaveLength(0);
    });

    it('answers an expired link and an altered one with a page in the language, and no form', async () => {
      await save({ email: 'noa@example.org' });
      const [message] = await mails();
      if (!message) throw new Error('no mail');
      const link = linkIn(message);
      // One character of the signature changed.
      const altered = `${link.slice(0, -2)}${link.at(-2) === 'A' ? 'B' : 'A'}${link.at(-1)}`;
      expect(altered).not.toBe(link);
      const bad = await t.app.request(`${altered}&lang=ar`);
      expect(bad.status).toBe(400);
      const badHtml = await bad.text();
      expect(badHtml).toContain('الرابط غير صالح');
      expect(badHtml).not.toContain('name="formToken"');
      expect((await t.app.request('/apply/leading-team-2027/resume?token=nonsense')).status).toBe(400);

      t.clock.advance(30 * 86_400_000);
      const late = await t.app.request(link, { headers: { 'accept-language': 'en' } });
      expect(late.status).toBe(410);
      const lateHtml = await late.text();
      expect(lateHtml).toContain('This link has expired');
      expect(lateHtml).not.toContain('noa@example.org');
    });

    it('deletes the draft an application is sent from', async () => {
      await save({ email: 'noa@example.org', fullName: 'נועה' });
      expect(await draftRows()).toHaveLength(1);
      const page = await (await t.app.request(`/apply/${COHORT}`)).text();
      const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
      t.clock.advance(5000);
      const form = new URLSearchParams({ formToken: token });
      for (const [k, v] of Object.entries(validForm({ email: 'NOA@example.org' })))
        for (const x of [v].flat()) form.append(k, x);
      const res = await t.app.request(`/apply/${COHORT}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: form.toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/\/done\?ref=/);
      expect(await draftRows()).toHaveLength(0);
      const [message] = await mails();
      if (!message) throw new Error('no mail');
      expect((await t.app.request(linkIn(message))).status).toBe(410);
    });

    it('erases the drafts and their e-mails with the person, and never exports them', async () => {
      const canaryForm = { email: 'noa-erased@example.org', fullName: CANARY, accessibilityNeeds: CANARY };
      await save(canaryForm);
      const { submitApplication } = await import('../../src/usecases/submit-application.ts');
      const { intakeCoalescer } = await import('../../src/usecases/intake-coalescer.ts');
      const intake = intakeCoalescer({ db: database.db });
      const body = { ...validForm(), consent: true, email: 'noa-erased@example.org' };
      const submitted = await submitApplication(
        { db: database.db, workflows: ctx.workflows, clock: t.clock.now, intake },
        { cohortId: COHORT, body, source: 'api', clientIp: '203.0.113.1', flags: [] },
      );
      // A draft saved again after sending is theirs as well.
      t.clock.advance(11 * 60_000);
      await save(canaryForm);
      expect(await draftRows()).toHaveLength(1);
      expect(await mails()).toHaveLength(2);

      const workflows = ctx.workflows;
      const csv = await applicationsCsv(database.db, workflows);
      const needs = await accessibilityCsv(database.db, workflows);
      const access = await exportPerson(ctx, { email: 'noa-erased@example.org', actor: 'staff' });
      for (const out of [csv, needs, JSON.stringify(access)]) expect(String(out)).not.toContain(CANARY);

      const id = 'id' in submitted.body ? String(submitted.body.id) : '';
      const erased = await eraseApplication(ctx, { applicationId: id, actor: 'staff', reason: 'request' });
      expect(erased.kind).toBe('erased');
      expect(await draftRows()).toHaveLength(0);
      expect(await mails()).toHaveLength(0);

      // Someone who only ever saved a form is erased too.
      await save({ email: 'dana@example.org', fullName: CANARY });
      expect(await erasePerson(ctx, { email: 'Dana@example.org', actor: 'staff' })).toBe(0);
      expect(await draftRows()).toHaveLength(0);
      expect(await mails()).toHaveLength(0);
    });

    it('purges drafts past their 30 days in the nightly retention run, and keeps the others', async () => {
      await save({ email: 'old@example.org' });
      t.clock.advance(20 * 86_400_000);
      await save({ email: 'new@example.org' });
      t.clock.advance(10 * 86_400_000);
      const retention = maintenanceProcessor(ctx);
      await retention({
        queue: 'maintenance',
        id: 'retention',
        name: 'retention',
        data: {},
        attempt: 1,
        lastAttempt: true,
      });
      expect((await draftRows()).map((d) => d.email)).toEqual(['new@example.org']);
      expect(await mails()).toHaveLength(1);
    });

    it('keeps the form rules on saving: the honeypot, the fill time and the per-address limit', async () => {
      const trap = await save({ email: 'bot@example.org', website: 'http://spam.example' });
      expect(trap.status).toBe(303);
      expect(trap.headers.get('location')).toBe(`/apply/${COHORT}/done`);
      expect(await draftRows()).toHaveLength(0);

      const quick = new URLSearchParams({ formToken: 'forged', intent: 'save', email: 'a@example.org' });
      const res = await t.app.request(`/apply/${COHORT}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: quick.toString(),
      });
      expect(res.status).toBe(400);
      const cross = await t.app.request(`/apply/${COHORT}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
        body: quick.toString(),
      });
      expect(cross.status).toBe(403);
      expect(await draftRows()).toHaveLength(0);

      await t.close();
      t = await buildTestApp({ database, drafts: {}, emailLimit: { limit: 1, windowMs: 60_000 } });
      expect((await save({ email: 'noa@example.org' })).status).toBe(303);
      expect((await save({ email: 'noa@example.org' })).status).toBe(429);
    });
  });
}
