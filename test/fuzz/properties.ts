// The intake fuzz properties, shared by the test suite (a few hundred runs) and `npm run fuzz` (100,000).
// They throw plain errors rather than using a test runner's expect, so both can run them.
import fc from 'fast-check';
import { formTokens } from '../../src/http/form-token.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { counts, FORM_SECRET, ORIGIN, postJson, type TestApp, validBody, validForm } from '../helpers/app.ts';
import { answerOf, documentChecker, type JsonSchema, type OpenApiDocument } from '../helpers/openapi.ts';
import { arbitraryFor, mutated } from './from-schema.ts';

export interface FuzzTally {
  requests: number;
  byStatus: Record<number, number>;
}

export const newTally = (): FuzzTally => ({ requests: 0, byStatus: {} });

/** Counts an answer; throws on a 5xx. */
export function record(tally: FuzzTally, status: number, what: string) {
  tally.requests++;
  tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
  if (status >= 500) throw new Error(`${what} answered ${status}`);
}

const field = fc.constantFrom(...Object.keys(validBody()));
const hostile = fc.constantFrom(
  '<!channel>',
  '=HYPERLINK("x")',
  '\u202E',
  '__proto__',
  'constructor',
  '',
  ' ',
  '\u0000',
  '\uD800',
  'א'.repeat(6000),
  '<script>alert(1)</script>',
);
/** Anything a field might be sent instead of what it should be. */
export const weird = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  hostile,
);
const formValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  hostile,
  fc.array(fc.oneof(fc.string(), hostile), { maxLength: 4 }),
);

/** Arbitrary JSON documents to the JSON API. */
export function jsonValues(t: TestApp, runs: number, tally = newTally()) {
  return fc.assert(
    fc.asyncProperty(fc.jsonValue(), async (value) => {
      const res = await postJson(t, JSON.stringify(value));
      record(tally, res.status, 'JSON value');
    }),
    { numRuns: runs },
  );
}

/** Valid JSON bodies with one field replaced, removed or an unknown one added; only the first can succeed. */
export function mutatedJson(t: TestApp, runs: number, tally = newTally()) {
  let n = 0;
  return fc.assert(
    fc.asyncProperty(field, weird, fc.constantFrom('set', 'delete', 'extra'), async (key, value, how) => {
      const body: Record<string, unknown> = validBody({ email: `fuzz${n++}@example.org` });
      if (how === 'set') body[key] = value;
      else if (how === 'delete') delete body[key];
      else body[`x_${key}`] = value;
      const res = await postJson(t, body);
      record(tally, res.status, 'mutated JSON');
      if (res.status === 201 && how === 'extra') throw new Error('an unknown field was accepted');
    }),
    { numRuns: runs },
  );
}

/** The document the app serves, and a checker of answers against it. */
export async function servedDocument(app: TestApp['app']) {
  const document = (await (await app.request('/api/openapi.json')).json()) as OpenApiDocument;
  return { document, checker: documentChecker(document) };
}

/** The JSON request schema of one operation in the document. */
export const requestSchemaOf = (document: OpenApiDocument, method: string, path: string) =>
  document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema as JsonSchema;

// A few keys used again and again, so that replays and conflicting reuses happen; and some the route refuses.
const idempotencyKey = fc.option(
  fc.oneof(
    { arbitrary: fc.constantFrom('key-1', 'key-2', 'key-3'), weight: 2 },
    { arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,40}$/), weight: 2 },
    { arbitrary: fc.constantFrom('', 'a b', 'x'.repeat(201)), weight: 1 },
  ),
);

/**
 * Bodies drawn from the document's request schema of the intake, as they are or damaged in one place. Every
 * answer must be one the document describes: a documented status, its headers, a body of its schema.
 */
export async function documentedJson(t: TestApp, runs: number, tally = newTally()) {
  const { document, checker } = await servedDocument(t.app);
  const path = '/api/cohorts/{cohort}/applications';
  const bodies = mutated(arbitraryFor(document, requestSchemaOf(document, 'post', path)), weird);
  return fc.assert(
    fc.asyncProperty(bodies, idempotencyKey, async ({ body, mutation }, key) => {
      const answer = await answerOf(t.app, '/api/cohorts/leading-team-2027/applications', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) },
        body: JSON.stringify(body),
      });
      record(tally, answer.status, `document-drawn JSON (${mutation})`);
      const problems = checker.problems(answer);
      if (problems.length > 0)
        throw new Error(`an answer the document does not describe: ${problems.join('; ')}`);
    }),
    { numRuns: runs },
  );
}

