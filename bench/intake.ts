import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { openDatabase } from '../src/storage/db.ts';
import { redisPid, sampleCpu } from './cpu.ts';
import { intakeLoop } from './intake-loops.ts';
import {
  dropRedisPrefix,
  type LoadResult,
  load,
  type Row,
  round,
  rssMb,
  sampleRss,
  startServer,
} from './util.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
// Full load: 64 clients, each sending its next submission once the last is answered. With 32 the clients move
// in one wave (answered together by one commit, back together for the next), so the server sits idle between
// waves and the figure measures that rhythm more than the server; the 32-client figure stays as a row of its own.
const CONNECTIONS = 64;
const FEWER = 32;
const PACED_RATE = 1000;
const PATH = '/api/cohorts/leading-team-2027/applications';

/** Two load generators at once, one per web process, added up as one client population would see them. */
async function loadEach(
  ports: number[],
  opts: { seconds: number; connections: number },
): Promise<LoadResult> {
  const runs = await Promise.all(
    ports.map((port) =>
      load({
        url: `http://127.0.0.1:${port}${PATH}`,
        seconds: opts.seconds,
        connections: Math.ceil(opts.connections / ports.length),
      }),
    ),
  );
  const sum = (f: (r: LoadResult) => number) => runs.reduce((a, r) => a + f(r), 0);
  return {
    rps: sum((r) => r.rps),
    total: sum((r) => r.total),
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    cpuMs: sum((r) => r.cpuMs),
  };
}

const bad = (...runs: LoadResult[]) => runs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0);

/**
 * Durable intake through HTTP — the bundle `npm start` runs, the Redis limiter in the path, load from a
 * second process — beside, in the same run, a bare Hono route and the intake's own writes in bare loops:
 * one statement per submission, and batched as the commit coalescer batches.
 */
