// The state store: per target and sync, each record key's ChartMogul UUID, a hash of the last payload
// ChartMogul accepted, and (after a prefetch) ChartMogul's current values. A target is the ChartMogul
// account (an identity derived from its URL and key, never the key), the data source and the object, so
// a spec pointed at another data source or account starts from a clean view and can never write to the
// records of the old one. One Kysely code path serves SQLite and Postgres (see ./database.ts).

import { sql, type Kysely } from 'kysely';

import { changeSchema, openStateDatabase, type StateDatabase, type StateDatabaseOptions } from './database';
import type { NotKeptValues, SentRecord } from '../contracts/sync-types';

interface RecordsTable {
  /** `account identity/data source/object` (see ./target.ts); '' for entries migrated from before targets. */
  target: string;
  sync_name: string;
  record_key: string;
  chartmogul_uuid: string | null;
  /** Hash of the last payload ChartMogul confirmed; null when only a prefetch has seen the record. */
  payload_hash: string | null;
  /** ChartMogul's values as a prefetch found them (JSON), for comparing with a row; cleared once sent. */
  remote_values: string | null;
  /** Custom attribute keys the record has in ChartMogul (JSON array), so an update can be one PATCH. */
  attribute_keys: string | null;
  /** Values ChartMogul did not keep when the payload was sent (JSON `{field: value}`); see ../state/diff.ts. */
  not_kept: string | null;
  last_status: string;
  /** When ChartMogul last confirmed this record's payload (or a listing saw it). */
  updated_at: string;
  /** When a run last read the row and found it unchanged, so sent nothing (null: never since the last send). */
  last_seen_at: string | null;
  /** The complete listing of ChartMogul that last saw this record (see forgetUnlisted); null: none did. */
  listing: string | null;
}

/** The table of the first release, keyed by sync name and record key only. */
type LegacyRecordsTable = Omit<RecordsTable, 'target' | 'not_kept' | 'last_seen_at' | 'listing'>;

/** One row while a sync writes to a target; a row left behind means its last run was cut short. */
interface RunsTable {
  target: string;
  sync_name: string;
  started_at: string;
}

interface Database {
  target_records: RecordsTable;
  synced_records: LegacyRecordsTable;
  sync_runs: RunsTable;
}

const TABLE = 'target_records';
const LEGACY_TABLE = 'synced_records';
/** The first release's columns, copied as they are. */
const LEGACY_COLUMNS = [
  'sync_name',
  'record_key',
  'chartmogul_uuid',
  'payload_hash',
  'remote_values',
  'attribute_keys',
  'last_status',
  'updated_at',
] as const;
/** Entries from before targets: kept, but no target matches them, so their rows are looked up again. */
export const UNSCOPED_TARGET = '';

/** Whose records: a target (see ./target.ts) and a sync name. */
export interface StoreNamespace {
  target: string;
  sync: string;
}

export interface StoredRecord {
  uuid: string | null;
  hash: string | null;
  remoteValues: Record<string, unknown> | null;
  attributeKeys: string[];
  notKept?: NotKeptValues | null;
}

/** What the store knows of one row, for `find`. */
export interface RecordHistory {
  target: string;
  uuid: string | null;
  /** `created`, `updated`, `unchanged`, `partial`, or `prefetched` (seen in ChartMogul, never sent). */
  lastStatus: string;
  updatedAt: string;
  lastSeenAt: string | null;
}

export interface RemoteRecord {
  key: string;
  uuid: string;
  /** What ChartMogul holds, to compare rows with; null when a listing cannot tell (an invoice's line items
   * name plans by UUID, rows by external id): such rows are compared by the hash of what was sent last. */
  values: (Record<string, unknown> & { custom?: Record<string, unknown> }) | null;
}

export type StateStoreOptions = StateDatabaseOptions;

/** SQLite allows 999 bound parameters in older builds; stay well under for both databases. */
const KEYS_PER_QUERY = 500;
const ROWS_PER_INSERT = 100;

export class StateStore {
  private ready: Promise<void> | undefined;

  private readonly db: Kysely<Database>;

  constructor(private readonly database: StateDatabase<Database>) {
    this.db = database.db;
  }

  static open(options: StateStoreOptions = {}): StateStore {
    return new StateStore(openStateDatabase<Database>(options));
  }

