// What a row on its way to ChartMogul (RowToSend, in src/contracts/sync-types.ts) shows a dry run and the
// store: the changes a create would make, and the attribute keys a record has once it was sent. Pure, so
// workflows may import it.

import type { FieldDifference, RowToSend } from '../contracts/sync-types';
import { blankToNull } from '../objects/definition';
import type { MappedRow } from '../sync-spec/mapping';

/** A dry run's view of a create: every value the row would send, from nothing (`custom.KEY` for attributes). */
export function creationChanges(row: MappedRow): FieldDifference[] {
  const values: [string, unknown][] = [
    ...Object.entries(row.fields),
    ...row.custom.map((attribute): [string, unknown] => [`custom.${attribute.key}`, attribute.value]),
  ];
  return values
    .filter(([, value]) => blankToNull(value) !== null)
    .map(([field, value]) => ({ field, row: value, chartMogul: null }));
}

/** The custom attribute keys a record has once this row was sent to it: those it had, and the row's. */
export function attributeKeysAfterSend(row: RowToSend, had: readonly string[] = row.attributeKeys ?? []): string[] {
  return [...new Set([...had, ...row.custom.map((attribute) => attribute.key)])].sort();
}
