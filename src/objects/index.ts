// The registry of ChartMogul objects' definitions (see definition.ts): one line per object, whose folder
// (objects/<name>/) holds its definition, procedure, activities and emulator routes. Pure.

import { CONTACTS } from '../../objects/contacts/definition';
import { CUSTOMERS } from '../../objects/customers/definition';
import { INVOICES } from '../../objects/invoices/definition';
import { PLANS } from '../../objects/plans/definition';
import { SUBSCRIPTION_EVENTS } from '../../objects/subscription_events/definition';
import { TRANSACTIONS } from '../../objects/transactions/definition';
import type { KeyOptions, ObjectDefinition, SyncMode, SyncObject } from './definition';

export * from './definition';

export const OBJECTS: Readonly<Record<SyncObject, ObjectDefinition>> = {
  customers: CUSTOMERS,
  contacts: CONTACTS,
  plans: PLANS,
  invoices: INVOICES,
  transactions: TRANSACTIONS,
  subscription_events: SUBSCRIPTION_EVENTS,
};

/** A mapping target that is not one of the object's standard fields is a custom attribute (for objects
 * that have them: elsewhere the spec refuses it). */
export function isCustomAttribute(object: SyncObject, field: string): boolean {
  return OBJECTS[object].customAttributes !== 'none' && !(field in OBJECTS[object].fields);
}

export function recordKeyFields(object: SyncObject, mode: SyncMode, options?: KeyOptions): string[] {
  return [...OBJECTS[object].keyFields(mode, options)];
}

/** The objects a sync of `object` lists in a prefetch: its parent's first (their UUIDs), then its own. Only
 * the direct parent: a row names nothing further up. */
export function prefetchObjects(object: SyncObject): SyncObject[] {
  const parent = OBJECTS[object].parent;
  return parent ? [parent.object, object] : [object];
}
