// The emulator's in-memory account: data sources, each object's records (a table per object, whose folder's
// emulator module reads and writes it), the custom attribute types and the account's users.

import { randomUUID } from 'node:crypto';

import type { DataSource } from '../chartmogul/objects';
import { OBJECTS, SYNC_OBJECTS, type SyncObject } from '../objects';
import type { AttributeType } from '../sync-spec/schema';

export { ATTRIBUTE_TYPES, type AttributeType } from '../sync-spec/schema';
export type { DataSource } from '../chartmogul/objects';

/** The go client's constant for this refusal; no recording has the real text (see the README's choices). */
export const DUPLICATE_EXTERNAL_ID = 'The external ID for this customer already exists in our system.';

/** A record the emulator keeps: its UUID, its data source, and the external id ChartMogul keeps unique in it
 * (when the object has one). */
export interface StoredRecord {
  uuid: string;
  data_source_uuid: string;
  external_id?: string | null;
}

/** The records of one object, by UUID, and by the key ChartMogul keeps unique (data source + external id). */
export class RecordTable<T extends StoredRecord> {
  private readonly byUuid = new Map<string, T>();
  private readonly byKey = new Map<string, string>();

  get(uuid: string): T | undefined {
    return this.byUuid.get(uuid);
  }

  has(uuid: string): boolean {
    return this.byUuid.has(uuid);
  }

  values(): IterableIterator<T> {
    return this.byUuid.values();
  }

  findByExternalId(dataSourceUuid: string, externalId: string): T | undefined {
    const uuid = this.byKey.get(`${dataSourceUuid}\u0000${externalId}`);
    return uuid === undefined ? undefined : this.byUuid.get(uuid);
  }

  add(record: T): void {
    this.byUuid.set(record.uuid, record);
    if (record.external_id) this.byKey.set(`${record.data_source_uuid}\u0000${record.external_id}`, record.uuid);
  }

  /** Takes the record out (its children stay: EmulatorStore.deleteRecord takes them too). */
  remove(record: T): void {
    this.byUuid.delete(record.uuid);
    if (record.external_id && this.byKey.get(`${record.data_source_uuid}\u0000${record.external_id}`) === record.uuid)
      this.byKey.delete(`${record.data_source_uuid}\u0000${record.external_id}`);
  }

  clear(): void {
    this.byUuid.clear();
    this.byKey.clear();
  }
}

export class EmulatorStore {
  readonly dataSources = new Map<string, DataSource>();
  /** Each object's records, by the object's name (its folder's emulator module names its own). */
  private readonly tables = new Map<string, RecordTable<StoredRecord>>();
  /** What an object's routes derive and keep beside its records (an invoice's subscriptions), by name. */
  private readonly derived = new Map<string, unknown>();
  /** A custom attribute key's type is fixed, account-wide, when the key is first created. */
  readonly attributeTypes = new Map<string, AttributeType>();
  /** The account's users: a customer's `owner` must be one of them, or ChartMogul keeps the old owner. */
  readonly users = new Set<string>();
  /** Key/value custom attribute keys the account defines in its settings (a contact keeps only these). */
  readonly definedAttributes = new Set<string>();
  /** Test-only: the message of the duplicate external_id refusal (see EmulatorOptions.duplicateMessage). */
  duplicateMessage = DUPLICATE_EXTERNAL_ID;
  /** See EmulatorOptions.transactionLookup. */
  transactionLookup: 'object' | 'list' = 'object';
  /** See EmulatorOptions.bulkRate. */
  bulkRate = 0;
  private nextId = 100_000_001;

  constructor(private readonly initialDataSources: readonly string[]) {
    this.clear();
  }

  /** The records of `object`. */
  table<T extends StoredRecord>(object: SyncObject): RecordTable<T> {
    let table = this.tables.get(object);
    if (!table) {
      table = new RecordTable<StoredRecord>();
      this.tables.set(object, table);
    }
    return table as unknown as RecordTable<T>;
  }

  /** State an object's routes keep beside its records, made by `create` when first asked for. */
  state<T>(name: string, create: () => T): T {
    if (!this.derived.has(name)) this.derived.set(name, create());
    return this.derived.get(name) as T;
  }

  /** Deletes a record and the records whose parent it is (the objects its definition is the parent of),
   * as ChartMogul does: a customer's contacts and invoices go with it. */
  deleteRecord(object: SyncObject, record: StoredRecord): void {
    this.table(object).remove(record);
    const parentField = `${OBJECTS[object].noun}_uuid`;
    for (const child of SYNC_OBJECTS.filter((other) => OBJECTS[other].parent?.object === object)) {
      for (const held of [...this.table(child).values()])
        if ((held as unknown as Record<string, unknown>)[parentField] === record.uuid) this.deleteRecord(child, held);
    }
  }

  /** Deletes a data source and every record in it. */
  deleteDataSource(uuid: string): boolean {
    if (!this.dataSources.delete(uuid)) return false;
    for (const object of SYNC_OBJECTS)
      for (const record of [...this.table(object).values()])
        if (record.data_source_uuid === uuid && this.table(object).has(record.uuid)) this.deleteRecord(object, record);
    return true;
  }

  /** Empties the account, keeping the data sources it was started with. */
  clear(): void {
    this.dataSources.clear();
    for (const table of this.tables.values()) table.clear();
    this.derived.clear();
    this.attributeTypes.clear();
    this.initialDataSources.forEach((uuid, index) => this.addDataSource(`Emulated source ${index + 1}`, uuid));
  }

  newId(): number {
    return this.nextId++;
  }

  addDataSource(name: string, uuid = `ds_${randomUUID()}`): DataSource {
    const source: DataSource = { uuid, name, system: 'Custom', created_at: new Date().toISOString(), status: 'idle' };
    this.dataSources.set(uuid, source);
    return source;
  }
}

/** ChartMogul echoes ids without their prefix in "does not exist" messages. */
export function withoutPrefix(id: string): string {
  return id.replace(/^[a-z]+_/, '');
}
