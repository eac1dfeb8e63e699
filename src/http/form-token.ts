/**
 * A form token records when the form was served, signed so a bot cannot forge an old one. A submission
 * faster than a person can type is sent back with its values kept rather than stored.
 */
export interface FormTokens {
  issue(cohortId: string, now: number): Promise<string>;
  /** Milliseconds since the form was served, or null when the token is missing or forged. */
  age(cohortId: string, token: string | undefined, now: number): Promise<number | null>;
}

const encoder = new TextEncoder();

export function formTokens(secret: string): FormTokens {
  const key = crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  const sign = async (message: string) =>
    toHex(new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(message))));
  return {
    async issue(cohortId, now) {
      return `${now}.${await sign(`${cohortId}.${now}`)}`;
    },
    async age(cohortId, token, now) {
      const match = /^(\d{10,16})\.([0-9a-f]{64})$/.exec(token ?? '');
      if (!match) return null;
      const [, issuedAt = '', mac = ''] = match;
      const expected = await sign(`${cohortId}.${issuedAt}`);
      if (!timingSafeEqual(expected, mac)) return null;
      return now - Number(issuedAt);
    },
  };
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
