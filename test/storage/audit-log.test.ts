import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type OpenedDatabase } from '../../src/storage/db.ts';
import { backends } from '../helpers/backends.ts';

const rows = async (database: OpenedDatabase) =>
  Number(
    (
      await database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(backends)('the audit log on $name', (backend) => {
  let database: OpenedDatabase;
  afterEach(async () => {
    await database?.close();
  });

  it('refuses UPDATE, DELETE and TRUNCATE, alone or with other tables, and keeps its rows', async () => {
    database = await backend.open();
    const { db } = database;
    await sql`INSERT INTO audit_log (at, actor, action) VALUES (now(), 'staff', 'probe')`.execute(db);
    await expect(sql`UPDATE audit_log SET actor = 'someone else'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE TABLE outbox, audit_log RESTART IDENTITY`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    expect(await rows(database)).toBe(1);
  });

  it('still takes new entries, and its migrations run again as a no-op', async () => {
    database = await backend.open();
    await migrate(database.db, database.schema);
    await sql`INSERT INTO audit_log (at, actor, action) VALUES (now(), 'staff', 'probe')`.execute(
      database.db,
    );
    await expect(sql`TRUNCATE audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    expect(await rows(database)).toBe(1);
  });
});
