import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A random secret made once per installation and shared by all its processes through the database. */
export async function installationSecret(db: Kysely<Database>, name: string): Promise<string> {
  const fresh = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  await db
    .insertInto('service_secrets')
    .values({ name, value: fresh })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('service_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
