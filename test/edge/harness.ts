import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { build } from 'esbuild';
import type { Hono } from 'hono';
import { Miniflare } from 'miniflare';
import { parse } from 'smol-toml';

const root = join(import.meta.dirname, '..', '..');

/** The Worker as wrangler would bundle it: one ES module, browser conditions, no Node built-ins. */
export async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [join(root, 'src/edge/worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]?.text ?? '';
}

interface WranglerToml {
  compatibility_date: string;
  vars: Record<string, string>;
  queues: {
    producers: { binding: string; queue: string }[];
    consumers: { queue: string; max_batch_size?: number; max_retries?: number; dead_letter_queue?: string }[];
  };
  kv_namespaces: { binding: string; id: string }[];
}

export async function readWranglerToml(): Promise<WranglerToml> {
  return parse(await readFile(join(root, 'wrangler.toml'), 'utf8')) as unknown as WranglerToml;
}

/** Miniflare configured from wrangler.toml, with test values over its vars and faster queues. */
export async function startEdge(
  script: string,
  vars: Record<string, string>,
  queue: { maxRetries?: number } = {},
): Promise<Miniflare> {
  const toml = await readWranglerToml();
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: toml.compatibility_date,
    bindings: { ...toml.vars, ...vars },
    queueProducers: Object.fromEntries(toml.queues.producers.map((p) => [p.binding, { queueName: p.queue }])),
    queueConsumers: Object.fromEntries(
      toml.queues.consumers.map((c) => [
        c.queue,
        {
          maxBatchSize: c.max_batch_size,
          maxBatchTimeout: 1,
          maxRetries: queue.maxRetries ?? c.max_retries,
          ...(c.dead_letter_queue ? { deadLetterQueue: c.dead_letter_queue } : {}),
        },
      ]),
    ),
    kvNamespaces: Object.fromEntries(toml.kv_namespaces.map((k) => [k.binding, k.id])),
  });
  await mf.ready;
  return mf;
}

export type GateMode = 'up' | 'down' | 'slow';

export interface RecordedRelay {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The core behind a switch: 'up' serves it, 'down' hangs then answers 503 (the core is away), 'slow' lets the
 * core store the submission but answers after the edge has given up. Every request is recorded.
 */
export async function gatedCore(
  core: Hono<never> | { fetch: (req: Request) => Response | Promise<Response> },
) {
  const state = { mode: 'up' as GateMode, delayMs: 2500, relays: [] as RecordedRelay[] };
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => {
      const body = await req.text();
      state.relays.push({ path: new URL(req.url).pathname, headers: Object.fromEntries(req.headers), body });
      const forward = () =>
        core.fetch(
          new Request(req.url, { method: req.method, headers: req.headers, body: body || undefined }),
        );
      const wait = () => new Promise((r) => setTimeout(r, state.delayMs));
      if (state.mode === 'down') {
        await wait();
        return new Response('core away', { status: 503 });
      }
      if (state.mode === 'slow') {
        const res = await forward();
        await wait();
        return res;
      }
      return forward();
    },
  }) as Server;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A stand-in for Turnstile's siteverify that answers as told. */
export async function fakeSiteverify() {
  const state = { success: true, calls: 0 };
  const server = createServer((req, res) => {
    state.calls += 1;
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify(
          state.success ? { success: true } : { success: false, 'error-codes': ['invalid-input-response'] },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    url: `http://127.0.0.1:${port}/siteverify`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