  /** Creates the table on first use and moves a first-release table into it (idempotent; safe with
   * several workers starting at once). */
  private async schema(): Promise<void> {
    this.ready ??= (async () => {
      await changeSchema(this.database, (trx) =>
        trx.schema
          .createTable(TABLE)
          .ifNotExists()
          .addColumn('target', 'text', (column) => column.notNull())
          .addColumn('sync_name', 'text', (column) => column.notNull())
          .addColumn('record_key', 'text', (column) => column.notNull())
          .addColumn('chartmogul_uuid', 'text')
          .addColumn('payload_hash', 'text')
          .addColumn('remote_values', 'text')
          .addColumn('attribute_keys', 'text')
          .addColumn('not_kept', 'text')
          .addColumn('last_status', 'text', (column) => column.notNull())
          .addColumn('updated_at', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('target_records_pk', ['target', 'sync_name', 'record_key'])
          .execute()
          .then(() => undefined),
      );
      await changeSchema(this.database, (trx) =>
        trx.schema
          .createTable('sync_runs')
          .ifNotExists()
          .addColumn('target', 'text', (column) => column.notNull())
          .addColumn('sync_name', 'text', (column) => column.notNull())
          .addColumn('started_at', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('sync_runs_pk', ['target', 'sync_name'])
          .execute()
          .then(() => undefined),
      );
      await this.addColumnIfMissing('not_kept');
      await this.addColumnIfMissing('last_seen_at');
      await this.addColumnIfMissing('listing');
      await this.migrateLegacyTable();
    })();
    return this.ready;
  }

  /** Adds a column that a table made by an earlier release lacks (idempotent, like every schema change). */
  private async addColumnIfMissing(column: 'not_kept' | 'last_seen_at' | 'listing'): Promise<void> {
    await changeSchema(this.database, async (db) => {
      const table = (await db.introspection.getTables()).find((candidate) => candidate.name === TABLE);
      if (!table || table.columns.some((existing) => existing.name === column)) return;
      await db.schema.alterTable(TABLE).addColumn(column, 'text').execute();
    });
  }

  /** Copies a first-release table's entries under no target, then drops it. Idempotent, and safe when
   * several workers do it at once (see changeSchema). */
  private async migrateLegacyTable(): Promise<void> {
    await changeSchema(this.database, async (db) => {
      if (!(await db.introspection.getTables()).some((table) => table.name === LEGACY_TABLE)) return;
      await db
        .insertInto(TABLE)
        .columns(['target', ...LEGACY_COLUMNS])
        .expression((eb) =>
          eb
            .selectFrom(LEGACY_TABLE)
            .select((inner) => [inner.val(UNSCOPED_TARGET).as('target'), ...LEGACY_COLUMNS])
            // SQLite reads `SELECT … ON CONFLICT` as a join without a WHERE before the ON CONFLICT.
            .where(sql<boolean>`1 = 1`),
        )
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      await db.schema.dropTable(LEGACY_TABLE).ifExists().execute();
    });
  }

  async lookup(namespace: StoreNamespace, keys: string[]): Promise<Map<string, StoredRecord>> {
    await this.schema();
    const found = new Map<string, StoredRecord>();
    for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
      const rows = await this.db
        .selectFrom(TABLE)
        .select(['record_key', 'chartmogul_uuid', 'payload_hash', 'remote_values', 'attribute_keys', 'not_kept'])
        .where('target', '=', namespace.target)
        .where('sync_name', '=', namespace.sync)
        .where('record_key', 'in', keys.slice(start, start + KEYS_PER_QUERY))
        .execute();
      for (const row of rows) {
        found.set(row.record_key, {
          uuid: row.chartmogul_uuid,
          hash: row.payload_hash,
          remoteValues: row.remote_values ? (JSON.parse(row.remote_values) as Record<string, unknown>) : null,
          attributeKeys: row.attribute_keys ? (JSON.parse(row.attribute_keys) as string[]) : [],
          ...(row.not_kept ? { notKept: JSON.parse(row.not_kept) as NotKeptValues } : {}),
        });
      }
    }
    return found;
  }

  /** Marks rows as sent: ChartMogul confirmed their payloads (or already held them). */
  async recordSent(namespace: StoreNamespace, records: SentRecord[]): Promise<void> {
    const now = new Date().toISOString();
    await this.upsert(
      records.map((record) => ({
        target: namespace.target,
        sync_name: namespace.sync,
        record_key: record.key,
        chartmogul_uuid: record.uuid,
        payload_hash: record.hash,
        remote_values: null,
        attribute_keys: JSON.stringify(record.attributeKeys),
        not_kept: record.notKept ? JSON.stringify(record.notKept) : null,
        last_status: record.status,
        updated_at: now,
        last_seen_at: null,
        listing: null,
      })),
      [
        'chartmogul_uuid',
        'payload_hash',
        'remote_values',
        'attribute_keys',
        'not_kept',
        'last_status',
        'updated_at',
        'last_seen_at',
      ],
    );
  }

  /** Notes that a run read these rows and found them unchanged: nothing was sent. */
  async markSeen(namespace: StoreNamespace, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.schema();
    const now = new Date().toISOString();
    for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
      await this.db
        .updateTable(TABLE)
        .set({ last_seen_at: now })
        .where('target', '=', namespace.target)
        .where('sync_name', '=', namespace.sync)
        .where('record_key', 'in', keys.slice(start, start + KEYS_PER_QUERY))
        .execute();
    }
  }

