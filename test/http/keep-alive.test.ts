import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleUnreadBodies } from '../../src/http/node-connection.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let server: ServerType;
let base = '';
beforeAll(async () => {
  t = await buildTestApp();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: settleUnreadBodies(t.app.fetch), port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s),
    );
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

const MB = 1024 * 1024;
const health = async () => {
  const res = await fetch(`${base}/healthz`);
  await res.arrayBuffer();
  return res.status;
};
const postIntake = (bytes: number, chunked: boolean) => {
  const body = new Uint8Array(bytes).fill(0x61);
  return fetch(`${base}/api/cohorts/leading-team-2027/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: chunked ? new Blob([body]).stream() : body,
    duplex: 'half',
  } as RequestInit);
};

// Node's own fetch (undici) with its default keep-alive pool, as the probe used it.
describe('the connection after a refused body', () => {
  for (const [size, chunked] of [
    [2, false],
    [2, true],
    [50, false],
    [50, true],
  ] as const) {
    it(`answers ${size} MB (${chunked ? 'chunked' : 'Content-Length'}) with 413, then serves the next two requests`, async () => {
      const res = await postIntake(size * MB, chunked);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      expect(await health()).toBe(200);
      expect(await health()).toBe(200);
    });
  }

  it('keeps a connection whose refused body was small enough to read, and closes one that was not', async () => {
    expect((await postIntake(2 * MB, false)).headers.get('connection')).toBe('keep-alive');
    expect((await postIntake(50 * MB, false)).headers.get('connection')).toBe('close');
    expect(await health()).toBe(200);
  });
});
