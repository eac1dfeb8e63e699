// Node only: the @hono/node-server entry uses it. Workers frame and close their connections themselves.
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';

type Bindings = HttpBindings | Http2Bindings;

export interface UnreadBodyLimits {
  /** A refused body up to this size is read to its end, so its connection stays usable. */
  drainBytes: number;
  /** How long that reading may take before the connection is closed instead. */
  drainMs: number;
}

const DEFAULTS: UnreadBodyLimits = { drainBytes: 8 * 1024 * 1024, drainMs: 2_000 };

/**
 * The app's fetch for @hono/node-server, settling every request whose answer came before its body was read
 * to the end (a 413 from a body limit, a 401 decided on the headers): the rest of a small body is read and
 * dropped so the keep-alive connection can carry the next request; a large or endless one gets
 * `Connection: close`, so the client opens a new connection for its next request.
 *
 * Without this the connection is poisoned: node-server drains the rest only through the request's web
 * stream, which stops pulling once nobody reads it, gives up after half a second and destroys the socket,
 * while the client, told nothing, has put the connection back in its pool and sends its next request there.
 */
export function settleUnreadBodies(
  fetch: (request: Request, env: Bindings) => Response | Promise<Response>,
  limits: UnreadBodyLimits = DEFAULTS,
): (request: Request, env: Bindings) => Promise<Response> {
  return async (request, env) => {
    const response = await fetch(request, env);
    const { outgoing } = env;
    // HTTP/2 streams are closed by node-server on their own, without touching the connection.
    if (env.incoming.complete || !(outgoing instanceof ServerResponse)) return response;
    const incoming = env.incoming as IncomingMessage;
    const declared = Number(incoming.headers['content-length']);
    const ended = discardRest(incoming, limits);
    if (!(declared > limits.drainBytes) && (await ended)) return response;
    // Node answers with `Connection: close` and shuts the socket once the answer is out; the bytes that
    // still arrive meanwhile keep flowing into the discarding reader rather than backing up.
    outgoing.shouldKeepAlive = false;
    return response;
  };
}

/** Reads and drops the rest of a body; true when it ended within the drain limits. */
function discardRest(incoming: IncomingMessage, limits: UnreadBodyLimits): Promise<boolean> {
  // The web stream adapter pauses the request each time its own queue fills, and nobody will read that
  // queue again: its listener goes, so the bytes flow to this one, which keeps no copy.
  incoming.removeAllListeners('data');
  return new Promise((resolve) => {
    let bytes = 0;
    const timer = setTimeout(() => resolve(false), limits.drainMs);
    timer.unref();
    const settle = (ended: boolean) => {
      clearTimeout(timer);
      resolve(ended);
    };
    incoming.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.drainBytes) settle(false);
    });
    incoming.once('end', () => settle(true));
    incoming.once('close', () => settle(incoming.complete));
    incoming.resume();
  });
}
