const encoder = new TextEncoder();

/** What a link is for. Each purpose signs with its own derived key, so a token made for one never opens another. */
export type LinkPurpose = string;

/** Why a link was refused: past its time, or not one we made for this purpose (tampered, truncated, another purpose). */
export type LinkRefusal = 'expired' | 'invalid';

const PURPOSE = /^[a-z][a-z0-9-]{0,39}$/;

const toBase64Url = (bytes: Uint8Array) => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromBase64Url = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
};

async function hmac(key: Uint8Array<ArrayBuffer>, message: string): Promise<Uint8Array<ArrayBuffer>> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, encoder.encode(message)));
}

// The installation secret is never used directly: each purpose gets HMAC(secret, "signed-link/" + purpose) as
// its key, so the form token (signed with the secret itself) and a link of another purpose cannot verify here.
const purposeKey = (secret: string, purpose: LinkPurpose) =>
  hmac(encoder.encode(secret), `signed-link/${purpose}`);

// The purpose is in the MAC as well as in the key: a token is refused by every purpose but its own even if two
// purposes were ever given the same key.
const macInput = (purpose: LinkPurpose, subject: string, expiresAt: number) =>
  `${purpose}\n${subject}\n${expiresAt}`;

function checkPurpose(purpose: LinkPurpose) {
  if (!PURPOSE.test(purpose)) throw new TypeError(`link purpose must be lowercase words: ${purpose}`);
}

/** Constant-time comparison of two byte strings (the time does not depend on where they differ). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * A URL-safe token saying "`subject`, for `purpose`, until `expiresAt`": `{subject}.{expiry}.{mac}`, each part
 * base64url. Web Crypto only, so the edge and Node make and read the same tokens.
 */
export async function signLink(
  secret: string,
  purpose: LinkPurpose,
  subject: string,
  expiresAt: Date,
): Promise<string> {
  checkPurpose(purpose);
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  const mac = await hmac(await purposeKey(secret, purpose), macInput(purpose, subject, expiry));
  return `${toBase64Url(encoder.encode(subject))}.${expiry.toString(36)}.${toBase64Url(mac)}`;
}

/**
 * The subject of a token made by `signLink` with the same secret and purpose, or why it is refused. The MAC is
 * checked before the expiry, so a forged token is `invalid` whatever time it claims.
 */
export async function verifyLink(
  secret: string,
  purpose: LinkPurpose,
  token: string | undefined,
  now: Date,
): Promise<{ subject: string } | LinkRefusal> {
  checkPurpose(purpose);
  if (!token || token.length > 1024) return 'invalid';
  const parts = token.split('.');
  if (parts.length !== 3) return 'invalid';
  const [subjectPart = '', expiryPart = '', macPart = ''] = parts;
  if (!/^[0-9a-z]{1,11}$/.test(expiryPart)) return 'invalid';
  const subjectBytes = fromBase64Url(subjectPart);
  const mac = fromBase64Url(macPart);
  if (!subjectBytes || !mac) return 'invalid';
  let subject: string;
  try {
    subject = new TextDecoder('utf-8', { fatal: true }).decode(subjectBytes);
  } catch {
    return 'invalid';
  }
  const expiry = Number.parseInt(expiryPart, 36);
  // Re-encoding must give back the same text: two spellings of one token would be two tokens.
  if (expiry.toString(36) !== expiryPart || toBase64Url(subjectBytes) !== subjectPart) return 'invalid';
  const expected = await hmac(await purposeKey(secret, purpose), macInput(purpose, subject, expiry));
  if (!sameBytes(expected, mac)) return 'invalid';
  if (now.getTime() >= expiry * 1000) return 'expired';
  return { subject };
}