export async function benchIntake(env: {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
}): Promise<Row[]> {
  const rows: Row[] = [];
  const section = 'intake';
  const push = (row: Omit<Row, 'section'>) => rows.push({ section, ...row });

  const bare = await startServer('bare');
  const bareRun = await load({
    url: `http://127.0.0.1:${bare.port}/bare`,
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
  bare.child.kill();
  const bareRoute = { name: 'bare Hono route', value: round(bareRun.rps, 0) };

  const pgSingle = await intakeLoop({ url: env.databaseUrl, seconds: SECONDS, clients: 16, batch: 1 });
  const pgBatched = await intakeLoop({ url: env.databaseUrl, seconds: SECONDS, clients: 4, batch: 32 });
  push({
    name: 'bare loop, one statement per submission (PostgreSQL, 16 clients)',
    value: round(pgSingle, 0),
    unit: 'tx/s',
  });
  push({
    name: 'bare loop, 32 per transaction (PostgreSQL, 4 clients)',
    value: round(pgBatched, 0),
    unit: 'rows/s',
  });

  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const common = {
    BENCH_REDIS_URL: env.redisUrl,
    BENCH_PREFIX: `bench${schema}`,
    BENCH_DATA_DIR: env.dataDir,
    BENCH_DATABASE_URL: env.databaseUrl,
    BENCH_SCHEMA: schema,
  };
  const pg = await startServer('postgres', common);
  const idle = await rssMb(pg.child.pid ?? 0);
  const rss = sampleRss(pg.child.pid ?? 0);
  const url = `http://127.0.0.1:${pg.port}${PATH}`;
  // A first load warms the JIT and the pools, so the rows below measure the steady state.
  await load({ url, seconds: 2, connections: CONNECTIONS });
  const admin = new Redis(env.redisUrl);
  const redis = await redisPid(() => admin.info('server'));
  admin.disconnect();
  const cpuBefore = await sampleCpu(pg.child.pid ?? 0, redis);
  const pgRun = await load({ url, seconds: SECONDS, connections: CONNECTIONS });
  const cpuAfter = await sampleCpu(pg.child.pid ?? 0, redis);
  const keyed = await load({ url, seconds: SECONDS, connections: CONNECTIONS, idempotency: true });
  const peak = await rss.stop();
  const fewer = await load({ url, seconds: SECONDS, connections: FEWER });
  const paced = await load({ url, seconds: SECONDS, connections: CONNECTIONS, rate: PACED_RATE });

  push({
    name: 'durable submissions, PostgreSQL',
    value: round(pgRun.rps, 0),
    unit: 'req/s',
    baseline: bareRoute,
    goal: `≥ 3000 req/s; ${round((pgRun.rps / pgBatched) * 100, 0)}% of the batched loop, ${round((pgRun.rps / pgSingle) * 100, 0)}% of the single-statement loop`,
  });
  push({
    name: `durable submissions, PostgreSQL, ${FEWER} clients`,
    value: round(fewer.rps, 0),
    unit: `req/s (p99 ${fewer.p99} ms)`,
    baseline: { name: `${CONNECTIONS} clients, same run`, value: round(pgRun.rps, 0) },
  });
  push({
    name: 'durable submissions with an Idempotency-Key each, PostgreSQL',
    value: round(keyed.rps, 0),
    unit: `req/s (p99 ${keyed.p99} ms)`,
    baseline: bareRoute,
  });
  // Where the two cores went per submission: the sum bounds what this machine can do with everything on it.
  const per = (ms: number) => round(ms / Math.max(1, pgRun.total), 3);
  const cpu = {
    web: per(cpuAfter.web - cpuBefore.web),
    postgres: per(cpuAfter.postgres - cpuBefore.postgres),
    redis: per(cpuAfter.redis - cpuBefore.redis),
    load: per(pgRun.cpuMs),
  };
  const cpuTotal = round(cpu.web + cpu.postgres + cpu.redis + cpu.load, 3);
  push({
    name: 'CPU per durable submission, PostgreSQL (web + PostgreSQL + Redis + load generator)',
    value: cpuTotal,
    unit: `ms (${cpu.web} + ${cpu.postgres} + ${cpu.redis} + ${cpu.load})`,
    goal: `two cores at this cost: ${round(2000 / cpuTotal, 0)} req/s`,
  });
  push({ name: 'p50 / p99 at full load, PostgreSQL', value: pgRun.p50, unit: `ms (p99 ${pgRun.p99} ms)` });
  push({
    name: `p99 at ${PACED_RATE} req/s, PostgreSQL`,
    value: paced.p99,
    unit: `ms (p50 ${paced.p50} ms, ${round(paced.rps, 0)} req/s)`,
    goal: '< 50 ms',
  });
  push({ name: 'RSS idle (web process)', value: idle, unit: 'MB', goal: '≤ 150 MB' });
  push({ name: 'RSS peak under intake load', value: peak, unit: 'MB', goal: '≤ 300 MB' });

  // A second web process on the same PostgreSQL and Redis; on two cores it competes with the first for CPU.
  const second = await startServer('postgres', common);
  const twoRun = await loadEach([pg.port, second.port], { seconds: SECONDS, connections: CONNECTIONS });
  const oneRun = await loadEach([pg.port], { seconds: SECONDS, connections: CONNECTIONS });
  pg.child.kill();
  second.child.kill();
  push({
    name: 'durable submissions, two web processes, PostgreSQL',
    value: round(twoRun.rps, 0),
    unit: `req/s (p99 ${twoRun.p99} ms)`,
    baseline: { name: 'one web process, same run', value: round(oneRun.rps, 0) },
  });

  const liteDir = `${env.dataDir}/pglite-${schema}`;
  const liteSingle = await intakeLoop({ pglite: liteDir, seconds: SECONDS, clients: 1, batch: 1 });
  const liteBatched = await intakeLoop({ pglite: liteDir, seconds: SECONDS, clients: 1, batch: 32 });
  push({
    name: 'bare loop, one statement per submission (PGlite)',
    value: round(liteSingle, 0),
    unit: 'tx/s',
  });
  push({ name: 'bare loop, 32 per transaction (PGlite)', value: round(liteBatched, 0), unit: 'rows/s' });
  const lite = await startServer('pglite', { ...common, BENCH_DATA_DIR: liteDir });
  await load({ url: `http://127.0.0.1:${lite.port}${PATH}`, seconds: 2, connections: CONNECTIONS });
  const liteRun = await load({
    url: `http://127.0.0.1:${lite.port}${PATH}`,
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
  lite.child.kill();
  push({
    name: 'durable submissions, PGlite',
    value: round(liteRun.rps, 0),
    unit: `req/s (p50 ${liteRun.p50} ms, p99 ${liteRun.p99} ms)`,
    baseline: bareRoute,
    goal: `≥ 1500 req/s; ${round((liteRun.rps / liteBatched) * 100, 0)}% of its batched loop`,
  });
  push({
    name: 'non-2xx / errors under load',
    value: bad(pgRun, keyed, fewer, paced, twoRun, oneRun, liteRun),
    unit: 'responses',
    goal: '0',
  });

  const cleanup = await openDatabase({ url: env.databaseUrl, schema });
  await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(cleanup.db);
  await cleanup.close();
  await dropRedisPrefix(env.redisUrl, common.BENCH_PREFIX);
  return rows;
}
