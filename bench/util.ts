import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface Row {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  goal?: string;
}

const here = import.meta.dirname;

// The flags `npm start` runs with (package.json): a smaller young generation keeps the peak under load
// about 70 MB lower for a throughput cost within the run-to-run noise.
const START_FLAGS = '--max-semi-space-size=8';

/** The flags as `fork` takes them (BENCH_NODE_FLAGS overrides them for an experiment). */
export const startFlags = () => (process.env.BENCH_NODE_FLAGS ?? START_FLAGS).split(' ').filter(Boolean);

const built = new Map<string, string>();
/**
 * A bench entry (`server`, `chaos-process`) bundled as `npm start` bundles the service, so memory, start-up
 * and recovery are measured as they are in production, not through a transpiler loaded at start.
 */
export function bundled(entry: 'server' | 'chaos-process'): string {
  let script = built.get(entry);
  if (!script) {
    execFileSync(
      process.execPath,
      [join(here, '..', 'scripts', 'build.mjs'), join(here, '.build'), join(here, `${entry}.ts`)],
      { stdio: 'inherit' },
    );
    script = join(here, '.build', `${entry}.mjs`);
    built.set(entry, script);
  }
  return script;
}

/** Starts `bench/server.ts` (bundled) in a child process and resolves once it prints its port. */
export function startServer(
  mode: string,
  env: Record<string, string> = {},
): Promise<{ port: number; child: ChildProcess }> {
  const script = bundled('server');
  return new Promise((resolve, reject) => {
    const child = fork(script, [mode], {
      execArgv: startFlags(),
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    });
    child.once('exit', (code) => reject(new Error(`bench server ${mode} exited with ${code}`)));
  });
}

export interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU the load generator itself used while it ran. */
  cpuMs: number;
}

/** Runs autocannon in a second process against 127.0.0.1 and returns its summary. */
export function load(opts: {
  url: string;
  seconds: number;
  connections: number;
  rate?: number;
  idempotency?: boolean;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, 'load.ts'), [JSON.stringify(opts)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
  });
}

/** Resident set size of a process in MB, from /proc. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Samples a process's RSS until stopped; returns the peak. */
export function sampleRss(pid: number): { stop(): Promise<number> } {
  let peak = 0;
  const timer = setInterval(async () => {
    peak = Math.max(peak, await rssMb(pid));
  }, 250);
  return {
    async stop() {
      clearInterval(timer);
      return Math.max(peak, await rssMb(pid));
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Removes every Redis key under a prefix: a bench's queues and limits must not outlive it in a shared Redis. */
export async function dropRedisPrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  let dropped = 0;
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<
      string[]
    >) {
      if (keys.length === 0) continue;
      dropped += await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
  return dropped;
}
