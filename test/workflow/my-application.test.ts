import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '../../src/domain/signed-link.ts';
import { formTokens } from '../../src/http/form-token.ts';
import { LINK_TEXTS } from '../../src/mail/link-texts.ts';
import { MY_TEXTS } from '../../src/pages/i18n/my-application.ts';
import { castVote } from '../../src/usecases/review.ts';
import { submitApplication } from '../../src/usecases/submit-application.ts';
import { type SmtpFake, startSmtpFake } from '../fakes/smtp.ts';
import { FORM_SECRET, validBody } from '../helpers/app.ts';
import { backends, eventually } from '../helpers/backends.ts';
import { partOf } from '../helpers/mime.ts';
import { LINK_SECRET, myApplicationHarness } from './my-application-harness.ts';

const DAY = 86_400_000;
const NAMES = { he: 'נועה כהן', ar: 'سلمى خطيب', en: 'Sam <b>Green</b>' } as const;

// Each test starts the pipeline on a fresh database; on a loaded machine PGlite's start alone takes a while.
const SLOW = 120_000;

describe.each(backends)('the applicant’s own page, by link, on $name', (backend) => {
  let smtp: SmtpFake;
  beforeAll(async () => {
    smtp = await startSmtpFake();
  });
  afterAll(() => smtp.close());
  const start = myApplicationHarness(backend, () => smtp);

  it(
    'is linked from the received e-mail in each language; opening it shows the status and confirms the address once',
    async () => {
      const h = await start();
      for (const lang of ['he', 'ar', 'en'] as const) {
        const { id, received, link } = await h.applied({
          fullName: NAMES[lang],
          email: `${lang}-${h.t.prefix}@example.org`,
          language: lang,
        });
        const text = partOf(received, 'text/plain')?.body ?? '';
        const html = partOf(received, 'text/html')?.body ?? '';
        expect(text).toContain(LINK_TEXTS[lang].inReceived);
        expect(link).toMatch(/^\/apply\/my\/[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]+$/);
        expect(html).toContain(`<a href="http://localhost:3000${link}" dir="ltr">`);
        expect(h.cardOf(id)?.emailConfirmed).toBe(false);

        const page = await h.app.request(link);
        expect(page.status).toBe(200);
        expect(page.headers.get('cache-control')).toBe('no-store');
        const body = await page.text();
        expect(body).toContain(`<html lang="${lang}" dir="${lang === 'en' ? 'ltr' : 'rtl'}">`);
        expect(body).toContain(MY_TEXTS[lang].status.in_review.now);
        expect(body).toContain(MY_TEXTS[lang].status.in_review.next);
        expect(body).toContain(MY_TEXTS[lang].emailConfirmed);
        // The name the person typed is text on the page, never markup.
        if (lang === 'en') expect(body).toContain('Sam &lt;b&gt;Green&lt;/b&gt;');
        // Another language by choice, and a second opening: confirmed once.
        const other = await h.app.request(`${link}?lang=${lang === 'en' ? 'he' : 'en'}`);
        expect(other.status).toBe(200);
        const row = await h.t.db
          .selectFrom('applications')
          .select('email_confirmed_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        expect(row.email_confirmed_at).not.toBeNull();
        const confirmed = (await h.t.events(id)).filter((e) => e.type === 'email_confirmed');
        expect(confirmed).toEqual([{ type: 'email_confirmed', actor: 'applicant', data: {} }]);
        await eventually(
          async () => h.cardOf(id)?.emailConfirmed,
          (v) => v === true,
        );
      }
    },
    SLOW,
  );

  it(
    'refuses an expired, a tampered, another purpose’s and a form token’s link with a page offering a new one',
    async () => {
      const h = await start();
      const { id, link } = await h.applied();
      const expiredAt = new Date(Date.now() - 1000);
      const cases: [string, number, string][] = [
        // The signature's first character, not its last: base64url's last character carries padding bits,
        // and changing only those leaves the same bytes.
        [
          link.replace(/\.([^.])([^.]*)$/, (_, c, rest) => `.${c === 'A' ? 'B' : 'A'}${rest}`),
          403,
          MY_TEXTS.he.invalidTitle,
        ],
        [
          `/apply/my/${await signLink(LINK_SECRET, 'draft', id, new Date(Date.now() + DAY))}`,
          403,
          MY_TEXTS.he.invalidTitle,
        ],
        [`/apply/my/${await formTokens(FORM_SECRET).issue(id, Date.now())}`, 403, MY_TEXTS.he.invalidTitle],
        [
          `/apply/my/${await signLink(LINK_SECRET, 'my-application', id, expiredAt)}`,
          410,
          MY_TEXTS.he.expiredTitle,
        ],
      ];
      for (const [path, status, title] of cases) {
        const res = await h.app.request(path, { headers: { 'accept-language': 'he' } });
        expect(res.status, path).toBe(status);
        const body = await res.text();
        expect(body).toContain(title);
        expect(body).toContain('action="/apply/my"');
      }
      // The same link, thirty days on (the clock moved): expired, in English when asked.
      h.skew(30 * DAY + 1000);
      const late = await h.app.request(`${link}?lang=en`);
      expect(late.status).toBe(410);
      expect(await late.text()).toContain(MY_TEXTS.en.expiredTitle);
      const row = await h.t.db
        .selectFrom('applications')
        .select('email_confirmed_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.email_confirmed_at).toBeNull();
    },
    SLOW,
  );

  it(
    'withdraws through the link after a confirmation step, with the applicant as actor',
    async () => {
      const h = await start();
      const { id, link } = await h.applied();
      const page = await (await h.app.request(link)).text();
      expect(page).toContain(`href="${link}/withdraw?lang=he"`);
      const confirm = await h.app.request(`${link}/withdraw`);
      const confirmHtml = await confirm.text();
      expect(confirmHtml).toContain(MY_TEXTS.he.withdrawConfirmBody);
      // Without the confirmation, or from another site, nothing happens.
      expect((await h.post(`${link}/withdraw`, { formToken: h.tokenOf(confirmHtml) })).status).toBe(400);
      expect(
        (
          await h.post(
            `${link}/withdraw`,
            { formToken: h.tokenOf(confirmHtml), confirm: 'yes' },
            'https://evil.example',
          )
        ).status,
      ).toBe(403);
      expect(await h.t.status(id)).toBe('in_review');
      const fresh = h.tokenOf(await (await h.app.request(`${link}/withdraw`)).text());
      const done = await h.post(`${link}/withdraw`, { formToken: fresh, confirm: 'yes', lang: 'he' });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe(`${link}?lang=he&done=withdrawn`);
      expect(await h.t.status(id)).toBe('withdrawn');
      expect(
        (await h.t.events(id)).find((e) => e.type === 'withdrawn' || e.type === 'status_withdrawn')?.actor,
      ).toBe('applicant');
      const after = await (await h.app.request(`${link}?done=withdrawn`)).text();
      expect(after).toContain(MY_TEXTS.he.withdrawn);
      expect(after).toContain(MY_TEXTS.he.status.withdrawn.now);
      expect(after).not.toContain('id="withdraw-start"');
      await h.mailOf(`withdrawn-${id}`);
    },
    SLOW,
  );

  it(
    'shows a repeat submission’s answers on the owner’s page, applies them from there, and sets the next aside',
    async () => {
      const h = await start();
      const email = `again-${h.t.prefix}@example.org`;
      const { id, link } = await h.applied({ email, fullName: 'נועה כהן' });
      const again = (fullName: string, organisation: string) =>
        submitApplication(
          { db: h.t.db, workflows: h.t.workflows, clock: () => new Date() },
          {
            cohortId: 'leading-team-2027',
            source: 'api',
            body: validBody({ email, fullName, organisation }),
          },
        );
      const repeat = await again('נועה כהן-לוי', 'מועצה אזורית רמת נגב');
      expect(repeat).toMatchObject({ httpStatus: 200, body: { status: 'received' } });

      const page = await (await h.app.request(link)).text();
      expect(page).toContain('נועה כהן-לוי');
      expect(page).toContain(`action="${link}/proposal"`);
      const applied = await h.post(`${link}/proposal`, { action: 'apply', formToken: h.tokenOf(page) });
      expect(applied.status).toBe(303);
      expect(applied.headers.get('location')).toContain('done=proposalApplied');
      const row = await h.t.db
        .selectFrom('applications')
        .select(['full_name', 'organisation'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ full_name: 'נועה כהן-לוי', organisation: 'מועצה אזורית רמת נגב' });
      const after = await (await h.app.request(`${link}?done=proposalApplied`)).text();
      expect(after).toContain(MY_TEXTS.he.proposalApplied);
      expect(after).not.toContain(`action="${link}/proposal"`);
      await eventually(
        async () => h.cardOf(id)?.organisation,
        (o) => o === 'מועצה אזורית רמת נגב',
      );

      // The next repeat is discarded from the page: the application stays as it is.
      await again('שם אחר', 'עיריית דימונה');
      const next = await (await h.app.request(link)).text();
      const discarded = await h.post(`${link}/proposal`, { action: 'discard', formToken: h.tokenOf(next) });
      expect(discarded.headers.get('location')).toContain('done=proposalDiscarded');
      expect(
        (
          await h.t.db
            .selectFrom('applications')
            .select('full_name')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).full_name,
      ).toBe('נועה כהן-לוי');
      // An action the page does not offer is refused, and a spent token changes nothing.
      expect((await h.post(`${link}/proposal`, { action: 'both', formToken: h.tokenOf(next) })).status).toBe(
        400,
      );
    },
    SLOW,
  );

  it(
    'applies a correction before the first vote (timeline, card) and sends one after it to staff as a note',
    async () => {
      const h = await start();
      const { id, link } = await h.applied();
      const form = async () => h.tokenOf(await (await h.app.request(link)).text());
      const { phone } = await h.t.db
        .selectFrom('applications')
        .select('phone')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const fields = (organisation: string) => ({
        fullName: 'מועמדת מתוקנת',
        phone: phone ?? '',
        organisation,
        roleTitle: 'מנהלת חינוך',
        sector: 'local-authority',
        region: 'south',
        motivation: 'רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
        topics: ['data'],
        confirmedMeetings: ['opening-day', 'online-1', 'online-2', 'online-3', 'closing-day'],
        lang: 'he',
      });
      // A field's problem comes back in the applicant's language, and nothing is stored.
      const bad = await h.post(`${link}/correct`, { ...fields(''), formToken: await form() });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain(MY_TEXTS.he.correctErrors);
      const ok = await h.post(`${link}/correct`, {
        ...fields('מועצה אזורית רמת נגב'),
        formToken: await form(),
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toContain('done=corrected');
      const row = await h.t.db
        .selectFrom('applications')
        .select(['organisation', 'full_name'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ organisation: 'מועצה אזורית רמת נגב', full_name: 'מועמדת מתוקנת' });
      const corrected = (await h.t.events(id)).find((e) => e.type === 'corrected_by_applicant');
      expect(corrected?.actor).toBe('applicant');
      expect([...((corrected?.data as { fields?: string[] } | undefined)?.fields ?? [])].sort()).toEqual([
        'fullName',
        'organisation',
      ]);
      await eventually(
        async () => h.cardOf(id)?.organisation,
        (o) => o === 'מועצה אזורית רמת נגב',
      );
      // A token is good for one post.
      const token = await form();
      await h.post(`${link}/correct`, { ...fields('ארגון א'), formToken: token });
      expect((await h.post(`${link}/correct`, { ...fields('ארגון ב'), formToken: token })).status).toBe(400);

      await castVote(h.t.reviewCtx, {
        applicationId: id,
        reviewer: { slackId: 'UDANA0001' },
        vote: 'approve',
      });
      const page = await (await h.app.request(link)).text();
      expect(page).toContain(MY_TEXTS.he.correctNote);
      const noted = await h.post(`${link}/correct`, {
        ...fields('עיריית דימונה'),
        formToken: h.tokenOf(page),
      });
      expect(noted.headers.get('location')).toContain('done=noted');
      const still = await h.t.db
        .selectFrom('applications')
        .select('organisation')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(still.organisation).toBe('ארגון א');
      const note = (await h.t.events(id)).find((e) => e.type === 'applicant_note');
      expect(note).toMatchObject({
        actor: 'applicant',
        data: { fields: ['organisation'], proposed: { organisation: 'עיריית דימונה' } },
      });
    },
    SLOW,
  );

  it(
    '"send me my link" answers the same for a known and an unknown address, and mails at most once in ten minutes',
    async () => {
      const h = await start();
      const email = `known-${h.t.prefix}@example.org`;
      const { id } = await h.applied({ email, language: 'ar' });
      const ask = async (address: string) => {
        const form = await (await h.app.request('/apply/my?lang=ar')).text();
        const res = await h.post('/apply/my', { email: address, lang: 'ar', formToken: h.tokenOf(form) });
        return { status: res.status, body: await res.text() };
      };
      const known = await ask(email.toUpperCase());
      const unknown = await ask(`nobody-${h.t.prefix}@example.org`);
      expect(known.status).toBe(200);
      expect(known).toEqual(unknown);
      expect(known.body).toContain(MY_TEXTS.ar.askSent);
      expect(known.body).not.toContain(email);
      const mailed = await h.mailOf('my-link-');
      expect(h.subjectOf(mailed)).toContain(LINK_TEXTS.ar.subject);
      expect(mailed.headers.get('content-language')).toBe('ar');
      const link = h.linkIn(mailed);
      expect((await h.app.request(link)).status).toBe(200);
      // A second ask within ten minutes answers the same and sends nothing more.
      expect(await ask(email)).toEqual(known);
      await eventually(
        async () => (await h.t.events(id)).filter((e) => e.type === 'my_link_mailed').length,
        (n) => n === 1,
      );
      const links = () => h.mailsOf('my-link-').length;
      expect(links()).toBe(1);
      h.skew(10 * 60_000 + 1000);
      await ask(email);
      expect(
        await eventually(
          async () => links(),
          (n) => n === 2,
        ),
      ).toBe(2);
      // Without the form's token the post is sent back; from another site it is refused.
      expect((await h.post('/apply/my', { email })).status).toBe(400);
      expect((await h.post('/apply/my', { email }, 'https://evil.example')).status).toBe(403);
    },
    SLOW,
  );
});
