import { afterEach, describe, expect, it } from 'vitest';
import { FORM_TOKEN_MAX_AGE_MS, formTokens } from '../../src/http/form-token.ts';
import { formExpired, formReused } from '../../src/http/notices.ts';
import { signRelay } from '../../src/http/relay-signature.ts';
import { counts, validBody, validForm } from '../helpers/app.ts';
import { type BuiltApp, buildApp } from './support.ts';

const ORIGIN = 'http://localhost:3000';
const EDGE_SECRET = 'edge-secret-for-the-tests-0123456789';
const tokenOf = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The app with a single-use store that records every id it is asked about. */
async function start(opts: { failingStore?: boolean } = {}) {
  const asked: string[] = [];
  const used = new Set<string>();
  const t = await buildApp(() => ({
    formTokenFirstUse: async (id) => {
      asked.push(id);
      if (opts.failingStore) throw new Error('store unreachable');
      if (used.has(id)) return false;
      used.add(id);
      return true;
    },
    edgeRelay: {
      secret: EDGE_SECRET,
      firstUse: async () => true,
    },
  }));
  const form = async () => tokenOf(await (await t.app.request('/apply/leading-team-2027')).text());
  const post = (token: string, fields: Record<string, string | string[]> = validForm()) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...fields, formToken: token })) {
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    }
    return t.app.request('/apply/leading-team-2027', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: body.toString(),
    });
  };
  return { t, asked, form, post };
}

let t: BuiltApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the fill-time token', () => {
  it('is signed over the cohort, the time and a random id, and has a maximum age', async () => {
    const tokens = formTokens('a-test-secret-of-enough-length');
    const now = Date.parse('2026-12-01T08:00:00Z');
    const token = await tokens.issue('leading-team-2027', now);
    const check = await tokens.check('leading-team-2027', token, now + 5000);
    expect(check).toEqual({ ok: true, id: expect.stringMatching(/^[0-9a-f]{32}$/), ageMs: 5000 });
    expect(await tokens.issue('leading-team-2027', now)).not.toBe(token);
    expect(await tokens.check('other-cohort', token, now)).toEqual({ ok: false, reason: 'forged' });
    expect(await tokens.check('leading-team-2027', token.replace(/\.[0-9a-f]{4}/, '.0000'), now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(await tokens.check('leading-team-2027', `${now}.${'a'.repeat(64)}`, now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(await tokens.check('leading-team-2027', undefined, now)).toEqual({ ok: false, reason: 'missing' });
    expect(await tokens.check('leading-team-2027', token, now + FORM_TOKEN_MAX_AGE_MS)).toMatchObject({
      ok: true,
    });
    expect(await tokens.check('leading-team-2027', token, now + FORM_TOKEN_MAX_AGE_MS + 1)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('stores a served form once: sent again, it comes back with its values, a fresh token and a notice', async () => {
    const s = await start();
    t = s.t;
    const token = await s.form();
    s.t.clock.advance(5000);
    expect((await s.post(token)).status).toBe(303);
    for (const email of ['second@example.org', 'third@example.org']) {
      const again = await s.post(token, validForm({ email }));
      expect(again.status).toBe(400);
      const html = await again.text();
      expect(html).toContain(formReused);
      expect(html).toContain(`value="${email}"`);
      expect(tokenOf(html)).not.toBe(token);
      expect(tokenOf(html)).not.toBe('');
    }
    expect((await counts(s.t.database.db)).applications).toBe(1);
  });

  it('sends back a form older than two hours with its values kept and a fresh token that works', async () => {
    const s = await start();
    t = s.t;
    const token = await s.form();
    s.t.clock.advance(FORM_TOKEN_MAX_AGE_MS + 1000);
    const late = await s.post(token);
    expect(late.status).toBe(400);
    const html = await late.text();
    expect(html).toContain(formExpired);
    expect(html).toContain('value="noa@example.org"');
    expect(html).toContain('עיריית ירוחם');
    expect((await counts(s.t.database.db)).applications).toBe(0);
    // An expired token is never offered to the single-use store: it is refused before that.
    expect(s.asked).toEqual([]);
    const fresh = tokenOf(html);
    expect(fresh).not.toBe(token);
    s.t.clock.advance(5000);
    expect((await s.post(fresh)).status).toBe(303);
    expect((await counts(s.t.database.db)).applications).toBe(1);
  });

  it('accepts a form just inside two hours', async () => {
    const s = await start();
    t = s.t;
    const token = await s.form();
    s.t.clock.advance(FORM_TOKEN_MAX_AGE_MS - 1000);
    expect((await s.post(token)).status).toBe(303);
  });

  it('keeps a token sent back with field errors unused, and gives the page a fresh one', async () => {
    const s = await start();
    t = s.t;
    const token = await s.form();
    const wrong = await s.post(token, validForm({ email: 'not-an-email' }));
    expect(wrong.status).toBe(400);
    expect(s.asked).toEqual([]);
    const fresh = tokenOf(await wrong.text());
    expect(fresh).not.toBe(token);
    s.t.clock.advance(5000);
    expect((await s.post(token)).status).toBe(303);
    expect((await s.post(fresh)).status).toBe(303);
  });

  it('lets a post through when the single-use store cannot answer, and logs it', async () => {
    const s = await start({ failingStore: true });
    t = s.t;
    const token = await s.form();
    s.t.clock.advance(5000);
    expect((await s.post(token)).status).toBe(303);
    expect(s.t.logs).toContainEqual(expect.objectContaining({ err: 'store unreachable' }));
  });

  it('never asks about JSON submissions: Idempotency-Key replays and edge relays retried hours later', async () => {
    const s = await start();
    t = s.t;
    const api = (headers: Record<string, string>, body: string) =>
      s.t.app.request('/api/cohorts/leading-team-2027/applications', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const body = JSON.stringify(validBody());
    const first = await api({ 'idempotency-key': 'k-1' }, body);
    expect(first.status).toBe(201);
    const replay = await api({ 'idempotency-key': 'k-1' }, body);
    expect(replay.status).toBe(201);
    expect(await replay.json()).toEqual(await first.json());

    // The edge's queue re-signs each attempt; the form's token was checked at the edge, once.
    const relayed = JSON.stringify(validBody({ email: 'relayed@example.org' }));
    const path = '/api/cohorts/leading-team-2027/applications';
    for (let attempt = 0; attempt < 3; attempt++) {
      s.t.clock.advance(3 * 3_600_000);
      const headers = await signRelay(EDGE_SECRET, {
        timestampMs: s.t.clock.now().getTime(),
        path,
        idempotencyKey: 'edge-key-1',
        clientIp: '192.0.2.7',
        flags: ['queued_at_edge'],
        body: relayed,
      });
      const res = await api({ 'idempotency-key': 'edge-key-1', ...headers }, relayed);
      expect(res.status, `attempt ${attempt}`).toBe(201);
    }
    expect(s.asked).toEqual([]);
    expect((await counts(s.t.database.db)).applications).toBe(2);
  });
});
