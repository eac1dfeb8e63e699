import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KVNamespace } from '../../src/edge/bindings.ts';
import { RELAY_HEADERS, signRelay, verifyRelay } from '../../src/http/relay-signature.ts';
import { REPEAT_TEXTS } from '../../src/pages/i18n/repeat.ts';
import { text } from '../../src/pages/strings.ts';
import type { SubmitRequest } from '../../src/usecases/submit-application.ts';
import { buildTestApp, counts, type TestApp, validForm } from '../helpers/app.ts';
import { eventually } from '../helpers/backends.ts';
import { bundleWorker, fakeSiteverify, gatedCore, readWranglerToml, startEdge } from './harness.ts';

const SECRET = 'edge-shared-secret-for-tests-0123';
const EDGE = 'http://localhost:8787';
const COHORT = 'leading-team-2027';
const APPLICANT_IP = '198.51.100.7';

let core: TestApp;
let gate: Awaited<ReturnType<typeof gatedCore>>;
let script: string;
const seen: SubmitRequest[] = [];
const edges: Miniflare[] = [];

const baseVars = () => ({
  CORE_URL: gate.url,
  PUBLIC_URL: EDGE,
  EDGE_SHARED_SECRET: SECRET,
  CORE_TIMEOUT_MS: '1000',
  RETRY_BASE_SECONDS: '1',
  MIN_FILL_MS: '0',
});

async function edge(vars: Record<string, string> = {}, queue: { maxRetries?: number } = {}) {
  const mf = await startEdge(script, { ...baseVars(), ...vars }, queue);
  edges.push(mf);
  return mf;
}

