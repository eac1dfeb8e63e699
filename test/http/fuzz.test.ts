import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, counts, postJson, type TestApp, validBody } from '../helpers/app.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Every application row has its event and outbox row, or the write did not happen at all. */
async function noPartialWrites() {
  const orphans = await t.db
    .selectFrom('applications')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox')
              .select('outbox.id')
              .whereRef('outbox.application_id', '=', 'applications.id'),
          ),
        ),
        eb.not(
          eb.exists(
            eb
              .selectFrom('application_events')
              .select('application_events.id')
              .whereRef('application_events.application_id', '=', 'applications.id'),
          ),
        ),
      ]),
    )
    .execute();
  expect(orphans).toEqual([]);
}

const field = fc.constantFrom(...Object.keys(validBody()));
const weird = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  fc.constantFrom('<!channel>', '=HYPERLINK("x")', '\u202E', '__proto__', '', ' ', 'א'.repeat(6000)),
);

describe('random bodies never cause a 5xx or a partial write', () => {
  it('arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const res = await postJson(t, JSON.stringify(value));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    await noPartialWrites();
  });

  it('valid bodies with one field mutated, added or removed', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(field, weird, fc.constantFrom('set', 'delete', 'extra'), async (key, value, how) => {
        const body: Record<string, unknown> = validBody({ email: `fuzz${n++}@example.org` });
        if (how === 'set') body[key] = value;
        else if (how === 'delete') delete body[key];
        else body[`x_${key}`] = value;
        const res = await postJson(t, body);
        expect(res.status).toBeLessThan(500);
        if (res.status === 201) expect(how === 'extra').toBe(false);
      }),
      { numRuns: RUNS },
    );
    await noPartialWrites();
    const c = await counts(t.db);
    expect(c.events).toBeGreaterThanOrEqual(c.applications);
    expect(c.outbox).toBe(c.applications);
  });

  it('never pollutes prototypes', async () => {
    for (const payload of ['{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}']) {
      const res = await postJson(t, payload);
      expect(res.status).toBe(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
