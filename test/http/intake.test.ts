import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  counts,
  ORIGIN,
  postForm,
  postJson,
  type TestApp,
  validBody,
  validForm,
} from '../helpers/app.ts';

let t: TestApp;

/** The fields as a browser posts them: one pair per checked box. */
function formBody(fields: Record<string, string | string[]>, formToken: string): string {
  const body = new URLSearchParams({ formToken });
  for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) body.append(k, item);
  return body.toString();
}
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('the form', () => {
  it('is Hebrew, right-to-left, every input labelled, with a strict CSP and no inline script', async () => {
    const res = await t.app.request('/apply');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="he" dir="rtl">');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    const ids = [...html.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    for (const id of ids) expect(html).toContain(`for="${id}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('stores a submission and redirects to the confirmation with the reference', async () => {
    const res = await postForm(t, validForm({ email: ' Noa@Example.ORG ', phone: '+972 50-723-4567' }));
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(
      /^\/apply\/leading-team-2027\/done\?ref=LT27-[34679ACDEFGHJKMNPQRTWXY]{5}&sig=[0-9a-f]{32}$/,
    );
    const row = await t.db.selectFrom('applications').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      email: 'noa@example.org',
      phone: '+972507234567',
      status: 'submitted',
      source: 'form',
    });
    expect(row.answers).toMatchObject({ topics: ['data', 'ai'] });
    expect(await counts(t.db)).toEqual({ applications: 1, events: 1, outbox: 1 });
    const done = await t.app.request(location);
    const page = await done.text();
    expect(page).toContain(row.reference);
    expect(page).toContain('data-clear-draft="leading-team-2027"');
    expect(page).toContain('/cohorts/leading-team-2027/meetings.ics');
  });

  it('re-renders errors in Hebrew, tied to their fields, with every value kept and nothing stored', async () => {
    const res = await postForm(
      t,
      validForm({ email: 'not-an-email', phone: '03-6123456', consent: [] as string[] }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('כתובת הדואר האלקטרוני אינה תקינה');
    expect(html).toContain('מספר הטלפון הנייד אינו תקין');
    expect(html).toMatch(
      /id="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-error"|aria-describedby="email-error"/,
    );
    expect(html).toContain('id="email-error"');
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain('value="03-6123456"');
    expect(html).toContain('עיריית ירוחם');
    expect(html).toMatch(/value="closing-day" checked/);
    expect(await counts(t.db)).toEqual({ applications: 0, events: 0, outbox: 0 });
  });

  it('escapes hostile text when it is shown again', async () => {
    const res = await postForm(
      t,
      validForm({
        fullName: '<script>alert(1)</script>',
        organisation: '"><img src=x onerror=alert(1)>',
        email: 'x',
      }),
    );
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses a cross-site post, and a post with no origin information at all', async () => {
    const foreign = await postForm(t, validForm(), { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const page = await (await t.app.request('/apply/leading-team-2027')).text();
    const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
    t.clock.advance(5000);
    const bare = await t.app.request('/apply/leading-team-2027', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...(validForm() as Record<string, string>), formToken: token }).toString(),
    });
    expect(bare.status).toBe(403);
    const sameSite = await postForm(t, validForm(), { origin: '', 'sec-fetch-site': 'same-origin' });
    expect(sameSite.status).toBe(303);
    expect((await counts(t.db)).applications).toBe(1);
  });

  it('pretends success to a bot that fills the honeypot, and stores nothing', async () => {
    const res = await postForm(t, validForm({ website: 'http://spam.example' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/apply/leading-team-2027/done');
    expect((await counts(t.db)).applications).toBe(0);
  });

  it('shows the field errors of a post faster than a person, before any word about speed', async () => {
    const page = await (await t.app.request('/apply/leading-team-2027')).text();
    const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const fast = await t.app.request('/apply/leading-team-2027', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: formBody(validForm({ email: 'not-an-email' }), token),
    });
    expect(fast.status).toBe(400);
    const html = await fast.text();
    expect(html).toContain('id="email-error"');
    expect(html.match(/class="error" id="/g)).toHaveLength(1);
    expect(html).not.toContain('לא הספקנו לאמת את השליחה');
    expect(html).toContain('value="not-an-email"');
    expect((await counts(t.db)).applications).toBe(0);
  });

  it('keeps a complete post faster than a person, flagged for staff, and confirms it as any other', async () => {
    const page = await (await t.app.request('/apply/leading-team-2027')).text();
    const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const fast = await t.app.request('/apply/leading-team-2027', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: formBody(validForm(), token),
    });
    expect(fast.status).toBe(303);
    const location = fast.headers.get('location') ?? '';
    expect(location).toMatch(/\/done\?ref=LT27-\w{5}&sig=/);
    const row = await t.db
      .selectFrom('applications')
      .select(['flags', 'reference'])
      .executeTakeFirstOrThrow();
    expect(row.flags).toContain('filled_fast');
    expect(await (await t.app.request(location)).text()).toContain(row.reference);
    // At a person's pace the flag is not set.
    const slow = await postForm(t, validForm({ email: 'slow@example.org' }));
    expect(slow.status).toBe(303);
    const other = await t.db
      .selectFrom('applications')
      .select('flags')
      .where('email', '=', 'slow@example.org')
      .executeTakeFirstOrThrow();
    expect(other.flags).not.toContain('filled_fast');
  });

  it('sends back a post with a forged or missing token, with the values kept', async () => {
    const page = await (await t.app.request('/apply/leading-team-2027')).text();
    const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const post = (formToken: string) =>
      t.app.request('/apply/leading-team-2027', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: formBody(validForm(), formToken),
      });
    t.clock.advance(5000);
    const forged = await post(token.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
    expect(forged.status).toBe(400);
    const html = await forged.text();
    expect(html).toContain('לא הספקנו לאמת את השליחה');
    expect(html).toContain('value="noa@example.org"');
    expect((await post('1795357780762.deadbeef')).status).toBe(400);
    expect((await post('')).status).toBe(400);
    expect((await counts(t.db)).applications).toBe(0);
  });
});

describe('the JSON intake', () => {
  it('answers 201 with {id, reference, status} and stores normalised values', async () => {
    const res = await postJson(
      t,
      validBody({ fullName: '  נועה\u202E  כהן\u0007 ', email: 'NOA@example.org' }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['id', 'reference', 'status']);
    expect(body.status).toBe('received');
    const row = await t.db.selectFrom('applications').selectAll().executeTakeFirstOrThrow();
    expect(row.full_name).toBe('נועה כהן');
    expect(row.email).toBe('noa@example.org');
    expect(row.source).toBe('api');
  });

  it('gives per-field codes for bad input, with the request id', async () => {
    const res = await postJson(
      t,
      validBody({ email: 'x', sector: 'pirates', consent: false, motivation: 'short' }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; fields: Record<string, string>; requestId: string };
    };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields).toEqual({
      email: 'invalid_email',
      sector: 'invalid_choice',
      consent: 'consent_required',
      motivation: 'too_short',
    });
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('refuses unknown fields: no status, id or __proto__ ever lands', async () => {
    const res = await postJson(
      t,
      `{"__proto__":{"admin":true},${JSON.stringify(validBody({ status: 'accepted', id: 'x' })).slice(1)}`,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields).toMatchObject({
      status: 'unknown_field',
      id: 'unknown_field',
      __proto__: 'unknown_field',
    });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((await counts(t.db)).applications).toBe(0);
  });

  it('answers 415 for anything but JSON, 400 for broken JSON or a non-object, 404 for an unknown cohort', async () => {
    const text = await t.app.request('/api/cohorts/leading-team-2027/applications', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(validBody()),
    });
    expect(text.status).toBe(415);
    expect((await postJson(t, '{"fullName":')).status).toBe(400);
    expect((await postJson(t, '[1,2]')).status).toBe(400);
    expect((await postJson(t, 'null')).status).toBe(400);
    expect((await postJson(t, validBody(), {}, 'no-such-cohort')).status).toBe(404);
  });

  it('limits the body to 64 KB, with Content-Length and without (chunked)', async () => {
    const big = JSON.stringify(validBody({ motivation: 'א'.repeat(70_000) }));
    expect((await postJson(t, big)).status).toBe(413);
    const chunks = [big.slice(0, 30_000), big.slice(30_000)];
    const stream = new ReadableStream({
      start(controller) {
        for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
        controller.close();
      },
    });
    const res = await t.app.request(
      new Request('http://localhost/api/cohorts/leading-team-2027/applications', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await counts(t.db)).applications).toBe(0);
  });

  it('honours Idempotency-Key: same body → same answer and one row; another body → 422', async () => {
    const first = await postJson(t, validBody(), { 'idempotency-key': 'k-1' });
    const again = await postJson(t, validBody(), { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(await again.text()).toBe(await first.text());
    const other = await postJson(t, validBody({ roleTitle: 'אחר' }), { 'idempotency-key': 'k-1' });
    expect(other.status).toBe(422);
    expect((await postJson(t, validBody(), { 'idempotency-key': 'bad key with spaces' })).status).toBe(400);
    expect(await counts(t.db)).toEqual({ applications: 1, events: 1, outbox: 1 });
  });

  it('stores one row for concurrent requests with the same key', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => postJson(t, validBody(), { 'idempotency-key': 'same' })),
    );
    const bodies = await Promise.all(results.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect((await counts(t.db)).applications).toBe(1);
  });

  it('answers a repeat of the same e-mail with {status} alone, notes it on the timeline and keeps the first answers', async () => {
    const first = (await (await postJson(t, validBody())).json()) as { id: string; reference: string };
    const again = await postJson(t, validBody({ email: 'NOA@EXAMPLE.ORG', fullName: 'מישהו אחר' }));
    expect(again.status).toBe(200);
    const text = await again.text();
    expect(text).toBe('{"status":"received"}');
    expect(text).not.toContain(first.reference);
    expect(text).not.toContain(first.id);
    const events = await t.db.selectFrom('application_events').select('type').orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['submitted', 'resubmitted']);
    // The intake job, and the owner's e-mail about the repeat.
    expect(await counts(t.db)).toMatchObject({ applications: 1, outbox: 2 });
    const row = await t.db.selectFrom('applications').select('full_name').executeTakeFirstOrThrow();
    expect(row.full_name).toBe('נועה כהן');
  });

  it('limits submissions per address and per e-mail with 429 and Retry-After', async () => {
    const limited = await buildTestApp({
      ipLimit: { limit: 2, windowMs: 60_000 },
      emailLimit: { limit: 1, windowMs: 60_000 },
    });
    try {
      expect((await postJson(limited, validBody(), { 'x-test-ip': '198.51.100.7' })).status).toBe(201);
      const sameEmail = await postJson(limited, validBody(), { 'x-test-ip': '198.51.100.7' });
      expect(sameEmail.status).toBe(429);
      expect(Number(sameEmail.headers.get('retry-after'))).toBeGreaterThan(0);
      const sameIp = await postJson(limited, validBody({ email: 'b@example.org' }), {
        'x-test-ip': '198.51.100.7',
      });
      expect(sameIp.status).toBe(429);
      expect(
        (await postJson(limited, validBody({ email: 'c@example.org' }), { 'x-test-ip': '198.51.100.8' }))
          .status,
      ).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('stores hostile strings as data, never answers 5xx for them', async () => {
    const hostile = [
      '<!channel>',
      '<script>alert(1)</script>',
      '=HYPERLINK("http://x","y")',
      'a\u202Eb\u2066c',
      '<@U123>',
    ];
    for (const [i, s] of hostile.entries()) {
      const res = await postJson(
        t,
        validBody({
          email: `h${i}@example.org`,
          fullName: `${s} x`,
          organisation: s,
          roleTitle: s,
          motivation: `${s} `.repeat(20),
        }),
      );
      expect(res.status).toBe(201);
    }
    const long = await postJson(t, validBody({ email: 'long@example.org', motivation: 'מ'.repeat(5000) }));
    expect(long.status).toBe(201);
    const tooLong = await postJson(
      t,
      validBody({ email: 'long2@example.org', motivation: 'מ'.repeat(5001) }),
    );
    expect(tooLong.status).toBe(400);
    const rows = await t.db.selectFrom('applications').select(['organisation']).execute();
    expect(rows.map((r) => r.organisation)).toContain('<!channel>');
    expect(rows.map((r) => r.organisation)).toContain('abc');
  });

  it('stores half a surrogate pair as U+FFFD, including in the JSONB answers', async () => {
    // JSON can carry "\ud800"; PostgreSQL's jsonb cannot. The fuzzer found this as a 500.
    const res = await postJson(
      t,
      validBody({
        email: 'surrogate@example.org',
        fullName: 'נועה \ud800כהן',
        motivation: `${'מ'.repeat(30)} \udc00`,
        accessibilityNeeds: '\ud800',
      }),
    );
    expect(res.status).toBe(201);
    const row = await t.db
      .selectFrom('applications')
      .select(['full_name', 'answers'])
      .where('email', '=', 'surrogate@example.org')
      .executeTakeFirstOrThrow();
    expect(row.full_name).toBe('נועה \uFFFDכהן');
    expect(JSON.stringify(row.answers)).toContain('\uFFFD');
  });
});

describe('health', () => {
  it('answers liveness and readiness', async () => {
    expect((await t.app.request('/healthz')).status).toBe(200);
    const ready = await t.app.request('/readyz');
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true } });
  });

  it('serves the cohort feed as iCalendar', async () => {
    const res = await t.app.request('/cohorts/leading-team-2027/meetings.ics');
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const ics = await res.text();
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(5);
    expect(ics).toContain('DTSTART;TZID=Asia/Jerusalem:20270311T090000');
    expect((await t.app.request('/cohorts/nope/meetings.ics')).status).toBe(404);
  });
});
