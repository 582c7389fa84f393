// Deciding what a row costs: a canonical hash of its payload (unchanged rows cost nothing), and a
// comparison with ChartMogul's current values after a prefetch. Node-side (uses node:crypto).

import { createHash } from 'node:crypto';

import type { FieldChange, NotKept, NotKeptValues } from '../contracts/sync-types';
import { blankToNull, OBJECTS, type RemoteValues, type SyncObject } from '../objects';
import type { MappedRow } from '../sync-spec/mapping';
import type { SyncSpec } from '../sync-spec/schema';

/** The same payload always hashes the same: fields and attributes sorted, numbers and dates in one form. */
export function payloadHash(spec: SyncSpec, row: MappedRow): string {
  const canonical = {
    object: spec.object,
    dataSource: spec.dataSourceUuid,
    fields: Object.entries(row.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    custom: [...row.custom]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ key, type, value }) => [key, type, value]),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 40);
}

export type { RemoteValues } from '../objects';

/** The one equality of a row's value and ChartMogul's: '' and absent are no value, and a timestamp equals
 * the same instant however ChartMogul writes it (`…T00:00:00Z`, `…T00:00:00.000Z`). */
export function sameValue(ours: unknown, theirs: unknown): boolean {
  const a = blankToNull(ours);
  const b = blankToNull(theirs);
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b))
    return Date.parse(a) === Date.parse(b);
  return a === b;
}

export type { NotKept } from '../contracts/sync-types';

function describe(value: unknown): string {
  return value === null || value === undefined ? 'no value' : JSON.stringify(value);
}

function whyNotKept(object: SyncObject, field: string, sent: unknown, kept: unknown): string {
  if (field === 'owner')
    return `owner ${describe(sent)} is not a user of this ChartMogul account, so ChartMogul kept ${describe(kept)}`;
  if (field.startsWith('custom.') && kept === undefined)
    return OBJECTS[object].customAttributeNotKept(field.slice('custom.'.length));
  return `ChartMogul kept ${describe(kept)} instead of ${describe(sent)}`;
}

/** Every value the row sent that the answer does not hold. `fields: false` compares custom attributes only
 * (an answer to an attributes request); `custom: false` the fields only (a PATCH sent without them). */
export function notKept(
  object: SyncObject,
  row: MappedRow,
  remote: RemoteValues,
  keyFields: readonly string[],
  compare: { fields?: boolean; custom?: boolean } = {},
): NotKept[] {
  const found: NotKept[] = [];
  if (compare.fields !== false) {
    for (const [field, value] of Object.entries(row.fields)) {
      // Keys, references and UUIDs are never in an answer's values (src/objects/definition.ts: comparedFields).
      if (keyFields.includes(field) || !(field in remote)) continue;
      if (!sameValue(value, remote[field]))
        found.push({
          field,
          sent: value,
          kept: remote[field] ?? null,
          reason: whyNotKept(object, field, value, remote[field] ?? null),
        });
    }
  }
  if (compare.custom !== false) {
    const custom = remote.custom ?? {};
    for (const attribute of row.custom) {
      const kept = attribute.key in custom ? custom[attribute.key] : undefined;
      const field = `custom.${attribute.key}`;
      if (!sameValue(attribute.value, kept))
        found.push({
          field,
          sent: attribute.value,
          kept: kept ?? null,
          reason: whyNotKept(object, field, attribute.value, kept),
        });
    }
  }
  return found;
}

/** The row's values that ChartMogul is known not to keep (from the last send), as sent then. */
export function stillNotKept(row: MappedRow, known: NotKeptValues | null | undefined): NotKeptValues | undefined {
  if (!known) return undefined;
  const values = rowValues(row);
  const still = Object.entries(known).filter(([field, sent]) => field in values && sameValue(values[field], sent));
  return still.length > 0 ? Object.fromEntries(still) : undefined;
}

function rowValues(row: MappedRow): Record<string, unknown> {
  return {
    ...row.fields,
    ...Object.fromEntries(row.custom.map((attribute) => [`custom.${attribute.key}`, attribute.value])),
  };
}

/** True when ChartMogul already holds every value the row would send, or is known not to keep it. */
export function matchesRemote(
  row: MappedRow,
  remote: RemoteValues,
  keyFields: readonly string[],
  notKeptBefore?: NotKeptValues | null,
): boolean {
  const doomed = stillNotKept(row, notKeptBefore) ?? {};
  for (const [field, value] of Object.entries(row.fields)) {
    if (keyFields.includes(field) || !(field in remote) || field in doomed) continue;
    if (!sameValue(value, remote[field])) return false;
  }
  const custom = remote.custom ?? {};
  return row.custom.every(
    (attribute) => `custom.${attribute.key}` in doomed || sameValue(attribute.value, custom[attribute.key]),
  );
}

/** A dry run's view of an update: each value the row would change, from ChartMogul's to the row's (values
 * ChartMogul is known not to keep are left out, as a comparison leaves them out). */
export function fieldChanges(
  object: SyncObject,
  row: MappedRow,
  remote: RemoteValues,
  keyFields: readonly string[],
  notKeptBefore?: NotKeptValues | null,
): FieldChange[] {
  const doomed = stillNotKept(row, notKeptBefore) ?? {};
  return notKept(object, row, remote, keyFields)
    .filter((difference) => !(difference.field in doomed))
    .map(({ field, sent, kept }) => ({ field, from: kept, to: sent }));
}