/** Fetches the form from the edge and posts it back as a browser in Israel would. */
async function applyAtEdge(mf: Miniflare, fields: Record<string, string | string[]>) {
  const page = await (await mf.dispatchFetch(`${EDGE}/apply/${COHORT}`)).text();
  const token = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const form = new URLSearchParams();
  form.set('formToken', token);
  for (const [k, v] of Object.entries(fields)) {
    for (const item of Array.isArray(v) ? v : [v]) form.append(k, item);
  }
  return mf.dispatchFetch(`${EDGE}/apply/${COHORT}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: EDGE,
      'cf-connecting-ip': APPLICANT_IP,
    },
    body: form.toString(),
    redirect: 'manual',
  });
}

const rowsFor = (email: string) =>
  core.db
    .selectFrom('applications')
    .select(['reference', 'source', 'flags', 'language'])
    .where('email', '=', email)
    .execute();

beforeAll(async () => {
  script = await bundleWorker();
  core = await buildTestApp({ edgeSecret: SECRET, startAt: new Date(), onSubmit: (req) => seen.push(req) });
  gate = await gatedCore(core.app);
}, 60_000);

afterAll(async () => {
  for (const mf of edges) await mf.dispose();
  await gate?.close();
  await core?.close();
});

describe('the form at the edge, in workerd through Miniflare', () => {
  it('is configured by wrangler.toml and bundles without Node built-ins', async () => {
    const toml = await readWranglerToml();
    expect(toml.queues.consumers.find((c) => c.queue === 'kehila-submissions')?.dead_letter_queue).toBe(
      'kehila-submissions-dead',
    );
    expect(script).not.toMatch(/from\s*["']node:/);
    expect(script.length).toBeLessThan(3 * 1024 * 1024);
  });

  it('renders the same right-to-left form as the core, with the same security headers', async () => {
    const mf = await edge();
    const atEdge = await mf.dispatchFetch(`${EDGE}/apply/${COHORT}`);
    const atCore = await core.app.request(`/apply/${COHORT}`);
    expect(atEdge.status).toBe(200);
    const withoutToken = (html: string) => html.replace(/name="formToken" value="[^"]+"/, 'name="formToken"');
    const edgeHtml = await atEdge.text();
    expect(edgeHtml).toContain('<html lang="he" dir="rtl">');
    expect(withoutToken(edgeHtml)).toBe(withoutToken(await atCore.text()));
    expect(atEdge.headers.get('content-security-policy')).toBe(atCore.headers.get('content-security-policy'));
    expect(atEdge.headers.get('content-security-policy')).toContain("script-src 'self'");
    const css = await mf.dispatchFetch(`${EDGE}/assets/style.css`);
    expect(await css.text()).toBe(await (await core.app.request('/assets/style.css')).text());
  });

  it('relays a valid post to the core with its key, a valid signature and the applicant’s address', async () => {
    const mf = await edge();
    const before = gate.state.relays.length;
    const res = await applyAtEdge(mf, validForm({ email: 'edge-ok@example.org' }));
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^/apply/${COHORT}/done\\?ref=`));
    const rows = await rowsFor('edge-ok@example.org');
    expect(rows).toHaveLength(1);
    expect(location).toContain(encodeURIComponent(rows[0]?.reference ?? '-'));
    expect(rows[0]?.source).toBe('edge');
    // The edge has no database to ask: only the signature it put on the link tells a real reference.
    const confirmation = await mf.dispatchFetch(`${EDGE}${location}`);
    expect(confirmation.status).toBe(200);
    expect(await confirmation.text()).toContain(`>${rows[0]?.reference}</span>`);
    const altered = location.replace(/sig=([0-9a-f])/, (_, c) => `sig=${c === '0' ? '1' : '0'}`);
    for (const path of [altered, location.replace(/&sig=.*$/, ''), `/apply/${COHORT}/done?ref=LT27-ACDEF`]) {
      const refused = await mf.dispatchFetch(`${EDGE}${path}&lang=ar`);
      expect(refused.status, path).toBe(404);
      expect(await refused.text()).toContain('<html lang="ar" dir="rtl">');
    }

    const relays = gate.state.relays.slice(before);
    expect(relays).toHaveLength(1);
    const relay = relays[0];
    if (!relay) throw new Error('no relay');
    expect(relay.headers['idempotency-key']).toMatch(/^edge-[0-9a-f]{64}$/);
    const check = await verifyRelay(SECRET, (n) => relay.headers[n], {
      path: relay.path,
      idempotencyKey: relay.headers['idempotency-key'],
      body: relay.body,
      nowMs: Date.now(),
    });
    expect(check.ok).toBe(true);
    const req = seen.at(-1);
    expect(req?.source).toBe('edge');
    expect(req?.clientIp).toBe(APPLICANT_IP);
    expect(req?.idempotencyKey).toBe(relay.headers['idempotency-key']);

    // The confirmation page is served by the edge too.
    const done = await mf.dispatchFetch(`${EDGE}${location}`);
    expect(await done.text()).toContain(rows[0]?.reference ?? '-');
  });

  it('answers a repeat of an address in its language with no trace of the first application', async () => {
    const mf = await edge();
    for (const lang of ['he', 'ar', 'en'] as const) {
      const email = `edge-again-${lang}@example.org`;
      expect((await applyAtEdge(mf, validForm({ email, lang }))).status).toBe(303);
      const [first] = await rowsFor(email);
      const again = await applyAtEdge(mf, validForm({ email, lang, organisation: 'מועצה אזורית רמת נגב' }));
      expect(again.status).toBe(303);
      const location = again.headers.get('location') ?? '';
      expect(location).toMatch(new RegExp(`^/apply/${COHORT}/exists`));
      const page = await mf.dispatchFetch(`${EDGE}${location}`);
      const body = await page.text();
      expect(page.status).toBe(200);
      expect(body).toContain(REPEAT_TEXTS[lang].title);
      expect(body).toContain(`<html lang="${lang}"`);
      for (const trace of [first?.reference ?? '-', 'done?ref=']) {
        expect(location).not.toContain(trace);
        expect(body).not.toContain(trace);
      }
      expect(await rowsFor(email)).toHaveLength(1);
    }
  });

  it('forwards the language it negotiated, and the core stores it with the application', async () => {
    const mf = await edge();
    const res = await applyAtEdge(mf, validForm({ email: 'edge-ar@example.org', lang: 'ar' }));
    expect(res.status).toBe(303);
    const [row] = await rowsFor('edge-ar@example.org');
    expect(row?.source).toBe('edge');
    expect(row?.language).toBe('ar');
    const relayed = JSON.parse(gate.state.relays.at(-1)?.body ?? '{}') as { language?: string };
    expect(relayed.language).toBe('ar');
  });

  it('relays a complete post sent faster than a person, flagged for staff, and the core keeps the flag', async () => {
    const mf = await edge({ MIN_FILL_MS: '600000' });
    const res = await applyAtEdge(mf, validForm({ email: 'edge-fast@example.org' }));
    expect(res.status).toBe(303);
    const [row] = await rowsFor('edge-fast@example.org');
    expect(row?.flags).toContain('filled_fast');
    const quickAndWrong = await applyAtEdge(mf, validForm({ email: 'edge-fast-wrong' }));
    expect(quickAndWrong.status).toBe(400);
    expect(await quickAndWrong.text()).toContain('id="email-error"');
  });

  it('answers invalid posts at the edge, in Hebrew with the values kept, without touching the core', async () => {
    const mf = await edge();
    const before = gate.state.relays.length;
    const res = await applyAtEdge(mf, validForm({ email: 'not-an-email', fullName: 'דנה <b>לוי</b>' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('value="דנה &lt;b&gt;לוי&lt;/b&gt;"');
    expect(html).toContain('value="not-an-email"');
    expect(gate.state.relays.length).toBe(before);
  });

  it('has the core refuse tampered, unsigned, stale, replayed and address-only relays', async () => {
    const relay = gate.state.relays.find((r) => r.headers[RELAY_HEADERS.signature]);
    if (!relay) throw new Error('no relay recorded');
    const send = (headers: Record<string, string>, body = relay.body) =>
      core.app.request(relay.path, { method: 'POST', headers, body });
    const without = (...names: string[]) =>
      Object.fromEntries(Object.entries(relay.headers).filter(([k]) => !names.includes(k)));
    const before = await counts(core.db);

    const replayed = await send(relay.headers);
    expect(replayed.status).toBe(401);
    expect((await replayed.json()).error.message).toContain('replayed');

    const tampered = await send(relay.headers, relay.body.replace('edge-ok@', 'mallory@'));
    expect(tampered.status).toBe(401);
    expect((await tampered.json()).error.message).toContain('bad_signature');

    const otherAddress = await send({ ...relay.headers, [RELAY_HEADERS.clientIp]: '192.0.2.99' });
    expect((await otherAddress.json()).error.message).toContain('bad_signature');

    const unsigned = await send(without(RELAY_HEADERS.signature));
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).error.message).toContain('unsigned');

    const addressOnly = await send({
      'content-type': 'application/json',
      [RELAY_HEADERS.clientIp]: '192.0.2.1',
    });
    expect(addressOnly.status).toBe(401);

    const key = relay.headers['idempotency-key'] ?? '';
    const stale = await signRelay(SECRET, {
      timestampMs: Date.now() - 10 * 60_000,
      path: relay.path,
      idempotencyKey: key,
      clientIp: APPLICANT_IP,
      flags: [],
      body: relay.body,
    });
    const staleRes = await send({ ...relay.headers, ...stale });
    expect(staleRes.status).toBe(401);
    expect((await staleRes.json()).error.message).toContain('stale');

    const wrongSecret = await signRelay('another-secret-of-enough-length', {
      timestampMs: Date.now(),
      path: relay.path,
      idempotencyKey: key,
      clientIp: APPLICANT_IP,
      flags: [],
      body: relay.body,
    });
    expect((await send({ ...relay.headers, ...wrongSecret })).status).toBe(401);
    expect(await counts(core.db)).toEqual(before);
  });

  it('queues when the core is away and delivers exactly once when it returns', async () => {
    const mf = await edge();
    const email = 'edge-queued@example.org';
    const before = gate.state.relays.length;
    // The core stores the submission but answers after the edge has stopped waiting: the worst case.
    gate.state.mode = 'slow';
    const res = await applyAtEdge(mf, validForm({ email }));
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toBe(`/apply/${COHORT}/done?queued=1`);
    expect(await (await mf.dispatchFetch(`${EDGE}${location}`)).text()).toContain(text.referenceByEmail);
    // Then it is away altogether for the consumer's first attempt.
    gate.state.mode = 'down';
    await eventually(
      async () => gate.state.relays.length - before,
      (n) => n >= 2,
      20_000,
    );
    gate.state.mode = 'up';
    const keyOf = (i: number) => gate.state.relays[i]?.headers['idempotency-key'];
    await eventually(
      async () => seen.filter((r) => r.idempotencyKey === keyOf(before)).length,
      (n) => n >= 2,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 2500));
    const relays = gate.state.relays.slice(before);
    expect(relays.length).toBeGreaterThanOrEqual(3);
    expect(new Set(relays.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(relays.map((r) => r.headers[RELAY_HEADERS.signature])).size).toBe(relays.length);
    const rows = await rowsFor(email);
    expect(rows).toHaveLength(1);
    const events = await core.db
      .selectFrom('application_events')
      .innerJoin('applications', 'applications.id', 'application_events.application_id')
      .select('application_events.type')
      .where('applications.email', '=', email)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['submitted']);
  }, 60_000);

  it('dead-letters a submission the core never takes, and replays it on request', async () => {
    const mf = await edge(
      { RETRY_BASE_SECONDS: '0', EDGE_ADMIN_TOKEN: 'edge-admin-token-0123456789' },
      { maxRetries: 1 },
    );
    const email = 'edge-dead@example.org';
    gate.state.mode = 'down';
    gate.state.delayMs = 1200;
    try {
      const res = await applyAtEdge(mf, validForm({ email }));
      expect(res.headers.get('location')).toBe(`/apply/${COHORT}/done?queued=1`);
      const kv = (await mf.getKVNamespace('DEAD_LETTERS')) as unknown as KVNamespace;
      const letters = await eventually(
        async () => (await kv.list({ prefix: 'dead:' })).keys,
        (keys) => keys.length > 0,
        30_000,
      );
      expect(letters).toHaveLength(1);
      const stored = JSON.parse((await kv.get(letters[0]?.name ?? '')) ?? '{}');
      expect(stored.reason).toMatch(/not delivered after \d+ attempts/);
      expect(stored.submission.flags).toContain('queued_at_edge');
      expect(await rowsFor(email)).toHaveLength(0);

      const denied = await mf.dispatchFetch(`${EDGE}/edge/dead-letters`);
      expect(denied.status).toBe(401);
      const auth = { authorization: 'Bearer edge-admin-token-0123456789' };
      const listed = await (await mf.dispatchFetch(`${EDGE}/edge/dead-letters`, { headers: auth })).json();
      expect(listed).toMatchObject({ count: 1 });
      expect(JSON.stringify(listed)).not.toContain(email);

      gate.state.mode = 'up';
      const replay = await mf.dispatchFetch(`${EDGE}/edge/dead-letters/replay`, {
        method: 'POST',
        headers: auth,
      });
      expect(await replay.json()).toEqual({ replayed: 1 });
      const rows = await eventually(
        () => rowsFor(email),
        (r) => r.length > 0,
        20_000,
      );
      expect(rows).toHaveLength(1);
    } finally {
      gate.state.mode = 'up';
      gate.state.delayMs = 2500;
    }
  }, 60_000);

  it('accepts and flags the applicant when Turnstile cannot be reached, and sends a failed check back', async () => {
    const siteverify = await fakeSiteverify();
    try {
      const turnstileVars = {
        TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
        TURNSTILE_SECRET: 'turnstile-secret',
      };
      const down = await edge({ ...turnstileVars, TURNSTILE_VERIFY_URL: 'http://127.0.0.1:9/siteverify' });
      const page = await down.dispatchFetch(`${EDGE}/apply/${COHORT}`);
      expect(await page.text()).toContain('class="cf-turnstile" data-sitekey="1x00000000000000000000AA"');
      expect(page.headers.get('content-security-policy')).toContain('https://challenges.cloudflare.com');

      const res = await applyAtEdge(
        down,
        validForm({ email: 'edge-unverified@example.org', 'cf-turnstile-response': 'token' }),
      );
      expect(res.status).toBe(303);
      const rows = await rowsFor('edge-unverified@example.org');
      expect(rows).toHaveLength(1);
      expect(rows[0]?.flags).toContain('bot_check_unverified');

      const checked = await edge({ ...turnstileVars, TURNSTILE_VERIFY_URL: siteverify.url });
      siteverify.state.success = false;
      const refused = await applyAtEdge(
        checked,
        validForm({ email: 'edge-bot@example.org', 'cf-turnstile-response': 'bad' }),
      );
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain(text.botCheckFailed);
      expect(html).toContain('value="edge-bot@example.org"');
      expect(await rowsFor('edge-bot@example.org')).toHaveLength(0);

      siteverify.state.success = true;
      const passed = await applyAtEdge(
        checked,
        validForm({ email: 'edge-human@example.org', 'cf-turnstile-response': 'good' }),
      );
      expect(passed.status).toBe(303);
      const human = await rowsFor('edge-human@example.org');
      expect(human[0]?.flags).not.toContain('bot_check_unverified');
      expect(siteverify.state.calls).toBe(2);
    } finally {
      await siteverify.close();
    }
  }, 60_000);
});
