import type { Kysely } from 'kysely';
import { signLink, verifyLink } from '../domain/signed-link.ts';
import type { Database } from '../storage/schema.ts';
import { installationSecret } from '../storage/secrets.ts';

/** What a resume link says when it is opened. */
export type LinkCheck = { ok: true; draftId: string } | { ok: false; reason: 'invalid' | 'expired' };

/** Signed, expiring links that name one draft and can open nothing else. */
export interface ResumeLinks {
  issue(draftId: string, expiresAt: Date): Promise<string>;
  check(token: string, now: Date): Promise<LinkCheck>;
}

const PURPOSE = 'draft-resume';

/**
 * Links signed for the one purpose `draft-resume`, with the installation's secret from the database: the web
 * process that opens a link and the worker that mailed it share it without any setting.
 */
export function resumeLinks(db: Kysely<Database>): ResumeLinks {
  let secret: Promise<string> | undefined;
  const key = () => {
    secret ??= installationSecret(db, 'signed-links');
    return secret;
  };
  return {
    issue: async (draftId, expiresAt) => signLink(await key(), PURPOSE, draftId, expiresAt),
    async check(token, now) {
      const verdict = await verifyLink(await key(), PURPOSE, token, now);
      if (typeof verdict === 'string') return { ok: false, reason: verdict };
      return { ok: true, draftId: verdict.subject };
    },
  };
}
