/**
 * The edge relays submissions to the core's JSON intake. Each relay is signed with a secret both share, over
 * everything the core acts on: the time, the path, the idempotency key, the applicant's address, the flags
 * and the body. The core refuses an unsigned, stale, altered or replayed relay, and only for a signed one
 * does it take the applicant's address from the edge. Web Crypto only: this runs in workerd and Node alike.
 */

import { hmacSigner, timingSafeEqual } from '../domain/digest.ts';

export const RELAY_HEADERS = {
  timestamp: 'x-kehila-relay-timestamp',
  signature: 'x-kehila-relay-signature',
  clientIp: 'x-kehila-relay-client-ip',
  flags: 'x-kehila-relay-flags',
} as const;

/** A relay older (or further in the future) than this is stale. */
export const RELAY_TOLERANCE_MS = 5 * 60_000;

/** The only flags an edge may set; anything else is dropped rather than stored. */
const KNOWN_FLAGS = new Set(['bot_check_unverified', 'filled_fast', 'queued_at_edge']);

export interface RelayParts {
  timestampMs: number;
  path: string;
  idempotencyKey: string;
  clientIp: string;
  flags: string[];
  body: string;
}

const canonical = (p: RelayParts) =>
  ['v1', String(p.timestampMs), p.path, p.idempotencyKey, p.clientIp, p.flags.join(','), p.body].join('\n');

/** The headers the edge adds to a relayed request. */
export async function signRelay(secret: string, parts: RelayParts): Promise<Record<string, string>> {
  const flags = parts.flags.filter((f) => KNOWN_FLAGS.has(f));
  return {
    [RELAY_HEADERS.timestamp]: String(parts.timestampMs),
    [RELAY_HEADERS.signature]: `v1=${await hmacSigner(secret)(canonical({ ...parts, flags }))}`,
    [RELAY_HEADERS.clientIp]: parts.clientIp,
    [RELAY_HEADERS.flags]: flags.join(','),
  };
}

/** True when a request carries any relay header, i.e. claims to come from the edge. */
export function claimsRelay(header: (name: string) => string | undefined): boolean {
  return Object.values(RELAY_HEADERS).some((name) => header(name) !== undefined);
}

export type RelayCheck =
  | { ok: true; clientIp: string; flags: string[]; signature: string }
  | { ok: false; reason: 'unsigned' | 'stale' | 'bad_signature' | 'not_configured' };

export async function verifyRelay(
  secret: string | undefined,
  header: (name: string) => string | undefined,
  parts: { path: string; idempotencyKey: string | undefined; body: string; nowMs: number },
): Promise<RelayCheck> {
  if (!secret) return { ok: false, reason: 'not_configured' };
  const timestamp = header(RELAY_HEADERS.timestamp);
  const signature = header(RELAY_HEADERS.signature);
  if (!timestamp || !signature || !parts.idempotencyKey) return { ok: false, reason: 'unsigned' };
  const timestampMs = /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isFinite(timestampMs) || Math.abs(parts.nowMs - timestampMs) > RELAY_TOLERANCE_MS) {
    return { ok: false, reason: 'stale' };
  }
  const clientIp = header(RELAY_HEADERS.clientIp) ?? '';
  const flags = (header(RELAY_HEADERS.flags) ?? '').split(',').filter((f) => f !== '');
  const expected = `v1=${await hmacSigner(secret)(canonical({ timestampMs, path: parts.path, idempotencyKey: parts.idempotencyKey, clientIp, flags, body: parts.body }))}`;
  if (!timingSafeEqual(expected, signature)) return { ok: false, reason: 'bad_signature' };
  return { ok: true, clientIp, flags: flags.filter((f) => KNOWN_FLAGS.has(f)), signature };
}
