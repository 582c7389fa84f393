// Typed custom attributes of customers: checks a batch against the account's key types, then applies it.

import { codeError, type Reply } from './http';

import { ATTRIBUTE_TYPES, type AttributeType, type EmulatorStore } from './store';
import { coerceAttribute } from './values';

const KEY_PATTERN = /^[A-Za-z0-9_]+$/;

/** The validated change: values in their stored form and any key types created by it. */
export interface AttributeChange {
  values: Record<string, unknown>;
  newTypes: Map<string, AttributeType>;
}

function invalid(message: string): Reply {
  return codeError(422, message, 'custom');
}

/** The typed array of `POST .../attributes/custom` and of customer create: `[{type, key, value, source?}]`. */
export function checkTypedAttributes(store: EmulatorStore, input: unknown): AttributeChange | Reply {
  if (!Array.isArray(input)) return invalid('custom must be an array of {type, key, value} objects.');
  const change: AttributeChange = { values: {}, newTypes: new Map() };
  for (const item of input as unknown[]) {
    const { type, key, value } = (item ?? {}) as { type?: unknown; key?: unknown; value?: unknown };
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      return invalid(`Custom attribute key ${JSON.stringify(key)} is invalid: use letters, digits and underscores.`);
    }
    if (typeof type !== 'string' || !ATTRIBUTE_TYPES.includes(type as AttributeType)) {
      return invalid(
        `Custom attribute "${key}" has an invalid type ${JSON.stringify(type)}: expected one of ${ATTRIBUTE_TYPES.join(', ')}.`,
      );
    }
    const known = store.attributeTypes.get(key) ?? change.newTypes.get(key);
    if (known && known !== type) {
      return invalid(`Custom attribute "${key}" already exists with type ${known}; it cannot be set as ${type}.`);
    }
    const coerced = coerceAttribute(type as AttributeType, value);
    if ('error' in coerced)
      return invalid(`Custom attribute "${key}" value ${JSON.stringify(value)} ${coerced.error}.`);
    if (!known) change.newTypes.set(key, type as AttributeType);
    change.values[key] = coerced.value;
  }
  return change;
}

/** The map of `PUT .../attributes/custom` and of customer PATCH: `{key: value | {value, source}}`.
 * Keys must exist already ("Attribute must first be created using the POST call"). */
export function checkAttributeMap(store: EmulatorStore, input: unknown): AttributeChange | Reply {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return invalid('custom must be an object of key: value pairs.');
  const change: AttributeChange = { values: {}, newTypes: new Map() };
  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    const type = store.attributeTypes.get(key);
    if (!type)
      return invalid(
        `Custom attribute "${key}" does not exist. Create it first with POST /v1/customers/{uuid}/attributes/custom.`,
      );
    const value: unknown = raw && typeof raw === 'object' && 'value' in raw ? raw.value : raw;
    const coerced = coerceAttribute(type, value);
    if ('error' in coerced)
      return invalid(`Custom attribute "${key}" value ${JSON.stringify(value)} ${coerced.error}.`);
    change.values[key] = coerced.value;
  }
  return change;
}

export function applyAttributeChange(
  store: EmulatorStore,
  target: Record<string, unknown>,
  change: AttributeChange,
): void {
  for (const [key, type] of change.newTypes) store.attributeTypes.set(key, type);
  Object.assign(target, change.values);
}
