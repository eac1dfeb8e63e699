import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noSlack } from '../../integrations/noop.ts';
import { SLACK_BODY_LIMIT_BYTES, STAFF_BODY_LIMIT_BYTES } from '../../src/http/body-limit.ts';
import { adminPages } from '../../src/http/routes/admin-pages.tsx';
import { signInRoutes } from '../../src/http/routes/signin.tsx';
import { HonoReceiver } from '../../src/slack/receiver.ts';
import type { Workflows } from '../../workflows/index.ts';
import { SIGNING_SECRET, slackHeaders } from '../helpers/slack-sign.ts';
import { memorySignInLimits, staffCookie } from '../helpers/staff.ts';
import { type BuiltApp, buildApp } from './support.ts';

const ORIGIN = 'http://localhost:3000';
const CHUNK = 16 * 1024;
const FIFTY_MB = 50 * 1024 * 1024;

/** A body made as it is pulled, counting what the server pulled: the bytes it read, not what it was sent. */
function countedBody(total: number) {
  let read = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (read >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(CHUNK, total - read)).fill(0x61);
      read += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, read: () => read };
}

let t: BuiltApp;
const sessions = (db: BuiltApp['database']['db'], workflows: Workflows) => ({
  db,
  clock: () => t.clock.now(),
  staff: () => workflows.staff,
});
const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);
beforeAll(async () => {
  t = await buildApp(({ database, workflows, clock }) => ({
    mounts: [
      {
        path: '/slack',
        app: new HonoReceiver({
          signingSecret: SIGNING_SECRET,
          clock: clock.now,
          logger: pino({ level: 'silent' }),
        }).routes(),
      },
      {
        path: '/admin',
        app: signInRoutes({
          sessions: sessions(database.db, workflows),
          publicUrl: ORIGIN,
          limits: memorySignInLimits(),
          clientIp: () => '203.0.113.9',
        }),
      },
      {
        path: '/admin',
        app: adminPages({
          db: database.db,
          workflows,
          clock: clock.now,
          sessions: sessions(database.db, workflows),
          publicUrl: ORIGIN,
          poke: () => {},
          calendar: noCalendar,
          slack: noSlack,
          mail: memoryMailer(),
        }),
      },
    ],
  }));
});
afterAll(async () => {
  await t.close();
});

const post = (path: string, body: BodyInit, headers: Record<string, string>) =>
  t.app.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('/slack/events', () => {
  it('refuses a 50 MB body without signature headers, or with a stale timestamp, before reading it', async () => {
    const variants: Record<string, string>[] = [
      {},
      { 'x-slack-request-timestamp': String(nowSeconds() - 600), 'x-slack-signature': 'v0=00' },
      { 'x-slack-request-timestamp': String(nowSeconds()), 'x-slack-signature': 'v1=00' },
    ];
    for (const headers of variants) {
      const body = countedBody(FIFTY_MB);
      const res = await post('/slack/events', body.stream, {
        'content-type': 'application/json',
        ...headers,
      });
      expect(res.status).toBe(401);
      // A stream is asked for its first chunk when it is made; nothing further is read.
      expect(body.read()).toBeLessThanOrEqual(CHUNK);
    }
  });

  it('stops reading a 50 MB body with fresh headers at 1 MB and answers 413', async () => {
    const body = countedBody(FIFTY_MB);
    const res = await post('/slack/events', body.stream, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(nowSeconds()),
      'x-slack-signature': `v0=${'0'.repeat(64)}`,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(body.read()).toBeGreaterThan(SLACK_BODY_LIMIT_BYTES);
    expect(body.read()).toBeLessThanOrEqual(SLACK_BODY_LIMIT_BYTES + 2 * CHUNK);
  });

  it('answers a validly signed body that is not an object with 400, and still serves a real one', async () => {
    for (const [body, type] of [
      ['null', 'application/json'],
      ['[]', 'application/json'],
      ['42', 'application/json'],
      ['payload=null', 'application/x-www-form-urlencoded'],
      ['payload=%5B1%5D', 'application/x-www-form-urlencoded'],
    ] as const) {
      const res = await post('/slack/events', body, {
        'content-type': type,
        ...(await slackHeaders(body, { timestamp: nowSeconds() })),
      });
      expect(res.status, body).toBe(400);
    }
    const challenge = JSON.stringify({ type: 'url_verification', challenge: 'c-123' });
    const ok = await post('/slack/events', challenge, {
      'content-type': 'application/json',
      ...(await slackHeaders(challenge, { timestamp: nowSeconds() })),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: 'c-123' });
  });
});

describe('staff posts under /admin', () => {
  const withdraw = `${ORIGIN}/admin/applications/00000000-0000-4000-8000-000000000000/withdraw`;

  it('refuses an anonymous 50 MB post before reading more than a chunk of it', async () => {
    const body = countedBody(FIFTY_MB);
    const res = await post(withdraw, body.stream, {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
    });
    expect(res.status).toBe(401);
    expect(body.read()).toBeLessThanOrEqual(2 * CHUNK);
  });

  it('stops reading a signed-in 50 MB post at 16 KB and answers 413', async () => {
    const cookie = await staffCookie(t.app, { db: t.database.db, clock: t.clock.now });
    const body = countedBody(FIFTY_MB);
    const res = await post(withdraw, body.stream, {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
      cookie,
    });
    expect(res.status).toBe(413);
    expect(body.read()).toBeLessThanOrEqual(STAFF_BODY_LIMIT_BYTES + 2 * CHUNK);
  });

  it('refuses a declared Content-Length over 16 KB from a signed-in person without reading', async () => {
    const cookie = await staffCookie(t.app, { db: t.database.db, clock: t.clock.now });
    const big = `confirm=yes&reason=${'x'.repeat(STAFF_BODY_LIMIT_BYTES)}`;
    const refused = await post(withdraw, big, {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(big.length),
      origin: ORIGIN,
      cookie,
    });
    expect(refused.status).toBe(413);
  });
});
