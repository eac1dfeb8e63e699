import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedAdmin } from '../fuzz/admin.ts';
import {
  documentedJson,
  jsonValues,
  mutatedForms,
  mutatedJson,
  newTally,
  partialWrites,
  pollution,
  rawBodies,
} from '../fuzz/properties.ts';
import { signedSlack } from '../fuzz/slack.ts';
import { sessionStaff } from '../fuzz/staff.ts';
import { buildTestApp, counts, type TestApp } from '../helpers/app.ts';

// `npm run fuzz` runs the same properties 100,000 times; FUZZ_RUNS raises the count here.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

let t: TestApp;
beforeAll(async () => {
  // Limits would turn later requests into 429s; they have tests of their own.
  const unlimited = { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
  t = await buildTestApp({ ipLimit: unlimited, emailLimit: unlimited });
});
afterAll(async () => {
  await t.close();
});

describe('random bodies never cause a 5xx or a partial write', () => {
  it('arbitrary JSON values', async () => {
    const tally = newTally();
    await jsonValues(t, RUNS, tally);
    expect(tally.requests).toBeGreaterThanOrEqual(RUNS);
    expect(await partialWrites(t.db)).toBe(0);
  });

  it('valid JSON bodies with one field mutated, added or removed', async () => {
    const tally = newTally();
    await mutatedJson(t, RUNS, tally);
    // Some mutations keep the body valid, so the property also exercises the write path.
    expect(tally.byStatus[201] ?? 0).toBeGreaterThan(0);
    expect(tally.byStatus[400] ?? 0).toBeGreaterThan(0);
    expect(await partialWrites(t.db)).toBe(0);
    const c = await counts(t.db);
    expect(c.events).toBeGreaterThanOrEqual(c.applications);
  });

  it('form posts with one field mutated, repeated or removed', async () => {
    const tally = newTally();
    await mutatedForms(t, RUNS, tally);
    expect(tally.byStatus[303] ?? 0).toBeGreaterThan(0);
    expect(await partialWrites(t.db)).toBe(0);
  });

  it('raw bytes under any content type', async () => {
    await rawBodies(t, RUNS);
    expect(await partialWrites(t.db)).toBe(0);
  });

  it('bodies drawn from the OpenAPI document, as they are or damaged: only answers it describes', async () => {
    const tally = newTally();
    await documentedJson(t, RUNS, tally);
    expect(tally.byStatus[201] ?? 0).toBeGreaterThan(0);
    expect(tally.byStatus[400] ?? 0).toBeGreaterThan(0);
    expect(await partialWrites(t.db)).toBe(0);
  });

  // Its own database, opened here: on a busy machine that alone takes seconds.
  it('admin bodies and parameters drawn from the document: only answers it describes', {
    timeout: 120_000,
  }, async () => {
    const tally = newTally();
    await documentedAdmin(RUNS, tally);
    expect(tally.byStatus[200] ?? 0).toBeGreaterThan(0);
    expect(tally.byStatus[400] ?? 0).toBeGreaterThan(0);
  });

  it('signed-in requests at the admin API and the dashboard, damaged: no 5xx, every change audited', {
    timeout: 120_000,
  }, async () => {
    const tally = newTally();
    const { done } = await sessionStaff(RUNS, tally);
    expect(tally.byStatus[200] ?? 0).toBeGreaterThan(0);
    expect(tally.byStatus[403] ?? 0).toBeGreaterThan(0);
    expect(Object.values(done).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('random Slack payloads, signed: no 5xx and no listener failure', { timeout: 120_000 }, async () => {
    const tally = newTally();
    const { warnings } = await signedSlack(RUNS, tally);
    expect(tally.byStatus[200] ?? 0).toBeGreaterThan(0);
    expect(tally.byStatus[400] ?? 0).toBeGreaterThan(0);
    // The bodies reach the listeners, which refuse what they must.
    expect(warnings['slack action refused'] ?? 0).toBeGreaterThan(0);
  });

  it('never pollutes prototypes', async () => {
    const { statuses, polluted } = await pollution(t);
    expect(statuses.slice(0, 2)).toEqual([400, 400]);
    expect(statuses.every((s) => s < 500)).toBe(true);
    expect(polluted).toBe(false);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
