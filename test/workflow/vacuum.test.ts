import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/schema.ts';
import { backends } from '../helpers/backends.ts';
import { pipelinesOn } from '../helpers/pipeline.ts';

/**
 * The heap pages a count had to visit although its index held every column it read: none once the table
 * is vacuumed, since the visibility map then vouches for each page. Scans other than the index's are
 * switched off, so the plan is the one a full table gets.
 */
async function heapFetches(db: Kysely<Database>, query: string): Promise<number> {
  return db.connection().execute(async (conn) => {
    await sql`SET enable_seqscan = off`.execute(conn);
    await sql`SET enable_bitmapscan = off`.execute(conn);
    try {
      const { rows } = await sql<{
        'QUERY PLAN': unknown;
      }>`EXPLAIN (ANALYZE, FORMAT JSON) ${sql.raw(query)}`.execute(conn);
      const found: number[] = [];
      const walk = (node: Record<string, unknown>) => {
        if (typeof node['Heap Fetches'] === 'number') found.push(node['Heap Fetches']);
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      const plan = rows[0]?.['QUERY PLAN'];
      const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as {
        Plan: Record<string, unknown>;
      }[];
      walk(parsed[0]?.Plan ?? {});
      expect(found.length).toBeGreaterThan(0);
      return found.reduce((a, b) => a + b, 0);
    } finally {
      await sql`RESET enable_seqscan`.execute(conn);
      await sql`RESET enable_bitmapscan`.execute(conn);
    }
  });
}

describe.each(backends)('the reconciler keeps the hot tables vacuumed ($name)', (backend) => {
  const setup = pipelinesOn(backend);

  it('leaves the count of a cohort’s places answered from its index alone', async () => {
    const t = await setup({ workers: false });
    for (let i = 0; i < 40; i++) await t.submit();
    const places = "SELECT count(*) FROM applications WHERE cohort = 'leading-team-2027'";
    // Written and not yet vacuumed: the index alone cannot say which rows are visible.
    expect(await heapFetches(t.db, places)).toBeGreaterThan(0);

    await t.pipeline.reconcileNow();

    expect(await heapFetches(t.db, places)).toBe(0);
  });
});
