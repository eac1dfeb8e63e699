import { hmacSigner, timingSafeEqual } from '../domain/digest.ts';

/** A served form can be sent for this long; after that it comes back with its values and a fresh token. */
export const FORM_TOKEN_MAX_AGE_MS = 2 * 3_600_000;

export type FormTokenCheck =
  /** `id` names this one token, for the single-use check; `ageMs` is how long ago the form was served. */
  { ok: true; id: string; ageMs: number } | { ok: false; reason: 'missing' | 'forged' | 'expired' };

/**
 * A form token records when the form was served, signed so a bot cannot forge an old one. A valid submission
 * faster than a person can type is stored flagged for staff, never lost; one sent after the token's maximum
 * age comes back with its values kept. Each token carries a random id, so it can be accepted only once.
 */
export interface FormTokens {
  issue(cohortId: string, now: number): Promise<string>;
  check(cohortId: string, token: string | undefined, now: number): Promise<FormTokenCheck>;
  /**
   * The confirmation page's link carries its reference signed, so the page (at the core or at the edge,
   * which has no database to ask) shows only references this service handed out, and a guessed one is a 404.
   */
  signReference(cohortId: string, reference: string): Promise<string>;
  verifyReference(cohortId: string, reference: string, signature: string | undefined): Promise<boolean>;
}

/** Names what a signature is for, so a reference's signature can never pass as a form token's or another link's. */
const REFERENCE_PURPOSE = 'confirmation-link';
/** 128 bits of the HMAC: plenty against guessing, and a link short enough to copy. */
const REFERENCE_SIGNATURE_LENGTH = 32;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Tokens signed with `secret`: `{issued at}.{random id}.{HMAC over cohort, time and id}`. */
export function formTokens(secret: string, maxAgeMs = FORM_TOKEN_MAX_AGE_MS): FormTokens {
  const sign = hmacSigner(secret);
  const signReference = async (cohortId: string, reference: string) =>
    (await sign(`${REFERENCE_PURPOSE}\n${cohortId}\n${reference}`)).slice(0, REFERENCE_SIGNATURE_LENGTH);
  return {
    async issue(cohortId, now) {
      const id = hex(crypto.getRandomValues(new Uint8Array(16)));
      return `${now}.${id}.${await sign(`${cohortId}.${now}.${id}`)}`;
    },
    async check(cohortId, token, now) {
      if (!token) return { ok: false, reason: 'missing' };
      const match = /^(\d{10,16})\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(token);
      if (!match) return { ok: false, reason: 'forged' };
      const [, issuedAt = '', id = '', mac = ''] = match;
      if (!timingSafeEqual(await sign(`${cohortId}.${issuedAt}.${id}`), mac))
        return { ok: false, reason: 'forged' };
      const ageMs = now - Number(issuedAt);
      if (ageMs > maxAgeMs) return { ok: false, reason: 'expired' };
      return { ok: true, id, ageMs };
    },
    signReference,
    async verifyReference(cohortId, reference, signature) {
      if (!signature || !/^[0-9a-f]+$/.test(signature)) return false;
      return timingSafeEqual(await signReference(cohortId, reference), signature);
    },
  };
}
