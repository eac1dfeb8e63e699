import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

// Loose on purpose: an IPv4 or IPv6 address, possibly bracketed or with a port. Anything else in the chosen
// slot is a proxy misconfiguration, not a client, and must not become a rate-limit key of its own.
const ADDRESS = /^[0-9A-Fa-f:.[\]]{2,64}$/;

/**
 * The client's address from an X-Forwarded-For header, read `hops` entries from the right.
 *
 * Each proxy appends the address it was connected from, so only the entries our own proxies wrote can be
 * trusted; everything to their left was written by the client and may say anything. With one proxy (nginx's
 * `$proxy_add_x_forwarded_for`) the client is the last entry; with Cloudflare in front of nginx, the one
 * before it. A chain shorter than `hops` means a proxy was bypassed or adds nothing, and then its leftmost
 * entry is the best there is.
 */
export function forwardedClient(header: string | undefined, hops: number): string | undefined {
  if (!header) return undefined;
  const entries = header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const chosen = entries[Math.max(0, entries.length - hops)];
  return chosen !== undefined && ADDRESS.test(chosen) ? chosen : undefined;
}

/** The socket's peer address under @hono/node-server, or 'unknown' outside it. */
export function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The client address for the Node entry: behind trusted proxies the X-Forwarded-For entry they wrote,
 * otherwise (or when that entry is unusable) the socket's peer.
 */
export function clientIpFrom(
  opts: { trustProxy: boolean; hops: number },
  peer: (c: Context) => string = socketAddress,
): (c: Context) => string {
  return (c) =>
    (opts.trustProxy ? forwardedClient(c.req.header('x-forwarded-for'), opts.hops) : undefined) ?? peer(c);
}
