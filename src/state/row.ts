// A row on its way to ChartMogul: what the source produced (../sync-spec/mapping.ts, MappedRow) and what the
// state store added to it (./classify.ts). Pure, so workflows may import it.

import type { FieldChange } from '../contracts/sync-types';
import { blankToNull } from '../objects/definition';
import type { MappedRow } from '../sync-spec/mapping';

export interface RowToSend extends MappedRow {
  /** A canonical hash of the payload (./diff.ts), recorded once ChartMogul confirms the write. */
  hash?: string;
  /** The record's ChartMogul UUID, when a previous sync or a listing knows it (then no lookup is needed). */
  uuid?: string;
  /** The custom attribute keys that record has in ChartMogul, so an update can be one PATCH. */
  attributeKeys?: string[];
  /** The parent's ChartMogul UUID (a contact's or an invoice's customer, a transaction's invoice), when the store
   * knows it. */
  parentUuid?: string;
  /** Dry runs, from a fresh listing of ChartMogul: each field the write would change. */
  changes?: FieldChange[];
}

/** A dry run's view of a create: every value the row would send, from nothing (`custom.KEY` for attributes). */
export function creationChanges(row: MappedRow): FieldChange[] {
  const values: [string, unknown][] = [
    ...Object.entries(row.fields),
    ...row.custom.map((attribute): [string, unknown] => [`custom.${attribute.key}`, attribute.value]),
  ];
  return values
    .filter(([, value]) => blankToNull(value) !== null)
    .map(([field, value]) => ({ field, from: null, to: value }));
}

/** The custom attribute keys a record has once this row was sent to it: those it had, and the row's. */
export function attributeKeysAfterSend(row: RowToSend, had: readonly string[] = row.attributeKeys ?? []): string[] {
  return [...new Set([...had, ...row.custom.map((attribute) => attribute.key)])].sort();
}
