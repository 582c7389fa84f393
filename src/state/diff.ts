// Deciding what a row costs: a canonical hash of its payload (unchanged rows cost nothing), and a
// comparison with ChartMogul's current values after a prefetch (by sameValue, in src/objects). Node-side
// (uses node:crypto).

import { createHash } from 'node:crypto';

import type { FieldDifference, NotKeptAnswer, NotKeptValues } from '../contracts/sync-types';
import { OBJECTS, sameValue, type RemoteValues, type SyncObject } from '../objects';
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

function describe(value: unknown): string {
  return value === null || value === undefined ? 'no value' : JSON.stringify(value);
}

function whyNotKept(object: SyncObject, answer: RemoteValues, difference: FieldDifference): string {
  const { field, row: sent, chartMogul: kept } = difference;
  if (field === 'owner')
    return `owner ${describe(sent)} is not a user of this ChartMogul account, so ChartMogul kept ${describe(kept)}`;
  const key = field.startsWith('custom.') ? field.slice('custom.'.length) : undefined;
  if (key !== undefined && !(key in (answer.custom ?? {}))) return OBJECTS[object].customAttributeNotKept(key);
  return `ChartMogul kept ${describe(kept)} instead of ${describe(sent)}`;
}

/** Every value of the row that ChartMogul's values do not hold (keys and values absent from them are not
 * compared). `fields: false` compares custom attributes only (an answer to an attributes request); `custom:
 * false` the fields only (a PATCH sent without them). */
export function fieldDifferences(
  row: MappedRow,
  remote: RemoteValues,
  keyFields: readonly string[],
  compare: { fields?: boolean; custom?: boolean; object?: SyncObject } = {},
): FieldDifference[] {
  const found: FieldDifference[] = [];
  const rules = compare.object ? OBJECTS[compare.object].fields : {};
  if (compare.fields !== false) {
    for (const [field, value] of Object.entries(row.fields)) {
      // Keys, references and UUIDs are never in an answer's values (src/objects/definition.ts: comparedFields).
      if (keyFields.includes(field) || !(field in remote)) continue;
      if (!sameValue(value, remote[field], rules[field]))
        found.push({ field, row: value, chartMogul: remote[field] ?? null });
    }
  }
  if (compare.custom !== false) {
    const custom = remote.custom ?? {};
    for (const attribute of row.custom) {
      const kept = attribute.key in custom ? custom[attribute.key] : undefined;
      if (!sameValue(attribute.value, kept))
        found.push({ field: `custom.${attribute.key}`, row: attribute.value, chartMogul: kept ?? null });
    }
  }
  return found;
}

/** Every value the row sent that a write's answer does not hold, and why. */
export function notKept(
  object: SyncObject,
  row: MappedRow,
  answer: RemoteValues,
  keyFields: readonly string[],
  compare: { fields?: boolean; custom?: boolean } = {},
): NotKeptAnswer[] {
  return fieldDifferences(row, answer, keyFields, { ...compare, object }).map((difference) => ({
    ...difference,
    reason: whyNotKept(object, answer, difference),
  }));
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
  object?: SyncObject,
): boolean {
  const doomed = stillNotKept(row, notKeptBefore) ?? {};
  const rules = object ? OBJECTS[object].fields : {};
  for (const [field, value] of Object.entries(row.fields)) {
    if (keyFields.includes(field) || !(field in remote) || field in doomed) continue;
    if (!sameValue(value, remote[field], rules[field])) return false;
  }
  const custom = remote.custom ?? {};
  return row.custom.every(
    (attribute) => `custom.${attribute.key}` in doomed || sameValue(attribute.value, custom[attribute.key]),
  );
}

/** A dry run's view of an update: each value the row would change (values ChartMogul is known not to keep
 * are left out, as a comparison leaves them out). */
export function fieldChanges(
  row: MappedRow,
  remote: RemoteValues,
  keyFields: readonly string[],
  notKeptBefore?: NotKeptValues | null,
  object?: SyncObject,
): FieldDifference[] {
  const doomed = stillNotKept(row, notKeptBefore) ?? {};
  return fieldDifferences(row, remote, keyFields, { object }).filter((difference) => !(difference.field in doomed));
}
