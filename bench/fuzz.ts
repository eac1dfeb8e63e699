// `npm run fuzz`: the fuzz properties of the test suite, 100,000 bodies in all (FUZZ_N), against the form,
// the JSON API, the admin API and the dashboard (signed in through a session) and /slack/events (every body
// signed as Slack signs it) over a real database, some drawn from the API's own OpenAPI document. Prints what
// came back and exits 1 on any 5xx, any answer the document does not describe, a listener failure, partial
// write, unaudited change or prototype pollution.

import { sql } from 'kysely';
import { openDatabase } from '../src/storage/db.ts';
import { documentedAdmin } from '../test/fuzz/admin.ts';
import {
  documentedJson,
  type FuzzTally,
  jsonValues,
  mutatedForms,
  mutatedJson,
  newTally,
  partialWrites,
  pollution,
  rawBodies,
} from '../test/fuzz/properties.ts';
import { signedSlack } from '../test/fuzz/slack.ts';
import { sessionStaff } from '../test/fuzz/staff.ts';
import { buildTestApp, type TestApp } from '../test/helpers/app.ts';

const N = Number(process.env.FUZZ_N ?? process.argv[2] ?? 100_000);
const unlimited = { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
const database = process.env.FUZZ_DATABASE_URL
  ? await openDatabase({ url: process.env.FUZZ_DATABASE_URL, schema: `fuzz_${Date.now().toString(36)}` })
  : await openDatabase({ dataDir: 'memory' });
const t = await buildTestApp({ database, ipLimit: unlimited, emailLimit: unlimited });
// The admin API's votes and decisions write outbox rows of their own, so it gets a database apart, opened
// before the clock starts.
const adminDatabase = process.env.FUZZ_DATABASE_URL
  ? await openDatabase({
      url: process.env.FUZZ_DATABASE_URL,
      schema: `fuzz_admin_${Date.now().toString(36)}`,
    })
  : await openDatabase({ dataDir: 'memory' });
// The dashboard's and Slack's own databases, for the same reason.
const apart = (name: string) =>
  process.env.FUZZ_DATABASE_URL
    ? openDatabase({ url: process.env.FUZZ_DATABASE_URL, schema: `fuzz_${name}_${Date.now().toString(36)}` })
    : openDatabase({ dataDir: 'memory' });
const staffDatabase = await apart('staff');
const slackDatabase = await apart('slack');

type Property = (t: TestApp, n: number, tally: FuzzTally) => Promise<unknown>;
const properties: [string, Property][] = [
  ['arbitrary JSON values → API', jsonValues],
  ['valid JSON, one field mutated → API', mutatedJson],
  ['valid form, one field mutated → form', mutatedForms],
  ['raw bytes, any content type → both', rawBodies],
  ['drawn from the document, often damaged → API', documentedJson],
  [
    'drawn from the document, often damaged → admin API',
    (_, n, tally) => documentedAdmin(n, tally, adminDatabase),
  ],
  [
    'signed in, damaged ids, queries and forms → admin API and dashboard',
    (_, n, tally) => sessionStaff(n, tally, staffDatabase),
  ],
  [
    'random payloads, signed as Slack signs them → /slack/events',
    (_, n, tally) => signedSlack(n, tally, slackDatabase),
  ],
];
const share = Math.ceil(N / properties.length);
const rows: Record<string, string | number>[] = [];
let failed = false;
const started = performance.now();
for (const [name, property] of properties) {
  const tally = newTally();
  const t0 = performance.now();
  const error = await property(t, share, tally).then(
    () => null,
    (e: Error) => e,
  );
  const seconds = (performance.now() - t0) / 1000;
  const statuses = Object.entries(tally.byStatus)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  rows.push({
    property: name,
    bodies: tally.requests,
    perSecond: Math.round(tally.requests / seconds),
    statuses,
  });
  if (error) {
    failed = true;
    console.error(`${name}: ${error.message}`);
  }
}
const partial = await partialWrites(t.db);
const proto = await pollution(t);
console.table(rows);
const total = rows.reduce((n, r) => n + Number(r.bodies), 0);
console.log(
  `fuzz: ${total} bodies in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `5xx or undocumented answers: ${failed ? 'SOME' : 0}; partial writes: ${partial}; prototype polluted: ${proto.polluted ? 'yes' : 'no'} ` +
    `(pollution attempts answered ${proto.statuses.join(', ')})`,
);
await t.close();
for (const opened of [database, adminDatabase, staffDatabase, slackDatabase]) {
  // Its schemas are the run's own: a shared PostgreSQL is left as it was found.
  if (opened.kind === 'postgres') await sql`DROP SCHEMA ${sql.id(opened.schema)} CASCADE`.execute(opened.db);
  await opened.close();
}
process.exit(failed || partial > 0 || proto.polluted ? 1 : 0);
