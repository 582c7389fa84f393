// What crosses between workflows and activities: every activity takes one object with named fields and
// answers one object (or null), so Temporal Web shows names, not positions. Pure: types, and `syncTargetOf`.

import type { FieldDifference, NotKeptAnswer, ReportEntry, RowToSend, SentRecord } from './sync-types';
import type { SourceCursor } from '../sources/types';
import type { ColumnType, MappedRow, RejectedRow } from '../sync-spec/mapping';
import type { SyncObject, SyncSpec } from '../sync-spec/schema';

/** Where rows go: the account (its credentials stay on the worker) and the data source. */
export interface Destination {
  account: string;
  dataSourceUuid: string;
}

/** A destination, the object and the sync's name: what the state store keys a sync's records by (the
 * account's identity is resolved on the worker: src/state/target.ts). */
export interface SyncTarget extends Destination {
  object: SyncObject;
  syncName: string;
}

/** The ChartMogul account and data source a spec writes to. */
export function destinationOf(spec: SyncSpec): Destination {
  return { account: spec.account, dataSourceUuid: spec.dataSourceUuid };
}

export function syncTargetOf(spec: SyncSpec): SyncTarget {
  return { account: spec.account, dataSourceUuid: spec.dataSourceUuid, object: spec.object, syncName: spec.name };
}

/** What a create does when the key is taken: `fail` with ChartMogul's message, `update` (upsert: return the
 * existing customer to update), or `keep-if-same` (insert: return it when it already holds the row's values). */
export type OnDuplicate = 'fail' | 'update' | 'keep-if-same';

export interface CustomerRef {
  uuid: string;
  /** The create met an existing customer: created since a listing (upsert updates it), or, in insert mode,
   * one that already holds exactly the row's values (an earlier run's write it had not recorded). */
  existed?: boolean;
  /** The customer's custom attribute values as ChartMogul holds them. */
  custom: Record<string, unknown>;
  /** A lookup given a row: the customer already holds every value the row would send (no write needed). */
  holdsRow?: boolean;
  /** A lookup given a row: the values it would change, with both values (a dry run shows them). */
  differences?: FieldDifference[];
  /** A create: the row's values ChartMogul's answer does not hold (it dropped or changed them). */
  notKept?: NotKeptAnswer[];
}

/** A billing record keyed by external id (a plan). `existed`: a create met a record that held the key
 * before it ran; `holdsRow`: the record already holds every value the row would send. */
export interface BillingRef {
  uuid: string;
  existed?: boolean;
  holdsRow?: boolean;
  /** Given the row: the fields where the record differs from it, with both values. */
  differences?: FieldDifference[];
  /** ChartMogul keeps the record as invalid, out of every metric and hidden from default reads: its errors. */
  invalid?: string;
  notKept?: NotKeptAnswer[];
}

/** An invoice looked up or imported; `missingPlans`: plan external ids its line items name that the data
 * source does not have (nothing was sent). */
export interface InvoiceRef extends BillingRef {
  missingPlans?: string[];
  /** Transactions the invoice holds that its row does not carry (another spec's payments and refunds), as
   * an import takes them: a replace imports them again with the row's, so none is lost. */
  otherTransactions?: Record<string, unknown>[];
  /** The edits that make the invoice hold the row, by the external ids of its line items and transactions;
   * absent when one of the row's has none. */
  edits?: InvoiceEdit[];
}

export interface ImportInvoiceInput {
  target: Destination;
  customerUuid: string;
  row: MappedRow;
  /** A replace: the transactions the invoice held besides the row's, imported with it (with their ids). */
  otherTransactions?: Record<string, unknown>[];
}

export interface ImportTransactionInput {
  target: Destination;
  invoiceUuid: string;
  row: MappedRow;
}

/** One record by its UUID (an invoice to delete). */
export interface RecordRef {
  target: Destination;
  uuid: string;
}

/** A dry run reads one record by its UUID to show what the row would change in it. */
export interface CompareRecordInput {
  object: SyncObject;
  target: Destination;
  uuid: string;
  row: MappedRow;
}

/** Looks a billing record up by its external id; given the row, the answer says whether it holds it. */
export interface LookupByKeyInput {
  target: Destination;
  externalId: string;
  row?: MappedRow;
}

export interface CreateRecordInput {
  target: Destination;
  row: MappedRow;
}

/** One change that edits a held invoice in place (options.invoiceChanges `edit`): one request each, its line
 * item or transaction named by external id. */
export type InvoiceEdit =
  | { kind: 'updateLineItem'; uuid: string; externalId: string; changes: Record<string, unknown> }
  | { kind: 'addLineItem'; externalId: string; item: Record<string, unknown> }
  | { kind: 'deleteLineItem'; uuid: string; externalId: string }
  | { kind: 'updateTransaction'; uuid: string; externalId: string; changes: Record<string, unknown> }
  | { kind: 'addTransaction'; externalId: string; transaction: Record<string, unknown> };

export interface EditInvoiceInput {
  target: Destination;
  invoiceUuid: string;
  edit: InvoiceEdit;
}

/** An invoice's status to set, by its key (`voided`, `written_off`). */
export interface SetInvoiceStatusInput {
  target: Destination;
  externalId: string;
  status: string;
}

/** A contact written: its UUID and what of the row ChartMogul did not keep (an undefined custom key, say). */
/** A contact written or found; one keyed by external id answers as any record keyed so (BillingRef). */
export type ContactRef = BillingRef;

