import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { buildTestApp, postForm, postJson, type TestApp, validBody, validForm } from '../helpers/app.ts';
import { backends } from '../helpers/backends.ts';

/** The application as the first submission stored it: what a repeat's answer must never show. */
async function firstOf(t: TestApp) {
  return t.db.selectFrom('applications').select(['id', 'reference', 'full_name']).executeTakeFirstOrThrow();
}

const repeatMails = (t: TestApp) =>
  t.db.selectFrom('outbox').select('job_id').where('job_id', 'like', 'repeat-%').execute();

describe.each(backends)('a repeat submission on $name', (backend) => {
  let database: OpenedDatabase;
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
    await database?.close();
  });
  const start = async () => {
    database = await backend.open();
    t = await buildTestApp({ database });
  };

  it('answers the API with exactly {"status":"received"}: no id, no reference', async () => {
    await start();
    const created = await postJson(t, validBody());
    expect(created.status).toBe(201);
    expect(Object.keys((await created.json()) as object).sort()).toEqual(['id', 'reference', 'status']);
    const first = await firstOf(t);
    const again = await postJson(
      t,
      validBody({ motivation: 'תשובות חדשות, ארוכות מספיק כדי לעבור את הבדיקה.' }),
    );
    expect(again.status).toBe(200);
    const text = await again.text();
    expect(text).toBe('{"status":"received"}');
    expect(text).not.toContain(first.reference);
    expect(text).not.toContain(first.id);
  });

  it.each([
    ['he', 'כבר יש בקשה עם הכתובת הזאת', 'שלחנו לכתובת הזאת קישור לדף הבקשה.'],
    ['ar', 'يوجد طلب بعنوان البريد الإلكتروني هذا', 'أرسلنا إلى هذا العنوان رابطا إلى صفحة الطلب.'],
    [
      'en',
      'An application with this address already exists',
      'We have sent a link to the application’s page',
    ],
  ])(
    'answers the form in %s that an application exists and a link went to it, naming nothing of it',
    async (lang, title, sent) => {
      await start();
      await postForm(t, validForm());
      const first = await firstOf(t);
      const res = await postForm(t, validForm({ fullName: 'מישהו אחר', lang }));
      expect(res.status).toBe(303);
      const location = res.headers.get('location') ?? '';
      expect(location).toBe(`/apply/leading-team-2027/exists?lang=${lang}`);
      const page = await t.app.request(location, { headers: { cookie: `lang=${lang}` } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html).toContain(title);
      expect(html).toContain(sent);
      expect(html).toContain('data-clear-draft="leading-team-2027"');
      for (const body of [html, await res.text(), location]) {
        expect(body).not.toContain(first.reference);
        expect(body).not.toContain(first.id);
        expect(body).not.toContain(first.full_name);
        expect(body).not.toContain('מישהו אחר');
      }
    },
  );

  it('replays an Idempotency-Key byte for byte, also when its first answer was a repeat', async () => {
    await start();
    const created = await postJson(t, validBody(), { 'idempotency-key': 'first' });
    const createdText = await created.text();
    const replayed = await postJson(t, validBody(), { 'idempotency-key': 'first' });
    expect([replayed.status, await replayed.text()]).toEqual([201, createdText]);
    const repeat = await postJson(t, validBody({ fullName: 'נועה כהן-לוי' }), {
      'idempotency-key': 'second',
    });
    const repeatText = await repeat.text();
    expect([repeat.status, repeatText]).toEqual([200, '{"status":"received"}']);
    const again = await postJson(t, validBody({ fullName: 'נועה כהן-לוי' }), { 'idempotency-key': 'second' });
    expect([again.status, await again.text()]).toEqual([200, repeatText]);
  });

  it('answers concurrent submissions of one e-mail (one batch) with one 201 and repeats that name nothing', async () => {
    await start();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => postJson(t, validBody({ roleTitle: `תפקיד ${i}` }))),
    );
    const texts = await Promise.all(answers.map((a) => a.text()));
    const first = await firstOf(t);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const repeats = texts.filter((_, i) => answers[i]?.status === 200);
    expect(repeats).toEqual(Array(11).fill('{"status":"received"}'));
    const proposals = await t.db.selectFrom('proposed_updates').selectAll().execute();
    expect(proposals.map((p) => p.application_id)).toEqual([first.id]);
    // One e-mail to the owner for the whole burst.
    expect(await repeatMails(t)).toHaveLength(1);
  });

  it('keeps only the latest proposal, with its language and time', async () => {
    await start();
    await postJson(t, validBody());
    const first = await firstOf(t);
    t.clock.advance(60_000);
    await postJson(t, validBody({ roleTitle: 'רכזת STEM', language: 'ar' }));
    t.clock.advance(60_000);
    await postJson(t, validBody({ roleTitle: 'מנהלת אגף החינוך', language: 'en' }));
    const proposals = await t.db.selectFrom('proposed_updates').selectAll().execute();
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({
      application_id: first.id,
      language: 'en',
      source: 'api',
      answers: { roleTitle: 'מנהלת אגף החינוך', fullName: 'נועה כהן' },
    });
    expect(new Date(proposals[0]?.received_at ?? 0).toISOString()).toBe(t.clock.now().toISOString());
    // The first answers stand until the owner applies the proposal.
    const row = await t.db.selectFrom('applications').select('role_title').executeTakeFirstOrThrow();
    expect(row.role_title).toBe('מנהלת מחלקת חינוך');
  });

  it('mails the owner’s link at most once per address in ten minutes', async () => {
    await start();
    await postJson(t, validBody());
    await postJson(t, validBody({ roleTitle: 'תפקיד א' }));
    expect(await repeatMails(t)).toHaveLength(1);
    t.clock.advance(9 * 60_000);
    await postJson(t, validBody({ roleTitle: 'תפקיד ב' }));
    expect(await repeatMails(t)).toHaveLength(1);
    t.clock.advance(60_000);
    await postJson(t, validBody({ roleTitle: 'תפקיד ג' }));
    expect(await repeatMails(t)).toHaveLength(2);
    // Each repeat is on the timeline, mailed or not.
    const events = await t.db
      .selectFrom('application_events')
      .select('type')
      .where('type', '=', 'resubmitted')
      .execute();
    expect(events).toHaveLength(3);
  });
});
