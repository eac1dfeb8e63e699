import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';

/** The part of `ws` used here: it ships no types, and @types/ws is no dependency of the project. */
interface WsSocket {
  readyState: number;
  send(data: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
}
interface WsServer {
  clients: Set<WsSocket>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WsSocket) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (options: { noServer: true }) => WsServer;
};
const OPEN = 1;

export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

/** What the app sent back for one envelope: `{envelope_id, payload?}`, and when it arrived. */
export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
  receivedAt: number;
}

export interface SentEnvelope {
  envelopeId: string;
  sentAt: number;
  /** This delivery's ack (the n-th ack of its envelope id for the n-th delivery); rejects after 10 s. */
  acked: Promise<Ack>;
}

export interface SocketModeFake {
  /** slackApiUrl (ends with /): answers apps.connections.open; other methods go to `webApi` when given. */
  url: string;
  appToken: string;
  /** Every apps.connections.open call, with the Authorization header it carried. */
  opens: { authorization: string | undefined }[];
  acks: Ack[];
  /** Connections that have been sent their hello. */
  connections: number;
  /** While true, new connections are accepted but never said hello to (a Slack slow to finish the handshake). */
  holdHello: boolean;
  /** Connections accepted, said hello to or not. */
  accepted: number;
  /** Resolves once the n-th connection (1-based, default the next one) has had its hello. */
  connected(n?: number): Promise<void>;
  /** Sends one envelope on the newest connection, as Slack does. */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts?: { envelopeId?: string; acceptsResponsePayload?: boolean; retryAttempt?: number },
  ): SentEnvelope;
  /** `{type: 'disconnect', reason}`: Slack's notice that it will recycle the connection; the client closes it. */
  requestRefresh(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Cuts every connection without a close frame, as a network failure would. */
  drop(): void;
  close(): Promise<void>;
}

/**
 * Slack's Socket Mode on 127.0.0.1: `apps.connections.open` (POST, `Authorization: Bearer xapp-…`) hands out
 * a one-use `ws://` URL; the WebSocket server says hello, sends envelopes and records their acks.
 */
export async function startSocketModeFake(
  opts: { appToken?: string; webApi?: string } = {},
): Promise<SocketModeFake> {
  const appToken = opts.appToken ?? 'xapp-1-AAPP-1-test';
  const tickets = new Set<string>();
  const wss = new WebSocketServer({ noServer: true });
  const live: WsSocket[] = [];
  const helloWaiters: { n: number; resolve: () => void }[] = [];
  const ackWaiters = new Map<string, ((ack: Ack) => void)[]>();
  const acksSeen = new Map<string, number>();
  const pending = new Map<string, Ack[]>();

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => resolve(body));
    });

  const server: Server = createServer(async (req, res) => {
    const method = (req.url ?? '/').replace(/^\/+/, '').split('?')[0] ?? '';
    const body = await read(req);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (method === 'apps.connections.open') {
      const authorization = req.headers.authorization;
      fake.opens.push({ authorization });
      if (req.method !== 'POST') return json(405, { ok: false, error: 'method_not_allowed' });
      if (!authorization) return json(200, { ok: false, error: 'not_authed' });
      if (authorization !== `Bearer ${appToken}`) return json(200, { ok: false, error: 'invalid_auth' });
      const ticket = randomUUID();
      tickets.add(ticket);
      return json(200, { ok: true, url: `${wsBase}/link/?ticket=${ticket}&app_id=AAPP` });
    }
    if (!opts.webApi) return json(200, { ok: false, error: 'unknown_method' });
    const forwarded = await fetch(`${opts.webApi}${method}`, {
      method: 'POST',
      headers: {
        'content-type': String(req.headers['content-type'] ?? 'application/x-www-form-urlencoded'),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      },
      body,
    });
    res.writeHead(forwarded.status, { 'content-type': 'application/json' });
    res.end(await forwarded.text());
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    // Like Slack's, a URL is good for one connection.
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      live.push(ws);
      ws.on('close', () => {
        const at = live.indexOf(ws);
        if (at >= 0) live.splice(at, 1);
      });
      ws.on('message', (data) => onMessage(data.toString()));
      fake.accepted++;
      if (fake.holdHello) return;
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: live.length,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: 'AAPP' },
        }),
      );
      fake.connections++;
      for (const w of helloWaiters.splice(0)) {
        if (fake.connections >= w.n) w.resolve();
        else helloWaiters.push(w);
      }
    });
  });

  const onMessage = (text: string) => {
    let message: { envelope_id?: unknown; payload?: Record<string, unknown> };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string') return;
    const ack: Ack = {
      envelope_id: message.envelope_id,
      ...(message.payload ? { payload: message.payload } : {}),
      receivedAt: Date.now(),
    };
    fake.acks.push(ack);
    const waiter = ackWaiters.get(ack.envelope_id)?.shift();
    if (waiter) waiter(ack);
    else pending.set(ack.envelope_id, [...(pending.get(ack.envelope_id) ?? []), ack]);
  };

  const newest = () => {
    const ws = live.filter((s) => s.readyState === OPEN).at(-1);
    if (!ws) throw new Error('no Socket Mode connection is open');
    return ws;
  };

  const fake: SocketModeFake = {
    url: '',
    appToken,
    opens: [],
    acks: [],
    connections: 0,
    holdHello: false,
    accepted: 0,
    connected(n) {
      const target = n ?? fake.connections + 1;
      if (fake.connections >= target) return Promise.resolve();
      return new Promise((resolve) => helloWaiters.push({ n: target, resolve }));
    },
    send(type, payload, o = {}) {
      const envelopeId = o.envelopeId ?? randomUUID();
      const delivery = (acksSeen.get(envelopeId) ?? 0) + 1;
      acksSeen.set(envelopeId, delivery);
      const acked = new Promise<Ack>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ack for envelope ${envelopeId} (delivery ${delivery})`)),
          10_000,
        );
        const done = (ack: Ack) => {
          clearTimeout(timer);
          resolve(ack);
        };
        const early = pending.get(envelopeId)?.shift();
        if (early) done(early);
        else ackWaiters.set(envelopeId, [...(ackWaiters.get(envelopeId) ?? []), done]);
      });
      newest().send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          // Slack takes a reply to a view submission, an options request or a command; not to a click or an event.
          accepts_response_payload:
            o.acceptsResponsePayload ??
            (type === 'slash_commands' ||
              ['view_submission', 'block_suggestion'].includes(String(payload.type))),
          ...(type === 'events_api' ? { retry_attempt: o.retryAttempt ?? 0, retry_reason: '' } : {}),
        }),
      );
      return { envelopeId, sentAt: Date.now(), acked };
    },
    requestRefresh(reason = 'refresh_requested') {
      newest().send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
    },
    drop() {
      for (const ws of [...live]) ws.terminate();
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const wsBase = `ws://127.0.0.1:${port}`;
  fake.url = `http://127.0.0.1:${port}/`;
  return fake;
}
