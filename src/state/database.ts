// Opens the database behind the state store and the shared pace: an SQLite file by default (shared by the
// processes of one host), or Postgres when a `postgres://` URL is given (shared by workers on several hosts).
// Imports: kysely, better-sqlite3, pg. Node-side only.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';

import { POSTGRES_POOL_SIZE } from '../limits';

export interface StateDatabaseOptions {
  /** `postgres://…` for Postgres; otherwise the store is this SQLite file. */
  url?: string;
  sqlitePath?: string;
}

export const DEFAULT_SQLITE_PATH = '.state/chartmogul-sync.sqlite';

/** How long an SQLite writer waits for another process's write to finish before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export interface StateDatabase<T> {
  db: Kysely<T>;
  kind: 'sqlite' | 'postgres';
  /** Where it lives, for messages: never the password. */
  where: string;
}

export function openStateDatabase<T>(options: StateDatabaseOptions = {}): StateDatabase<T> {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
    const pool = new pg.Pool({ connectionString: options.url, max: POSTGRES_POOL_SIZE });
    return {
      db: new Kysely<T>({ dialect: new PostgresDialect({ pool }) }),
      kind: 'postgres',
      where: `Postgres at ${new URL(options.url).host}`,
    };
  }
  const path = options.sqlitePath ?? DEFAULT_SQLITE_PATH;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  sqlite.pragma('journal_mode = WAL');
  // The store is a cache of ChartMogul: after a power cut it may forget the last writes (rows are then
  // looked up again), never corrupt itself. NORMAL skips an fsync per commit, which the pace needs.
  sqlite.pragma('synchronous = NORMAL');
  return {
    db: new Kysely<T>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }),
    kind: 'sqlite',
    where: `SQLite file ${path}`,
  };
}

/** Statements kept compiled, by their SQL text (values are bound, so the pace's few statements recur). */
const STATEMENT_CACHE_SIZE = 100;

/** Kysely prepares every query afresh; the shared pace runs three per ChartMogul request, and compiling
 * them was a tenth of a busy worker's main thread. A statement still iterating is never handed out twice. */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      const kept = statements.get(text);
      if (kept && !kept.busy) return kept;
      const statement = sqlite.prepare(text);
      if (!kept) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/** Postgres races on concurrent `CREATE TABLE IF NOT EXISTS` (several workers starting at once), so schema
 * changes run in one transaction under an advisory lock. SQLite runs them statement by statement: each
 * waits for the file's write lock, while a deferred transaction that read first could not wait for it.
 * Changes must therefore be idempotent statements. */
export async function changeSchema<T>(
  database: StateDatabase<T>,
  change: (db: Kysely<T> | Transaction<T>) => Promise<void>,
): Promise<void> {
  if (database.kind === 'sqlite') return change(database.db);
  await database.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_ID})`.execute(trx);
    await change(trx);
  });
}

/** Any fixed number: it names the lock that schema changes take. */
const SCHEMA_LOCK_ID = 7_411_902;
