// The admin API's fuzz: bodies and parameters drawn from the document's admin operations, against the admin
// API mounted as the service mounts it, over a database of its own (votes and decisions write outbox rows of
// their own, which the intake's partial-write check would count).
import fc from 'fast-check';
import { sql } from 'kysely';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryFailureLimiter, memoryRateLimiter } from '../../src/http/rate-limit.ts';
import { adminApi } from '../../src/http/routes/admin-api.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { ORIGIN, validBody } from '../helpers/app.ts';
import { answerOf } from '../helpers/openapi.ts';
import { arbitraryFor, type Hints, mutated } from './from-schema.ts';
import { type FuzzTally, newTally, record, requestSchemaOf, servedDocument, weird } from './properties.ts';

const TOKEN = 'admin-token-for-the-fuzz-0123456789';
const APPLICATIONS = 12;
const REVIEWERS = [
  { name: 'Dana', slackId: 'UDANA0001', email: 'dana@example.org' },
  { name: 'Avi', slackId: 'UAVI00001', email: 'avi@example.org' },
  { name: 'Rina', slackId: 'URINA0001', email: 'rina@example.org' },
];

/** The service's web app with the admin API mounted over `database`, a dozen applications in review. */
async function adminApp(database: OpenedDatabase) {
  const workflows = loadWorkflows({ cohorts: { 'leading-team-2027': { review: { reviewers: REVIEWERS } } } });
  const clock = () => new Date();
  const unlimited = memoryRateLimiter({ limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 });
  const quiet = { info() {}, warn() {}, error() {} };
  const app = createApp({
    workflows,
    publicUrl: ORIGIN,
    clock,
    formTokens: formTokens('a-test-secret-of-enough-length'),
    limits: { ip: unlimited, email: unlimited },
    clientIp: () => '203.0.113.9',
    submit: (req) => submitApplication({ db: database.db, workflows, clock }, req),
    readiness: async () => ({}),
    logger: quiet,
    mounts: [
      {
        path: '/admin/api',
        app: adminApi({
          db: database.db,
          workflows,
          clock,
          publicUrl: ORIGIN,
          token: TOKEN,
          // High enough that the fuzz's occasional wrong token is answered 401; the limit has its own tests.
          tokenFailures: memoryFailureLimiter({ limit: 1000, windowMs: 60_000 }),
          clientIp: () => '203.0.113.9',
          poke: () => {},
        }),
      },
    ],
  });
  const ids: string[] = [];
  for (let i = 0; i < APPLICATIONS; i++) {
    const body = createdBody(
      await submitApplication(
        { db: database.db, workflows, clock },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: validBody({ email: `admin-fuzz${i}@example.org` }),
        },
      ),
    );
    ids.push(body.id);
  }
  // No worker screens them here; in review is where votes and decisions apply.
  await sql`UPDATE applications SET status = 'in_review'`.execute(database.db);
  return { app, ids };
}

// A path segment that is not a known id but still reaches the route: no slash, and not a dot segment.
const strangeSegment = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((s) => s !== '.' && s !== '..')
  .map(encodeURIComponent);

/**
 * Votes, decisions, withdrawals and retries with bodies and parameters drawn from the document, as they are
 * or damaged in one place, now and then without the token. Every answer must be one the document describes.
 */
export async function documentedAdmin(
  runs: number,
  tally: FuzzTally = newTally(),
  database?: OpenedDatabase,
) {
  const opened = database ?? (await openDatabase({ dataDir: 'memory' }));
  try {
    const { app, ids } = await adminApp(opened);
    const { document, checker } = await servedDocument(app);
    const hints: Hints = {
      'reviewer.slackId': fc.constantFrom(...REVIEWERS.map((r) => r.slackId)),
      'reviewer.email': fc.constantFrom(...REVIEWERS.map((r) => r.email)),
    };
    const bodyFor = (path: string) =>
      mutated(arbitraryFor(document, requestSchemaOf(document, 'post', path), hints), weird);
    const retry = document.paths['/admin/api/applications/{id}/steps/{step}/retry']?.post;
    const stepEnum = (retry?.parameters?.find((p) => p.name === 'step')?.schema.enum ?? []) as string[];
    const operation = fc.oneof(
      ...(['decision', 'withdraw'] as const).map((name) =>
        bodyFor(`/admin/api/applications/{id}/${name}`).map(({ body, mutation }) => ({
          suffix: name,
          body: body as unknown,
          mutation: mutation as string,
        })),
      ),
      fc
        .oneof(fc.constantFrom(...stepEnum), strangeSegment)
        .map((step) => ({ suffix: `steps/${step}/retry`, body: undefined as unknown, mutation: 'none' })),
    );
    const id = fc.oneof(
      { arbitrary: fc.constantFrom(...ids), weight: 6 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: strangeSegment, weight: 1 },
    );
    const token = fc.oneof(
      { arbitrary: fc.constant(TOKEN), weight: 18 },
      { arbitrary: fc.constantFrom('not-the-token', null), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(operation, id, token, async (op, target, bearer) => {
        const answer = await answerOf(app, `/admin/api/applications/${target}/${op.suffix}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
          },
          ...(op.body === undefined ? {} : { body: JSON.stringify(op.body) }),
        });
        record(tally, answer.status, `admin ${op.suffix} (${op.mutation})`);
        const problems = checker.problems(answer);
        if (problems.length > 0)
          throw new Error(`an answer the document does not describe: ${problems.join('; ')}`);
      }),
      { numRuns: runs },
    );
  } finally {
    // A database handed in belongs to the caller.
    if (!database) await opened.close();
  }
}
