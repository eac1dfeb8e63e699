import { hmacSigner, timingSafeEqual } from '../domain/digest.ts';

/**
 * A form token records when the form was served, signed so a bot cannot forge an old one. A submission
 * faster than a person can type is sent back with its values kept rather than stored.
 */
export interface FormTokens {
  issue(cohortId: string, now: number): Promise<string>;
  /** Milliseconds since the form was served, or null when the token is missing or forged. */
  age(cohortId: string, token: string | undefined, now: number): Promise<number | null>;
}

export function formTokens(secret: string): FormTokens {
  const sign = hmacSigner(secret);
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
