import { spawn } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { RedisTarget } from './redis.ts';

/** Answers whether something speaking Redis listens there. */
export function pingRedis(
  opts: { host?: string; port?: number; path?: string },
  timeoutMs = 500,
): Promise<boolean> {
  return new Promise((done) => {
    const socket = opts.path ? connect(opts.path) : connect(opts.port ?? 6379, opts.host ?? '127.0.0.1');
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => finish(d.toString().startsWith('+PONG')));
  });
}

async function onPath(binary: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    try {
      await access(candidate);
      return candidate;
    } catch {}
  }
  return null;
}

export class RedisUnavailableError extends Error {}

/**
 * The Redis to use: REDIS_URL when set; otherwise one on 127.0.0.1:6379; otherwise a private redis-server
 * from the PATH with its data (AOF on) under the data folder, on a unix socket, stopped when we stop.
 */
export async function ensureRedis(opts: { url?: string | undefined; dataDir: string }): Promise<{
  target: RedisTarget;
  stop(): Promise<void>;
  started: boolean;
}> {
  const none = { stop: async () => {}, started: false };
  if (opts.url) return { target: { url: opts.url }, ...none };
  if (await pingRedis({})) return { target: { url: 'redis://127.0.0.1:6379' }, ...none };
  const binary = await onPath('redis-server');
  if (!binary) {
    throw new RedisUnavailableError(
      'No Redis answers on 127.0.0.1:6379 and no redis-server is on the PATH. Install one ' +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
    );
  }
  const dir = resolve(opts.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const socket = join(dir, 'redis.sock');
  const child = spawn(
    binary,
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 100; i++) {
    if (await pingRedis({ path: socket }, 200)) {
      return {
        target: { path: socket },
        started: true,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`redis-server did not start (socket ${socket})`);
}
