// The state store: per sync and record key, the ChartMogul UUID, a hash of the last payload ChartMogul
// accepted, and (after a prefetch) ChartMogul's current values. One Kysely code path serves SQLite (the
// default, a local file) and Postgres (when workers run on several hosts).
// Imports: kysely, better-sqlite3, pg. Node-side only.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

interface SyncedRecordsTable {
  sync_name: string;
  record_key: string;
  chartmogul_uuid: string | null;
  /** Hash of the last payload ChartMogul confirmed; null when only a prefetch has seen the record. */
  payload_hash: string | null;
  /** ChartMogul's values as a prefetch found them (JSON), for comparing with a row; cleared once sent. */
  remote_values: string | null;
  /** Custom attribute keys the record has in ChartMogul (JSON array), so an update can be one PATCH. */
  attribute_keys: string | null;
  last_status: string;
  updated_at: string;
}

interface Database {
  synced_records: SyncedRecordsTable;
}

export interface StoredRecord {
  uuid: string | null;
  hash: string | null;
  remoteValues: Record<string, unknown> | null;
  attributeKeys: string[];
}

export interface SentRecord {
  key: string;
  uuid: string;
  hash: string;
  status: 'created' | 'updated' | 'unchanged';
  attributeKeys: string[];
}

export interface RemoteRecord {
  key: string;
  uuid: string;
  values: Record<string, unknown>;
}

export interface StateStoreOptions {
  /** `postgres://…` for Postgres; otherwise the store is this SQLite file. */
  url?: string;
  sqlitePath?: string;
}

export const DEFAULT_SQLITE_PATH = '.state/chartmogul-sync.sqlite';

/** SQLite allows 999 bound parameters in older builds; stay well under for both databases. */
const KEYS_PER_QUERY = 500;

export class StateStore {
  private ready: Promise<void> | undefined;

  private constructor(private readonly db: Kysely<Database>, readonly description: string) {}

  static open(options: StateStoreOptions = {}): StateStore {
    if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
      const host = new URL(options.url).host;
      return new StateStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: options.url, max: 4 }) }) }), `Postgres at ${host}`);
    }
    const path = options.sqlitePath ?? DEFAULT_SQLITE_PATH;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SqliteDatabase(path);
    sqlite.pragma('journal_mode = WAL');
    return new StateStore(new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), `SQLite file ${path}`);
  }

  /** Creates the table on first use (idempotent; safe with several workers). */
  private async schema(): Promise<void> {
    this.ready ??= (async () => {
      await this.db.schema.createTable('synced_records').ifNotExists()
        .addColumn('sync_name', 'text', (column) => column.notNull())
        .addColumn('record_key', 'text', (column) => column.notNull())
        .addColumn('chartmogul_uuid', 'text')
        .addColumn('payload_hash', 'text')
        .addColumn('remote_values', 'text')
        .addColumn('attribute_keys', 'text')
        .addColumn('last_status', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('synced_records_pk', ['sync_name', 'record_key'])
        .execute();
    })();
    return this.ready;
  }

  async lookup(syncName: string, keys: string[]): Promise<Map<string, StoredRecord>> {
    await this.schema();
    const found = new Map<string, StoredRecord>();
    for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
      const rows = await this.db.selectFrom('synced_records')
        .select(['record_key', 'chartmogul_uuid', 'payload_hash', 'remote_values', 'attribute_keys'])
        .where('sync_name', '=', syncName)
        .where('record_key', 'in', keys.slice(start, start + KEYS_PER_QUERY))
        .execute();
      for (const row of rows) {
        found.set(row.record_key, {
          uuid: row.chartmogul_uuid, hash: row.payload_hash,
          remoteValues: row.remote_values ? (JSON.parse(row.remote_values) as Record<string, unknown>) : null,
          attributeKeys: row.attribute_keys ? (JSON.parse(row.attribute_keys) as string[]) : [],
        });
      }
    }
    return found;
  }

  /** Marks rows as sent: ChartMogul confirmed their payloads (or already held them). */
  async recordSent(syncName: string, records: SentRecord[]): Promise<void> {
    const now = new Date().toISOString();
    await this.upsert(records.map((record) => ({
      sync_name: syncName, record_key: record.key, chartmogul_uuid: record.uuid, payload_hash: record.hash,
      remote_values: null, attribute_keys: JSON.stringify(record.attributeKeys), last_status: record.status, updated_at: now,
    })), ['chartmogul_uuid', 'payload_hash', 'remote_values', 'attribute_keys', 'last_status', 'updated_at']);
  }

  /** Records what a prefetch found in ChartMogul. A stored payload hash is kept; the values are compared
   * with the next row, which catches changes made in ChartMogul since the last sync. */
  async recordRemote(syncName: string, records: RemoteRecord[]): Promise<void> {
    const now = new Date().toISOString();
    await this.upsert(records.map((record) => ({
      sync_name: syncName, record_key: record.key, chartmogul_uuid: record.uuid, payload_hash: null,
      remote_values: JSON.stringify(record.values), attribute_keys: JSON.stringify(Object.keys(record.values.custom ?? {})),
      last_status: 'prefetched', updated_at: now,
    })), ['chartmogul_uuid', 'remote_values', 'attribute_keys', 'updated_at']);
  }

  /** Inserts rows, or on an existing (sync, key) updates only the named columns; 100 rows a statement. */
  private async upsert(rows: SyncedRecordsTable[], update: (keyof SyncedRecordsTable)[]): Promise<void> {
    if (rows.length === 0) return;
    await this.schema();
    await this.db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += 100) {
        await trx.insertInto('synced_records').values(rows.slice(start, start + 100))
          .onConflict((conflict) => conflict.columns(['sync_name', 'record_key']).doUpdateSet((excluded) =>
            Object.fromEntries(update.map((column) => [column, excluded.ref(`excluded.${column}`)]))))
          .execute();
      }
    });
  }

  async count(syncName: string): Promise<number> {
    await this.schema();
    const row = await this.db.selectFrom('synced_records').select((eb) => eb.fn.countAll<string | number>().as('n')).where('sync_name', '=', syncName).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Forgets a sync (for `--full-refresh` style resets and tests). */
  async forget(syncName: string): Promise<void> {
    await this.schema();
    await this.db.deleteFrom('synced_records').where('sync_name', '=', syncName).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
