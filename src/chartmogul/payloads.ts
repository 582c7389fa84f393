// Request bodies for ChartMogul, built from a mapped row: the generic shapes every object's create and update
// take, from its definition. Pure. An object whose body is its own builds it in its folder's payloads.ts (an
// invoice's import names its plans by UUID and may carry back another spec's transactions).

import { OBJECTS, type FieldValue, type SyncObject } from '../objects';
import type { CustomValue, MappedRow } from '../sync-spec/mapping';

/** The row's standard fields a create (or an update) sends, in ChartMogul's own shape (state as ISO 3166-2,
 * timestamps ISO 8601 UTC): references and UUIDs find a record, they are not its values, and a create-only
 * field is not sent again on update. */
function standardFields(
  object: SyncObject,
  row: MappedRow,
  use: 'create' | 'update',
): Record<string, FieldValue | null> {
  const fields = OBJECTS[object].fields;
  return Object.fromEntries(
    Object.entries(row.fields).filter(([field]) => {
      const rule = fields[field];
      // Tags go under `attributes` on create, and through their own endpoints after (the object's activities).
      if (!rule || rule.kind === 'reference' || rule.kind === 'uuid' || rule.kind === 'tags') return false;
      return use === 'create' || !rule.createOnly;
    }),
  );
}

/** The typed array of a customer create and `POST .../attributes/custom`. */
export function typedAttributes(custom: readonly CustomValue[]): { type: string; key: string; value: unknown }[] {
  return custom.map(({ key, type, value }) => ({ type, key, value }));
}

function withoutNulls<T>(values: Record<string, T | null>): Record<string, T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null)) as Record<string, T>;
}

/** A create's body: the data source, the fields and attributes that have values, attributes in the object's
 * style (a typed array under `attributes.custom`, or `custom: [{key, value}]`). */
export function createBody(object: SyncObject, dataSourceUuid: string, row: MappedRow): Record<string, unknown> {
  const custom = row.custom.filter((attribute) => attribute.value !== null);
  const typed = OBJECTS[object].customAttributes === 'typed';
  const attributes: Record<string, unknown> = { ...tagsOf(object, row) };
  if (custom.length > 0 && typed) attributes.custom = typedAttributes(custom);
  return {
    data_source_uuid: dataSourceUuid,
    ...withoutNulls(standardFields(object, row, 'create')),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...(custom.length > 0 && !typed ? { custom: custom.map(({ key, value }) => ({ key, value })) } : {}),
  };
}

/** The row's tags, as `attributes.tags` carries them (a customer's), when it maps them and has some. */
export function tagsOf(object: SyncObject, row: MappedRow): { tags?: readonly string[] } {
  const field = Object.entries(OBJECTS[object].fields).find(([, rule]) => rule.kind === 'tags')?.[0];
  const tags = field === undefined ? undefined : row.fields[field];
  return Array.isArray(tags) && tags.length > 0 ? { tags: tags as readonly string[] } : {};
}

/** An update's (PATCH) body: every standard field but create-only ones (a null clears), and the custom
 * attributes: typed objects take them as the `{key: value}` map PATCH accepts for keys the record has
 * already (`withCustom`); key-value objects as `custom: [{key, value}]`. */
export function updateBody(object: SyncObject, row: MappedRow, withCustom = false): Record<string, unknown> {
  const body: Record<string, unknown> = standardFields(object, row, 'update');
  if (row.custom.length === 0) return body;
  if (OBJECTS[object].customAttributes === 'key-value')
    body.custom = row.custom.map(({ key, value }) => ({ key, value }));
  else if (withCustom)
    body.attributes = { custom: Object.fromEntries(row.custom.map(({ key, value }) => [key, value])) };
  return body;
}
