// `npm run bench`: every figure beside a baseline measured in the same run; prints a table and writes
// bench/results.json. Load goes to 127.0.0.1 only, and every part stops by itself.
import { execSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchCalendar } from './calendar.ts';
import { benchCheckins } from './checkins.ts';
import { benchCosts } from './costs.ts';
import { benchIntake } from './intake.ts';
import { benchPipeline } from './pipeline.ts';
import { benchSlack } from './slack.ts';
import type { Row } from './util.ts';

const env = {
  databaseUrl:
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  dataDir: process.env.BENCH_DATA_DIR ?? './data/bench',
};

type Section = { name: string; run: () => Promise<Row[]> };
const sections: Section[] = [
  { name: 'intake', run: () => benchIntake(env) },
  { name: 'pipeline', run: () => benchPipeline(env) },
  { name: 'calendar', run: () => benchCalendar() },
  { name: 'slack', run: () => benchSlack() },
  { name: 'checkins', run: () => benchCheckins(env) },
  { name: 'costs', run: () => benchCosts(env) },
];

const only = process.argv.slice(2);
const rows: Row[] = [];
for (const section of sections) {
  if (only.length > 0 && !only.includes(section.name)) continue;
  process.stderr.write(`bench: ${section.name}…\n`);
  try {
    rows.push(...(await section.run()));
  } catch (error) {
    rows.push({ section: section.name, name: 'FAILED', value: Number.NaN, unit: (error as Error).message });
  }
}

const table = rows.map((r) => ({
  section: r.section,
  measure: r.name,
  value: `${r.value} ${r.unit}`,
  baseline: r.baseline ? `${r.baseline.value} (${r.baseline.name})` : '',
  goal: r.goal ?? '',
}));
console.table(table);

let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch {}
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? '',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
await writeFile(
  join(import.meta.dirname, 'results.json'),
  `${JSON.stringify({ at: new Date().toISOString(), commit, machine, rows }, null, 2)}\n`,
);
console.log(
  `machine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}; commit ${commit}`,
);
process.exit(0);
