import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingRedis } from '../../src/jobs/local-redis.ts';

export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on 127.0.0.1, so a test may FLUSHALL without touching anyone else. With
 * a port, on that one: a server stopped earlier comes back where its clients reconnect.
 */
export async function startPrivateRedis(onPort?: number): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'kehila-redis-'));
  for (let attempt = 0; attempt < (onPort ? 1 : 10); attempt++) {
    const port = onPort ?? 20_000 + Math.floor(Math.random() * 20_000);
    if (await pingRedis({ port })) continue;
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    for (let i = 0; i < 60; i++) {
      if (await pingRedis({ port }, 200)) {
        return {
          url: `redis://127.0.0.1:${port}`,
          port,
          async stop() {
            child.kill('SIGKILL');
            await exited;
            await rm(dir, { recursive: true, force: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
  }
  throw new Error('could not start a private redis-server');
}
