import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { validateApplication } from '../src/domain/application.ts';
import { openDatabase } from '../src/storage/db.ts';
import { store } from '../src/usecases/submit-application.ts';
import { loadWorkflows } from '../workflows/index.ts';
import { load, type Row, round, rssMb, sampleRss, startServer } from './util.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 32;

/** The ceiling: the intake statement alone, in a loop with as many clients as the web pool has. */
async function bareLoop(url: string, seconds: number): Promise<number> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const { db, close } = await openDatabase({ url, schema, poolSize: 16 });
  const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
  let n = 0;
  const until = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < until) {
      const v = validateApplication(cohort, {
        fullName: 'נועה כהן',
        email: `loop-${schema}-${n++}@example.org`,
        phone: '050-7234567',
        organisation: 'עיריית ירוחם',
        roleTitle: 'מנהלת',
        sector: 'local-authority',
        region: 'south',
        motivation: 'אני רוצה לקדם חינוך מדעי בנגב ולחבר בין רשויות.',
        consent: true,
      });
      if (!v.ok) throw new Error('bench body invalid');
      await store(
        db,
        cohort.id,
        cohort.referencePrefix,
        v.value,
        { cohortId: cohort.id, body: {}, source: 'api' },
        new Date(),
      );
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: 16 }, worker));
  const rate = n / ((Date.now() - started) / 1000);
  await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db);
  await close();
  return rate;
}

/** Durable intake through HTTP against PostgreSQL and PGlite, beside a bare route and the bare loop. */
export async function benchIntake(env: {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
}): Promise<Row[]> {
  const rows: Row[] = [];
  const section = 'intake';

  const bare = await startServer('bare');
  const bareRun = await load({
    url: `http://127.0.0.1:${bare.port}/bare`,
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
  bare.child.kill();

  const ceiling = await bareLoop(env.databaseUrl, SECONDS);
  rows.push({
    section,
    name: 'bare loop of the intake statement (PostgreSQL, 16 clients)',
    value: round(ceiling, 0),
    unit: 'tx/s',
  });

  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const common = {
    BENCH_REDIS_URL: env.redisUrl,
    BENCH_PREFIX: `bench${schema}`,
    BENCH_DATA_DIR: env.dataDir,
  };
  const pg = await startServer('postgres', {
    ...common,
    BENCH_DATABASE_URL: env.databaseUrl,
    BENCH_SCHEMA: schema,
  });
  const idle = await rssMb(pg.child.pid ?? 0);
  const rss = sampleRss(pg.child.pid ?? 0);
  const url = `http://127.0.0.1:${pg.port}/api/cohorts/leading-team-2027/applications`;
  const pgRun = await load({ url, seconds: SECONDS, connections: CONNECTIONS });
  const peak = await rss.stop();
  const paced = await load({ url, seconds: SECONDS, connections: 16, rate: 500 });
  pg.child.kill();

  rows.push({
    section,
    name: 'durable submissions, PostgreSQL',
    value: round(pgRun.rps, 0),
    unit: 'req/s',
    baseline: { name: 'bare Hono route', value: round(bareRun.rps, 0) },
    goal: `≥ 3000 req/s and ≥ 45% of the bare loop (${round((pgRun.rps / ceiling) * 100, 0)}%)`,
  });
  rows.push({
    section,
    name: 'p50 / p99 at full load, PostgreSQL',
    value: pgRun.p50,
    unit: `ms (p99 ${pgRun.p99} ms)`,
  });
  rows.push({
    section,
    name: 'p99 at 500 req/s, PostgreSQL',
    value: paced.p99,
    unit: `ms (p50 ${paced.p50} ms, ${round(paced.rps, 0)} req/s)`,
    goal: '< 50 ms',
  });
  rows.push({
    section,
    name: 'non-2xx / errors under load',
    value: pgRun.non2xx + pgRun.errors + paced.non2xx + paced.errors,
    unit: 'responses',
  });
  rows.push({ section, name: 'RSS idle (web process)', value: idle, unit: 'MB', goal: '≤ 150 MB' });
  rows.push({ section, name: 'RSS peak under intake load', value: peak, unit: 'MB', goal: '≤ 300 MB' });

  const lite = await startServer('pglite', { ...common, BENCH_DATA_DIR: `${env.dataDir}/pglite-${schema}` });
  const liteRun = await load({
    url: `http://127.0.0.1:${lite.port}/api/cohorts/leading-team-2027/applications`,
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
  lite.child.kill();
  rows.push({
    section,
    name: 'durable submissions, PGlite',
    value: round(liteRun.rps, 0),
    unit: `req/s (p50 ${liteRun.p50} ms, p99 ${liteRun.p99} ms)`,
    baseline: { name: 'bare Hono route', value: round(bareRun.rps, 0) },
  });

  const cleanup = await openDatabase({ url: env.databaseUrl, schema });
  await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(cleanup.db);
  await cleanup.close();
  return rows;
}
