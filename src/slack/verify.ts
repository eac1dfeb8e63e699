const encoder = new TextEncoder();
const FIVE_MINUTES = 5 * 60;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing
 * secret. Requests older than five minutes, or more than five minutes ahead of our clock, are refused
 * so a captured request cannot be replayed later. Web crypto only, so it runs on any runtime.
 */
export async function verifySlackRequest(opts: {
  signingSecret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds: number;
}): Promise<VerifyResult> {
  const headers = checkSlackHeaders(opts);
  if (!headers.ok) return headers;
  const expected = `v0=${await hmacHex(opts.signingSecret, `v0:${opts.timestamp}:${opts.body}`)}`;
  return constantTimeEqual(expected, opts.signature ?? '')
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}

/**
 * The part of the check that needs no body: both headers present, a known version and a timestamp within
 * five minutes. Run first, it lets a request that cannot pass be refused before its body is read.
 */
export function checkSlackHeaders(opts: {
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds: number;
}): VerifyResult {
  if (!opts.timestamp || !opts.signature) return { ok: false, reason: 'missing signature headers' };
  const ts = Number(opts.timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'bad timestamp' };
  if (Math.abs(opts.nowSeconds - ts) > FIVE_MINUTES)
    return { ok: false, reason: 'timestamp outside the 5-minute window' };
  if (!opts.signature.startsWith('v0=')) return { ok: false, reason: 'unknown signature version' };
  return { ok: true };
}

/** Hex HMAC-SHA256, as Slack computes it (also used by tests to sign requests exactly as Slack does). */
export async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
