import { type Kysely, sql } from 'kysely';
import { sha256Hex } from '../domain/digest.ts';
import type { Database } from '../storage/schema.ts';

/** An address gets at most one link e-mail (its page, a draft, "an application exists") in this long. */
export const LINK_MAIL_INTERVAL_MS = 10 * 60_000;

/**
 * Claims the address's one link e-mail for the next ten minutes: true when the caller may send one now (and the
 * claim is recorded), false when a link went to it less than ten minutes ago. One conditional upsert, so two
 * requests at once, in any process, cannot both be told yes. Call it only when there is something to send: a
 * claim for an address with nothing behind it would be harmless, but it is cleaner not to record one.
 */
export async function mayMailLink(db: Kysely<Database>, email: string, now: Date): Promise<boolean> {
  const addressHash = await sha256Hex(email.trim().toLowerCase());
  const cutoff = new Date(now.getTime() - LINK_MAIL_INTERVAL_MS);
  const claimed = await db
    .insertInto('link_mails')
    .values({ address_hash: addressHash, sent_at: now })
    .onConflict((oc) =>
      oc
        .column('address_hash')
        .doUpdateSet({ sent_at: now })
        .where(sql<boolean>`link_mails.sent_at <= ${cutoff}`),
    )
    .returning('address_hash')
    .executeTakeFirst();
  return claimed !== undefined;
}
