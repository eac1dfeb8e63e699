import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { LINK_MAIL_INTERVAL_MS, mayMailLink } from '../../src/usecases/link-mail.ts';
import { backends } from '../helpers/backends.ts';

const T0 = new Date('2026-12-01T08:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.each(backends)('one link e-mail per address per ten minutes, on $name', (backend) => {
  let database: OpenedDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('says yes once, then no until ten minutes have passed, whatever the case of the address', async () => {
    database = await backend.open();
    const { db } = database;
    expect(await mayMailLink(db, 'dana@example.org', T0)).toBe(true);
    expect(await mayMailLink(db, 'Dana@Example.org ', later(60_000))).toBe(false);
    expect(await mayMailLink(db, 'dana@example.org', later(LINK_MAIL_INTERVAL_MS - 1))).toBe(false);
    expect(await mayMailLink(db, 'other@example.org', later(60_000))).toBe(true);
    expect(await mayMailLink(db, 'dana@example.org', later(LINK_MAIL_INTERVAL_MS))).toBe(true);
    expect(await mayMailLink(db, 'dana@example.org', later(LINK_MAIL_INTERVAL_MS + 1000))).toBe(false);
    const stored = await db.selectFrom('link_mails').selectAll().execute();
    expect(stored.map((r) => r.address_hash).join(' ')).not.toContain('example');
  });

  it('says yes to one of many asking at once', async () => {
    database = await backend.open();
    const { db } = database;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => mayMailLink(db, 'rush@example.org', T0)),
    );
    expect(answers.filter(Boolean)).toHaveLength(1);
  });
});