  /** A row's entries under a sync name, in any target, the most recently sent first. */
  async history(sync: string, key: string): Promise<RecordHistory[]> {
    await this.schema();
    const rows = await this.db
      .selectFrom(TABLE)
      .select(['target', 'chartmogul_uuid', 'last_status', 'updated_at', 'last_seen_at'])
      .where('sync_name', '=', sync)
      .where('record_key', '=', key)
      .orderBy('updated_at', 'desc')
      .execute();
    return rows.map((row) => ({
      target: row.target,
      uuid: row.chartmogul_uuid,
      lastStatus: row.last_status,
      updatedAt: row.updated_at,
      lastSeenAt: row.last_seen_at,
    }));
  }

  /** Records what a prefetch found in ChartMogul. A stored payload hash is kept; the values are compared
   * with the next row, which catches changes made in ChartMogul since the last sync. `listing` names the
   * complete listing this page belongs to (see forgetUnlisted). */
  async recordRemote(namespace: StoreNamespace, records: RemoteRecord[], listing?: string): Promise<void> {
    const now = new Date().toISOString();
    await this.upsert(
      records.map((record) => ({
        target: namespace.target,
        sync_name: namespace.sync,
        record_key: record.key,
        chartmogul_uuid: record.uuid,
        payload_hash: null,
        remote_values: record.values ? JSON.stringify(record.values) : null,
        attribute_keys: JSON.stringify(Object.keys(record.values?.custom ?? {})),
        not_kept: null,
        last_status: 'prefetched',
        updated_at: now,
        last_seen_at: null,
        listing: listing ?? null,
      })),
      ['chartmogul_uuid', 'remote_values', 'attribute_keys', 'updated_at', 'listing'],
    );
  }

  /** Once a listing of every record of a namespace's object in the data source has ended: drops the
   * entries it did not see. Their records are gone from ChartMogul (deleted behind the sync's back, or with
   * their parent), so their rows are new again and are created (or, in update mode, reported missing).
   * Answers how many were dropped. */
  async forgetUnlisted(namespace: StoreNamespace, listing: string): Promise<number> {
    await this.schema();
    const result = await this.db
      .deleteFrom(TABLE)
      .where('target', '=', namespace.target)
      .where('sync_name', '=', namespace.sync)
      .where((eb) => eb.or([eb('listing', 'is', null), eb('listing', '!=', listing)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Drops entries whose records ChartMogul no longer has (deleted or merged away behind the sync's back). */
  async forgetKeys(namespace: StoreNamespace, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.schema();
    for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
      await this.db
        .deleteFrom(TABLE)
        .where('target', '=', namespace.target)
        .where('sync_name', '=', namespace.sync)
        .where('record_key', 'in', keys.slice(start, start + KEYS_PER_QUERY))
        .execute();
    }
  }

  /** Inserts rows, or on an existing (target, sync, key) updates only the named columns. */
  private async upsert(rows: RecordsTable[], update: (keyof RecordsTable)[]): Promise<void> {
    if (rows.length === 0) return;
    await this.schema();
    await this.db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        await trx
          .insertInto(TABLE)
          .values(rows.slice(start, start + ROWS_PER_INSERT))
          .onConflict((conflict) =>
            conflict
              .columns(['target', 'sync_name', 'record_key'])
              .doUpdateSet((excluded) =>
                Object.fromEntries(update.map((column) => [column, excluded.ref(`excluded.${column}`)])),
              ),
          )
          .execute();
      }
    });
  }

  /** Entries of a namespace; `confirmedOnly`: only records a sync sent or found holding its row (not those
   * a listing merely saw, which may be no row of the source at all). */
  async count(namespace: StoreNamespace, options: { confirmedOnly?: boolean } = {}): Promise<number> {
    await this.schema();
    let query = this.db
      .selectFrom(TABLE)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('target', '=', namespace.target)
      .where('sync_name', '=', namespace.sync);
    if (options.confirmedOnly) query = query.where('payload_hash', 'is not', null);
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Notes that a run of a sync starts writing; answers whether the last one never finished (killed, or
   * failed), so rows it wrote may not be recorded. */
  async beginRun(namespace: StoreNamespace): Promise<boolean> {
    await this.schema();
    const unfinished = await this.db
      .selectFrom('sync_runs')
      .select('started_at')
      .where('target', '=', namespace.target)
      .where('sync_name', '=', namespace.sync)
      .executeTakeFirst();
    if (!unfinished) {
      await this.db
        .insertInto('sync_runs')
        .values({ target: namespace.target, sync_name: namespace.sync, started_at: new Date().toISOString() })
        .onConflict((conflict) => conflict.columns(['target', 'sync_name']).doNothing())
        .execute();
    }
    return Boolean(unfinished);
  }

  /** Notes that a run finished with everything it wrote recorded. */
  async endRun(namespace: StoreNamespace): Promise<void> {
    await this.schema();
    await this.db
      .deleteFrom('sync_runs')
      .where('target', '=', namespace.target)
      .where('sync_name', '=', namespace.sync)
      .execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