/** What a write's answer showed ChartMogul did not keep. */
export interface WriteAnswer {
  notKept?: NotKeptAnswer[];
}

export interface LookupCustomerInput {
  target: Destination;
  externalId: string;
  /** Given, the answer says whether the customer already holds the row. */
  row?: MappedRow;
}

export interface CreateCustomerInput {
  target: Destination;
  row: MappedRow;
  onDuplicate: OnDuplicate;
}

export interface UpdateCustomerInput {
  target: Destination;
  uuid: string;
  row: MappedRow;
  /** Send the custom attributes in the PATCH too (only when the customer has every key already). */
  withCustom: boolean;
}

/** For writes to one record: custom attributes of a customer, or a contact's PATCH. */
export interface RecordWriteInput {
  target: Destination;
  uuid: string;
  row: MappedRow;
}

export interface FindContactInput {
  target: Destination;
  customerUuid: string;
  email: string;
}

export interface CreateContactInput {
  target: Destination;
  customerUuid: string;
  row: MappedRow;
  /** options.contactKey "external_id": a create whose answer was lost, or that meets its own key, is found by
   * the row's external id (a contact that held it before is answered `existed`). */
  keyedBy?: 'external_id';
}

/** A page's new rows sent as one bulk import, named by `importId` (exactly once by it). */
export interface BulkImportInput {
  target: Destination;
  object: SyncObject;
  importId: string;
  rows: MappedRow[];
}

/** A look at a bulk import: its rows, by key with their customer's external id (the import's status is told
 * by customer), for their fates once it has ended. */
export interface BulkStatusInput {
  target: Destination;
  object: SyncObject;
  importId: string;
  rows: { key: string; customer: string }[];
}

/** Where a bulk import stands: `queued`, `processing` or `completed`, and its records so far; once it has
 * ended, each row's fate; and the requests the activity made (the import, its looks, the fates' lookups). */
export interface BulkImportStatus {
  status: string;
  processed: number;
  failed: number;
  fates?: BulkRowOutcome[];
  requests: number;
}

/** A row's fate in a completed bulk import: `created` (`uuid` when a lookup learned it), or `one-by-one` when
 * ChartMogul holds no valid record of it (not imported, or kept as invalid): the row's own procedure then
 * decides, as for any row (imports it, fails it with ChartMogul's errors, or replaces an invalid record). */
export interface BulkRowOutcome {
  key: string;
  status: 'created' | 'one-by-one';
  uuid?: string;
  /** Why it goes one by one, for the page's details. */
  reason?: string;
}

export interface FindContactByExternalIdInput {
  target: Destination;
  customerUuid: string;
  externalId: string;
  /** Given the row: say whether the contact holds it already. */
  row?: MappedRow;
}

/** The object a prefetch lists: the sync's own, or its parent's (src/objects: prefetchObjects). */
export type PrefetchKind = SyncObject;

export interface PrefetchPageInput {
  spec: SyncSpec;
  kind: PrefetchKind;
  cursor: string | null;
  /** Names the whole listing (one per sync run chain): when its last page is recorded, the store forgets
   * the records it did not list. Absent (histories from before 0.5): nothing is forgotten. */
  listing?: string;
}

export interface WriteReportPartInput {
  reportId: string;
  page: number;
  entries: ReportEntry[];
}

export interface FinishReportInput {
  reportId: string;
  pages: number;
}

export interface ReadPageInput {
  spec: SyncSpec;
  cursor: SourceCursor;
  /** Known after the first page; carried so later pages do not scan the source again to type it. */
  columnTypes?: Record<string, ColumnType>;
  /** Source rows the last page took (its rows and rejections, a tenth more): the first read of this one asks for
   * about as many, not a whole pageSize of which the rows past its byte bound would be mapped for nothing. */
  rowsHint?: number;
  /** The sync expects the page to go in a bulk import: it may hold MAX_BULK_PAGE_BYTES of rows. */
  sizedForBulk?: true;
}

export interface ReadPageResult {
  /** Rows that need ChartMogul. */
  rows: RowToSend[];
  /** How many rows ChartMogul already holds as they are (no request). */
  unchanged: number;
  rejected: RejectedRow[];
  cursor: SourceCursor;
  done: boolean;
  columnTypes: Record<string, ColumnType>;
  /** JSON bytes of `rows` and `rejected` (at most the page's bound, MAX_PAGE_BYTES or MAX_BULK_PAGE_BYTES, but
   * for one row). Absent before pages had a bound. */
  bytes?: number;
  /** How the ChartMogulRecordKeys search attribute lists a key, where that is not the key itself (a keyed
   * hash: see src/privacy/record-keys.ts). Absent from pages read before keys were hashed. */
  searchKeys?: Record<string, string>;
}

export interface PrefetchPlan {
  unknownRows: number;
  previousRunInterrupted: boolean;
}

export interface RecordSentInput {
  target: SyncTarget;
  /** Rows ChartMogul confirmed. */
  sent: SentRecord[];
  /** Keys of records ChartMogul answered 404 for (deleted behind the sync's back), and of parent customers. */
  forgotten?: string[];
  forgottenParents?: string[];
}

export interface PrefetchPage {
  records: number;
  cursor: string | null;
  hasMore: boolean;
  /** From the first page: how many pages the whole list takes. */
  totalPages?: number;
  /** From the last page: how many entries of the store the listing did not show, forgotten now. */
  forgotten?: number;
}

export interface DestinationInfo {
  dataSourceUuid: string;
  dataSourceName: string;
}
