import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../integrations/mail/index.ts';
import { NOTICE_TEXTS, type NoticeKind } from '../../src/mail/notice-texts.ts';
import { withdraw } from '../../src/usecases/onboarding.ts';
import { decide } from '../../src/usecases/review.ts';
import { type SmtpFake, startSmtpFake } from '../fakes/smtp.ts';
import { backends, eventually } from '../helpers/backends.ts';
import { decodeWords, type MimePart, parseMime, partOf } from '../helpers/mime.ts';
import { pipelinesOn, reviewSettings } from '../helpers/pipeline.ts';

// Every e-mail after the form goes out in the language the person applied in, as a mail client reads it:
// through SMTP, parsed as MIME, with the message's Content-Language, the HTML part's lang and dir, the
// calendar file's names, and the programme's contact from the settings.

const LANGS = ['he', 'ar', 'en'] as const;
type Lang = (typeof LANGS)[number];
const NAMES: Record<Lang, string> = { he: 'נועה כהן', ar: 'سلمى خطيب', en: 'Sam Green' };
const HEBREW = /[\u0590-\u05FF]/;
const ARABIC = /[\u0600-\u06FF]/;
const OPENING: Record<Lang, string> = {
  he: 'מפגש פתיחה — יום מלא',
  ar: 'اللقاء الافتتاحي — يوم كامل',
  en: 'Opening day (full day)',
};

const [pglite] = backends.filter((b) => b.name === 'pglite');
if (!pglite) throw new Error('no PGlite backend');

describe('the e-mails after the form, in the language applied in', () => {
  const setup = pipelinesOn(pglite);
  let smtp: SmtpFake;
  beforeAll(async () => {
    smtp = await startSmtpFake();
  });
  afterAll(() => smtp.close());

  /** The message with this idempotency key, once the SMTP fake has it. */
  const mailOf = async (key: string): Promise<MimePart> => {
    const find = async () => smtp.received.find((m) => m.includes(`Message-ID: <${key}@kehila>`));
    const raw = await eventually(find, Boolean, 15_000);
    if (!raw) throw new Error(`no message ${key}`);
    return parseMime(raw);
  };

  const expectInLanguage = (message: MimePart, lang: Lang, kind: NoticeKind) => {
    expect(message.headers.get('content-language'), kind).toBe(lang);
    const subject = decodeWords(message.headers.get('subject') ?? '');
    expect(subject, kind).toContain(NOTICE_TEXTS[lang].subjects[kind]);
    const text = partOf(message, 'text/plain')?.body ?? '';
    const html = partOf(message, 'text/html')?.body ?? '';
    expect(text, kind).toContain(NOTICE_TEXTS[lang].greeting(NAMES[lang]));
    expect(text, kind).toContain(NOTICE_TEXTS[lang].signature);
    // Nothing of the other scripts: the whole message is in one language.
    if (lang !== 'he') expect(text, `${kind}: ${text}`).not.toMatch(HEBREW);
    if (lang !== 'ar') expect(text, `${kind}: ${text}`).not.toMatch(ARABIC);
    expect(html, kind).toContain(`<html lang="${lang}" dir="${lang === 'en' ? 'ltr' : 'rtl'}">`);
    expect(html, kind).toContain('<a href="mailto:team@example.org" dir="ltr">team@example.org</a>');
    expect(html, kind).toContain('<a href="tel:086200000" dir="ltr">08-6200000</a>');
    expect(text, kind).toMatch(/team@example\.org/);
  };

  const calendarOf = (message: MimePart) =>
    (partOf(message, 'text/calendar')?.body ?? '').replace(/\r?\n[ \t]/g, '');

  for (const lang of LANGS) {
    it(`sends the received, decision and withdrawal e-mails in ${lang}`, async () => {
      const t = await setup({
        mail: createMailer({ smtpUrl: smtp.url, from: 'kehila <no-reply@kehila.example>', outboxDir: '' }),
        settings: { ...reviewSettings(), contact: { email: 'team@example.org', phone: '08-6200000' } },
      });
      const submit = (n: number) =>
        t.submit({ fullName: NAMES[lang], email: `${lang}-${n}-${t.prefix}@example.org`, language: lang });
      const [accepted, declined, waitlisted] = [await submit(1), await submit(2), await submit(3)];
      for (const app of [accepted, declined, waitlisted]) {
        expectInLanguage(await mailOf(`received-${app.id}`), lang, 'received');
        await eventually(
          () => t.status(app.id),
          (s) => s === 'in_review',
          10_000,
        );
      }
      const decision = { actor: 'staff', byName: 'Staff' };
      await decide(t.reviewCtx, { ...decision, applicationId: accepted.id, outcome: 'accepted' });
      await decide(t.reviewCtx, { ...decision, applicationId: declined.id, outcome: 'declined' });
      await decide(t.reviewCtx, { ...decision, applicationId: waitlisted.id, outcome: 'waitlisted' });

      const acceptance = await mailOf(`accepted-${accepted.id}`);
      expectInLanguage(acceptance, lang, 'accepted');
      const invitation = calendarOf(acceptance);
      expect(invitation).toContain('METHOD:REQUEST');
      expect(invitation).toContain(`SUMMARY:${OPENING[lang]}`);
      expect(invitation).toContain(`PRODID:-//muni:STEM//kehila//${lang.toUpperCase()}`);
      expectInLanguage(await mailOf(`declined-${declined.id}`), lang, 'declined');
      expectInLanguage(await mailOf(`waitlisted-${waitlisted.id}`), lang, 'waitlisted');

      await eventually(
        () => t.status(accepted.id),
        (s) => s === 'onboarded',
        10_000,
      );
      await withdraw(t.reviewCtx, { applicationId: accepted.id, actor: 'staff' });
      const withdrawal = await mailOf(`withdrawn-${accepted.id}`);
      expectInLanguage(withdrawal, lang, 'withdrawn');
      const cancellation = calendarOf(withdrawal);
      expect(cancellation).toContain('METHOD:CANCEL');
      expect(cancellation).toContain(`SUMMARY:${OPENING[lang]}`);
    }, 60_000);
  }
});
