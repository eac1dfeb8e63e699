import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { type DatabaseConnection, type Driver, Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { installLifecycleGuard } from './lifecycle-guard.ts';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The schema the tables live in. */
  schema: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** Folder for PGlite's files; `memory` keeps it in memory (tests). */
  dataDir?: string | 'memory';
  /** A PostgreSQL schema to work in (tests isolate themselves this way). */
  schema?: string;
  poolSize?: number;
}

/**
 * Kysely's PGlite driver hands out its one connection to every caller at once, so two concurrent
 * transactions would interleave their statements. A queue in front of it makes each caller wait its turn,
 * which is also how PGlite itself runs (one query at a time).
 */
class SerialPGliteDialect extends PGliteDialect {
  override createDriver(): Driver {
    const inner = super.createDriver();
    let queue: Promise<void> = Promise.resolve();
    const releases = new WeakMap<DatabaseConnection, () => void>();
    return new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'acquireConnection') {
          return async () => {
            let release!: () => void;
            const turn = new Promise<void>((resolve) => {
              release = resolve;
            });
            const previous = queue;
            queue = previous.then(() => turn);
            await previous;
            const connection = await target.acquireConnection();
            releases.set(connection, release);
            return connection;
          };
        }
        if (prop === 'releaseConnection') {
          return async (connection: DatabaseConnection) => {
            await target.releaseConnection(connection);
            releases.get(connection)?.();
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

/** Opens PostgreSQL or PGlite and applies every pending migration before anything else runs. */
export async function openDatabase(options: DatabaseOptions): Promise<OpenedDatabase> {
  let db: Db;
  let kind: OpenedDatabase['kind'];
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 16,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    if (options.schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '')}"`);
      } finally {
        client.release();
      }
    }
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    const dir = options.dataDir ?? './data';
    // Loaded only when used: PGlite's WebAssembly build costs about 45 MB of memory on import.
    const { PGlite } = await import('@electric-sql/pglite');
    let pglite: PGlite;
    if (dir === 'memory') {
      pglite = new PGlite();
    } else {
      await mkdir(dir, { recursive: true });
      pglite = new PGlite(join(dir, 'pglite'));
    }
    db = new Kysely<Database>({ dialect: new SerialPGliteDialect({ pglite }) });
    kind = 'pglite';
  }
  const schema = options.url && options.schema ? options.schema : 'public';
  await migrate(db, schema);
  return { db, kind, schema, close: () => db.destroy() };
}

/** Applies pending migrations; a failure stops start-up with the migration's own error. */
export async function migrate(db: Db, schema = 'public'): Promise<void> {
  // Without a schema Kysely takes a migration table in ANY schema of the database as its own, so a second
  // installation (or a test) in another schema of the same database would skip its migrations.
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its migration table by reading the columns of every schema in the database, and a
  // schema another installation drops at that moment makes the catalogue query fail with "schema does not
  // exist" (3F000). Nothing was applied then, so asking again is safe.
  for (let attempt = 0; attempt < 5 && codeOf(error) === '3F000' && !results?.length; attempt++) {
    await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    ({ error, results } = await migrator.migrateToLatest());
  }
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
      cause: error,
    });
  }
  await installLifecycleGuard(db);
}

const codeOf = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error
    ? (error as { code: unknown }).code
    : undefined;
