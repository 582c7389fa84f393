// What every procedure shares: the row-level outcomes a procedure throws (rejected, failed, a record gone),
// the calls it may make (counted, skipped in a dry run), the handling of a stored record ChartMogul no longer
// has, and how ChartMogul's failures and a record's differences read.

import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

import type { FieldDifference, RowToSend } from '../../src/contracts/sync-types';
import type { Destination } from '../../src/contracts/activities';
import { chartMogulDetailsOf, isNotFoundFailure } from '../../src/contracts/failures';
import type { SyncMode, SyncObject } from '../../src/objects';
import type { InvoiceChanges } from '../../src/sync-spec/schema';

/** A row the procedure itself turns away (a missing record, say): a reason, no ChartMogul error. */
export class RowRejected extends Error {}

/** A row that cannot be written as it stands, though nothing is wrong with its values (a record in the way):
 * `failed`, with a reason that says what to do. */
export class RowFailed extends Error {}

/** The record the store named is not (or no longer) in the sync's data source. */
export class RecordGone extends Error {}

/** What a procedure may do: `read` counts a lookup; `write` and `create` count and run a change, or skip
 * it in a dry run (`create` then answers no UUID); `forget` drops the store's entry for the row or its parent;
 * `notKept` notes values a write's answer shows ChartMogul did not keep. */
export interface Calls {
  /** An incremental sync compares a looked-up record with the row and skips a write that would change
   * nothing; `incremental: false` writes every row, as a plain script would. */
  readonly skipsIdenticalWrites: boolean;
  /** The sync listed the whole data source: a row the store does not know is new (no lookup needed). */
  readonly listedAll: boolean;
  /** An invoice whose line items or transactions changed: edited in place by their external ids (`edit`, or
   * `auto` when the row gives each one), deleted and imported again (`replace`), or failed. */
  readonly invoiceChanges: InvoiceChanges;
  /** What keys a contact row: its customer and email, or its own external_id (options.contactKey). */
  readonly contactKey: 'email' | 'external_id';
  read(): void;
  write<T>(change: () => Promise<T>): Promise<T | undefined>;
  create(change: () => Promise<string>): Promise<string>;
  forget(what: 'record' | 'parent'): void;
  notKept(found: FieldDifference[] | undefined): void;
  /** The row's record was deleted and created again (an invoice whose line items changed, a record ChartMogul
   * kept as invalid): reported with `reason`, e.g. `deleted and imported again, because …`. */
  replaced(reason: string): void;
  /** A lookup compared the record with the row: where they differ (a dry run reports it). */
  compared(differences: FieldDifference[] | undefined): void;
  /** Looks a parent record up by its external id (counted as a read): ./parents.ts. */
  findParent(object: SyncObject, ...find: Parameters<FindByExternalId>): ReturnType<FindByExternalId>;
}

/** One of an object's records by its external id in the data source, named in Temporal Web by `summary`;
 * null when the data source has none. */
type FindByExternalId = (externalId: string, summary: string) => Promise<{ uuid: string } | null>;

export type Done = { status: 'created' | 'updated' | 'unchanged'; uuid: string };
export type Procedure = (target: Destination, row: RowToSend, calls: Calls) => Promise<Done>;

/** What an object's folder gives the engine (objects/<name>/procedure.ts): a procedure per mode it has, and, for
 * an object other objects' rows name as their parent, how one of its records is found by external id. */
export interface ObjectProcedures {
  modes: Partial<Record<SyncMode, Procedure>>;
  findByExternalId?: (target: Destination, ...find: Parameters<FindByExternalId>) => ReturnType<FindByExternalId>;
}

export function isNotFound(error: unknown): boolean {
  if (error instanceof RecordGone) return true;
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return false;
  return isNotFoundFailure(error.cause.type, chartMogulDetailsOf(error.cause));
}

/** Runs an action on a record the store knew. Undefined when ChartMogul no longer has it: the store's entry
 * is then forgotten and the caller carries on as if the record were unknown. */
export async function onStoredRecord<T>(
  calls: Calls,
  what: 'record' | 'parent',
  action: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    calls.forget(what);
    return undefined;
  }
}

/** `name: "Gold" in ChartMogul, "Gold+" in the row` */
export function describeDifferences(differences: readonly FieldDifference[]): string {
  const show = (value: unknown) => (value === null || value === undefined ? 'none' : JSON.stringify(value));
  return differences
    .map(({ field, row, chartMogul }) => `${field}: ${show(chartMogul)} in ChartMogul, ${show(row)} in the row`)
    .join('; ');
}

/** The failure behind an activity error, with ChartMogul's status and message when it gave them. */
export function chartMogulFailure(error: ActivityFailure): { type?: string; status?: number; message: string } {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    const details = chartMogulDetailsOf(cause);
    return {
      type: cause.type ?? undefined,
      status: details?.status ?? undefined,
      message: details?.message ?? cause.message,
    };
  }
  return { message: cause?.message ?? error.message };
}
