// Request bodies for ChartMogul, built from a mapped row. Pure; one place decides each body's shape.

import type { CustomValue, MappedRow } from '../spec/mapping';

/** Standard fields that ChartMogul takes in its own shape (state as ISO 3166-2, timestamps ISO 8601 UTC). */
function standardFields(row: MappedRow, skip: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(Object.entries(row.fields).filter(([field]) => !skip.includes(field)));
}

/** The typed array of customer create and `POST .../attributes/custom`. */
export function typedAttributes(custom: readonly CustomValue[]): { type: string; key: string; value: unknown }[] {
  return custom.map(({ key, type, value }) => ({ type, key, value }));
}

export function customerCreateBody(dataSourceUuid: string, row: MappedRow): Record<string, unknown> {
  const custom = row.custom.filter((attribute) => attribute.value !== null);
  const fields = Object.fromEntries(Object.entries(standardFields(row, [])).filter(([, value]) => value !== null));
  return {
    data_source_uuid: dataSourceUuid,
    ...fields,
    ...(custom.length > 0 ? { attributes: { custom: typedAttributes(custom) } } : {}),
  };
}

/** PATCH body: every standard field but the key (ChartMogul does not change external_id by PATCH), and
 * with `withCustom` the custom attributes as the `{key: value}` map PATCH takes (for existing keys only). */
export function customerPatchBody(row: MappedRow, withCustom = false): Record<string, unknown> {
  const body: Record<string, unknown> = standardFields(row, ['external_id']);
  if (withCustom && row.custom.length > 0)
    body.attributes = { custom: Object.fromEntries(row.custom.map(({ key, value }) => [key, value])) };
  return body;
}

export function contactBody(row: MappedRow): Record<string, unknown> {
  const fields = standardFields(row, ['customer_external_id', 'uuid']);
  const custom = row.custom.map(({ key, value }) => ({ key, value }));
  return { ...fields, ...(custom.length > 0 ? { custom } : {}) };
}
