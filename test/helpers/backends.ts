import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<OpenedDatabase & { url?: string; schema?: string }>;
}

/** A fresh database per call: PGlite in memory, or PostgreSQL in a schema of its own, dropped on close. */
export const backends: Backend[] = [
  { name: 'pglite', open: () => openDatabase({ dataDir: 'memory' }) },
  {
    name: 'postgres',
    async open() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const opened = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 8 });
      return {
        ...opened,
        url: TEST_DATABASE_URL,
        schema,
        async close() {
          await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(opened.db);
          await opened.close();
        },
      };
    },
  },
];

export const randomPrefix = (name: string) => `t${name}${randomBytes(5).toString('hex')}`;

/** Polls until the check passes or the time is up; returns the last value. */
export async function eventually<T>(
  check: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await check();
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    last = await check();
  }
  return last;
}
