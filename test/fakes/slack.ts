import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

interface Fault {
  status?: number;
  retryAfter?: number;
  error?: string;
  lateMs?: number;
  drop?: boolean;
}

interface Message {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface SlackFake {
  /** slackApiUrl for the WebClient (ends with /). */
  url: string;
  calls: SlackCall[];
  messages: Message[];
  members: Map<string, Set<string>>;
  /** When set, the only channel ids that exist; any other answers channel_not_found. Unset: every id exists. */
  channels: Set<string> | undefined;
  /** Private channels: the app cannot join them, and one it is not a member of answers channel_not_found. */
  privateChannels: Set<string>;
  /** E-mail → user id of people in the workspace. */
  users: Map<string, string>;
  /** User group id → its members' user ids; any other group answers no_such_subteam. */
  userGroups: Map<string, string[]>;
  /**
   * The next `count` calls of a method answer with this status (429 carries Retry-After) or Slack error;
   * `lateMs`: the call is carried out as usual and answered only that much later (a client timeout after
   * Slack did the work); `drop`: carried out, then the connection is closed with no answer.
   */
  fail(method: string, count: number, fault: Fault): void;
  count(method: string): number;
  /** Probability that any call answers 429 (Retry-After: 1) or 500, for chaos runs. */
  randomFaults: number;
  /** Added to every answer, as Slack's own latency would be. */
  latencyMs: number;
  /** A workspace-wide limit on chat.postMessage per second; past it, 429 with Retry-After: 1. 0 = none. */
  postLimitPerSecond: number;
  close(): Promise<void>;
}

/** The Slack Web API methods kehila uses, over real HTTP on 127.0.0.1, recording every call. */
export async function startSlackFake(): Promise<SlackFake> {
  const calls: SlackCall[] = [];
  const messages: Message[] = [];
  const members = new Map<string, Set<string>>();
  const users = new Map<string, string>();
  const faults: { method: string; left: number; fault: Fault }[] = [];
  const userGroups = new Map<string, string[]>();
  let ts = 1_700_000_000;

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => resolve(body));
    });
  const parse = (raw: string, type: string): Record<string, unknown> => {
    if (type.includes('json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      try {
        out[k] = ['blocks', 'metadata', 'view', 'attachments'].includes(k) ? JSON.parse(v) : v;
      } catch {
        out[k] = v;
      }
    }
    return out;
  };

  // Slack's answer when the channel is not there, or is private and the app is not in it; undefined otherwise.
  const unreachable = (channel: string) => {
    if (fake.channels && !fake.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    if (fake.privateChannels.has(channel) && !members.get(channel)?.has('UBOT'))
      return { ok: false, error: 'channel_not_found' };
    return undefined;
  };

  const handlers: Record<string, (a: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ ok: true, user_id: 'UBOT', team_id: 'TTEAM', bot_id: 'BBOT' }),
    'chat.postMessage': (a) => {
      const m: Message = {
        channel: String(a.channel),
        ts: `${++ts}.000100`,
        text: a.text as string,
        blocks: a.blocks,
      };
      if (a.metadata) m.metadata = a.metadata as Message['metadata'];
      messages.push(m);
      return { ok: true, channel: m.channel, ts: m.ts, message: m };
    },
    'chat.update': (a) => {
      const m = messages.find((x) => x.ts === a.ts && x.channel === a.channel);
      if (!m) return { ok: false, error: 'message_not_found' };
      Object.assign(m, { text: a.text, blocks: a.blocks });
      return { ok: true, channel: m.channel, ts: m.ts };
    },
    'chat.postEphemeral': () => ({ ok: true, message_ts: `${++ts}.000200` }),
    // As Slack does, metadata comes back only to a caller who asks for it.
    'conversations.history': (a) => ({
      ok: true,
      messages: messages
        .filter((m) => m.channel === a.channel)
        .reverse()
        .map((m) => (String(a.include_all_metadata) === 'true' ? m : { ...m, metadata: undefined })),
      has_more: false,
    }),
    // The bot's DM with a person: one channel per person, the same on every call.
    'conversations.open': (a) => ({ ok: true, channel: { id: `D${String(a.users)}` } }),
    'usergroups.users.list': (a) => {
      const members = userGroups.get(String(a.usergroup));
      return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
    },
    'conversations.join': (a) => {
      if (fake.channels && !fake.channels.has(String(a.channel)))
        return { ok: false, error: 'channel_not_found' };
      if (fake.privateChannels.has(String(a.channel)))
        return { ok: false, error: 'method_not_supported_for_channel_type' };
      const set = members.get(String(a.channel)) ?? new Set<string>();
      set.add('UBOT');
      members.set(String(a.channel), set);
      return { ok: true, channel: { id: a.channel } };
    },
    'conversations.invite': (a) => {
      const missing = unreachable(String(a.channel));
      if (missing) return missing;
      const set = members.get(String(a.channel)) ?? new Set<string>();
      const ids = String(a.users).split(',');
      const errors: { user: string; ok: false; error: string }[] = [];
      for (const id of ids) {
        if (set.has(id)) errors.push({ user: id, ok: false, error: 'already_in_channel' });
        else if (!id.startsWith('U')) errors.push({ user: id, ok: false, error: 'user_not_found' });
        else set.add(id);
      }
      members.set(String(a.channel), set);
      if (errors.length === ids.length && errors.every((e) => e.error === 'already_in_channel')) {
        return { ok: false, error: 'already_in_channel' };
      }
      return { ok: true, channel: { id: a.channel }, ...(errors.length ? { errors } : {}) };
    },
    // Slack's documented errors for a kick; a removal from the workspace is a different (admin) method.
    'conversations.kick': (a) => {
      const channel = String(a.channel);
      const user = String(a.user ?? '');
      const missing = unreachable(channel);
      if (missing) return missing;
      if (!/^[UW][A-Z0-9]+$/.test(user)) return { ok: false, error: 'user_not_found' };
      if (user === 'UBOT') return { ok: false, error: 'cant_kick_self' };
      if (!members.get(channel)?.delete(user)) return { ok: false, error: 'not_in_channel' };
      return { ok: true };
    },
    'users.lookupByEmail': (a) => {
      const id = users.get(String(a.email).toLowerCase());
      return id ? { ok: true, user: { id } } : { ok: false, error: 'users_not_found' };
    },
    'views.open': () => ({ ok: true, view: { id: `V${++ts}` } }),
    'views.publish': () => ({ ok: true, view: { id: `V${++ts}` } }),
  };

  const fake: SlackFake = {
    url: '',
    calls,
    messages,
    members,
    channels: undefined,
    privateChannels: new Set(),
    users,
    userGroups,
    randomFaults: 0,
    latencyMs: 0,
    postLimitPerSecond: 0,
    fail(method, count, fault) {
      faults.push({ method, left: count, fault });
    },
    count: (method) => calls.filter((c) => c.method === method).length,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const postWindow = { second: 0, count: 0 };
  const server: Server = createServer(async (req, res) => {
    const method = (req.url ?? '/').replace(/^\/+/, '').split('?')[0] ?? '';
    const args = parse(await read(req), String(req.headers['content-type'] ?? ''));
    calls.push({ method, args });
    if (fake.latencyMs > 0) await new Promise((r) => setTimeout(r, fake.latencyMs));
    if (fake.postLimitPerSecond > 0 && method === 'chat.postMessage') {
      const second = Math.floor(Date.now() / 1000);
      if (second !== postWindow.second) Object.assign(postWindow, { second, count: 0 });
      if (++postWindow.count > fake.postLimitPerSecond) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
    }
    if (fake.randomFaults > 0 && method !== 'auth.test' && Math.random() < fake.randomFaults) {
      const limited = Math.random() < 0.5;
      res.writeHead(limited ? 429 : 500, {
        'content-type': 'application/json',
        ...(limited ? { 'retry-after': '1' } : {}),
      });
      res.end(JSON.stringify({ ok: false, error: limited ? 'ratelimited' : 'internal_error' }));
      return;
    }
    const fault = faults.find((f) => f.method === method && f.left > 0);
    if (fault) {
      fault.left--;
      const { lateMs, drop } = fault.fault;
      if (lateMs || drop) {
        const answer = JSON.stringify(handlers[method]?.(args) ?? { ok: false, error: 'unknown_method' });
        if (drop) {
          req.socket.destroy();
          return;
        }
        await new Promise((r) => setTimeout(r, lateMs));
        if (!res.destroyed) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(answer);
        }
        return;
      }
      if (fault.fault.status) {
        res.writeHead(fault.fault.status, {
          'content-type': 'application/json',
          ...(fault.fault.retryAfter ? { 'retry-after': String(fault.fault.retryAfter) } : {}),
        });
        res.end(
          JSON.stringify({ ok: false, error: fault.fault.status === 429 ? 'ratelimited' : 'internal_error' }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: fault.fault.error }));
      return;
    }
    const handler = handlers[method];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(handler ? handler(args) : { ok: false, error: 'unknown_method' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  Object.assign(fake, { url: `http://127.0.0.1:${port}/` });
  return fake;
}
