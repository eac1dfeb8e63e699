// CPU time by process, read from /proc, so a bench can say where the machine's cores went per request:
// the web process, PostgreSQL (every one of its processes, the WAL writer's fsyncs included), Redis.
import { readdir, readFile } from 'node:fs/promises';

const TICK_MS = 10; // USER_HZ is 100 on Linux.

async function ticks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name may hold spaces; the fields after it are fixed: utime and stime are 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

async function pidsNamed(name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) pids.push(Number(entry));
  }
  return pids;
}

export interface CpuSample {
  web: number;
  postgres: number;
  redis: number;
}

/** CPU milliseconds so far of the web process, of all PostgreSQL processes and of the Redis server. */
export async function sampleCpu(webPid: number, redisPid: number): Promise<CpuSample> {
  const pg = await pidsNamed('postgres');
  const pgTicks = (await Promise.all(pg.map(ticks))).reduce((a, b) => a + b, 0);
  return {
    web: (await ticks(webPid)) * TICK_MS,
    postgres: pgTicks * TICK_MS,
    redis: (await ticks(redisPid)) * TICK_MS,
  };
}

/** The Redis server's own pid, as it reports it. */
export async function redisPid(info: () => Promise<string>): Promise<number> {
  return Number(/process_id:(\d+)/.exec(await info())?.[1] ?? 0);
}