/**
 * Valid form posts with one field replaced, repeated or removed, and now and then a damaged token. Each body
 * carries a token of its own, minted as the form page mints it five seconds before, since a deployment takes
 * each token once.
 */
export async function mutatedForms(t: TestApp, runs: number, tally = newTally()) {
  const tokens = formTokens(FORM_SECRET);
  let n = 0;
  const keys = fc.constantFrom(...Object.keys(validForm()), 'formToken', 'website', '__proto__');
  return fc.assert(
    fc.asyncProperty(keys, formValue, fc.constantFrom('set', 'delete', 'repeat'), async (key, value, how) => {
      const issuedAt = t.clock.now().getTime() - 5000;
      const fields: Record<string, string | string[]> = {
        ...validForm({ email: `form${n++}@example.org` }),
        formToken: await tokens.issue('leading-team-2027', issuedAt),
      };
      if (how === 'set') fields[key] = value;
      else if (how === 'delete') delete fields[key];
      else fields[key] = [...[fields[key] ?? []].flat(), ...[value].flat()];
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) form.append(k, item);
      const res = await t.app.request('/apply/leading-team-2027', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: form.toString(),
      });
      record(tally, res.status, 'mutated form');
    }),
    { numRuns: runs },
  );
}

/** Raw bytes under every content type either route might meet. */
export function rawBodies(t: TestApp, runs: number, tally = newTally()) {
  const type = fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/plain',
    'application/json; charset=latin1',
    '',
  );
  const route = fc.constantFrom(
    '/apply/leading-team-2027',
    '/api/cohorts/leading-team-2027/applications',
    '/apply/nope',
  );
  return fc.assert(
    fc.asyncProperty(route, type, fc.uint8Array({ maxLength: 2000 }), async (path, contentType, bytes) => {
      const res = await t.app.request(path, {
        method: 'POST',
        headers: { ...(contentType ? { 'content-type': contentType } : {}), origin: ORIGIN },
        body: bytes,
      });
      record(tally, res.status, `raw ${contentType || 'untyped'} body to ${path}`);
    }),
    { numRuns: runs },
  );
}

/** Every stored application has its timeline entry and its outbox row: a write happened whole or not at all. */
export async function partialWrites(db: OpenedDatabase['db']): Promise<number> {
  const orphans = await db
    .selectFrom('applications')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox')
              .select('outbox.id')
              .whereRef('outbox.application_id', '=', 'applications.id')
              .where('outbox.job_id', 'like', 'intake-%'),
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
  // Each application has exactly one intake job; a repeat may add a notice job of its own, which is no
  // partial write.
  const intakeJobs = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('job_id', 'like', 'intake-%')
    .executeTakeFirstOrThrow();
  const c = await counts(db);
  return orphans.length + Math.abs(Number(intakeJobs.n) - c.applications);
}

/** Bodies that try to reach Object.prototype; returns what the API answered and whether anything leaked. */
export async function pollution(t: TestApp): Promise<{ statuses: number[]; polluted: boolean }> {
  const statuses: number[] = [];
  for (const payload of [
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    JSON.stringify({ ...validBody({ email: 'proto@example.org' }), topics: ['__proto__'] }),
  ]) {
    statuses.push((await postJson(t, payload)).status);
  }
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(validForm({ email: 'proto-form@example.org' })))
    for (const item of [v].flat()) form.append(k, item);
  form.append('__proto__[polluted]', '1');
  form.append('constructor[prototype][polluted]', '1');
  statuses.push(
    (
      await t.app.request('/apply/leading-team-2027', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: form.toString(),
      })
    ).status,
  );
  const polluted =
    'polluted' in ({} as Record<string, unknown>) || Object.hasOwn(Object.prototype, 'polluted');
  return { statuses, polluted };
}
