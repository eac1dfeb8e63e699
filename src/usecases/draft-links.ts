import type { Kysely } from 'kysely';
import { hmacSigner, timingSafeEqual } from '../domain/digest.ts';
import type { Database } from '../storage/schema.ts';
import { installationSecret } from '../storage/secrets.ts';

/** What a resume link says when it is opened. */
export type LinkCheck = { ok: true; draftId: string } | { ok: false; reason: 'forged' | 'expired' };

/** Signed, expiring links that name one draft and can do nothing else. */
export interface ResumeLinks {
  issue(draftId: string, expiresAt: Date): Promise<string>;
  check(token: string, now: Date): Promise<LinkCheck>;
}

const PURPOSE = 'draft-resume';

/** Links signed with the installation's own secret, shared by the web and worker processes. */
export function resumeLinks(db: Kysely<Database>): ResumeLinks {
  let signer: Promise<(m: string) => Promise<string>> | undefined;
  const sign = async (message: string) => {
    signer ??= installationSecret(db, 'draft-link').then(hmacSigner);
    return (await signer)(`${PURPOSE}.${message}`);
  };
  return {
    async issue(draftId, expiresAt) {
      const expires = expiresAt.getTime();
      return `${draftId}.${expires}.${await sign(`${draftId}.${expires}`)}`;
    },
    async check(token, now) {
      const match = /^([0-9a-f-]{36})\.(\d{10,16})\.([0-9a-f]{64})$/.exec(token);
      if (!match) return { ok: false, reason: 'forged' };
      const [, draftId = '', expires = '', mac = ''] = match;
      if (!timingSafeEqual(await sign(`${draftId}.${expires}`), mac)) return { ok: false, reason: 'forged' };
      if (now.getTime() >= Number(expires)) return { ok: false, reason: 'expired' };
      return { ok: true, draftId };
    },
  };
}
