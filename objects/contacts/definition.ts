// Contacts: they belong to a customer, and rows are keyed by their customer and email (by their ChartMogul
// uuid in update mode): ChartMogul gave contacts an external_id only in 2026, and lists them by no filter on
// it. Custom attributes as key/value pairs, kept only for keys the account defines.

import { answeredValues, comparedFields, type ObjectDefinition, SYNC_MODES } from '../../src/objects/definition';

export const CONTACTS: ObjectDefinition = {
  name: 'contacts',
  noun: 'contact',
  modes: SYNC_MODES,
  fields: {
    customer_external_id: { kind: 'reference' },
    first_name: { kind: 'text' },
    last_name: { kind: 'text' },
    email: { kind: 'email' },
    title: { kind: 'text' },
    phone: { kind: 'text' },
    linked_in: { kind: 'text' },
    twitter: { kind: 'text' },
    notes: { kind: 'notes' },
    // The contact's own id in the source (2026): sent and compared as a value; rows are still keyed by
    // customer and email (a spec can set it on contacts that ChartMogul holds without one).
    external_id: { kind: 'text' },
    /** Its place in the customer's list of contacts in ChartMogul's UI (ChartMogul gives the next when unset). */
    position: { kind: 'count' },
    uuid: { kind: 'uuid', modes: ['update'] },
  },
  keyFields: (mode) => (mode === 'update' ? ['uuid'] : ['customer_external_id', 'email']),
  requiredFields: (mode) =>
    mode === 'update'
      ? ['customer_external_id', 'uuid']
      : mode === 'upsert'
        ? ['customer_external_id', 'email']
        : ['customer_external_id'],
  optionalKeyFields: (mode) => (mode === 'insert' ? ['email'] : []),
  customAttributes: 'key-value',
  parent: { object: 'customers', field: 'customer_external_id' },
  keyHoldsPersonalData: true,
  listEntries: 'entries',
  listingComparesRows: true,
  listPath: '/v1/contacts',
  readPath: '/v1/contacts',
  listedKey(entry, mode) {
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    return mode === 'update' ? text(entry.uuid) : `${text(entry.customer_external_id)}/${text(entry.email)}`;
  },
  remoteValues(answer) {
    const values = answeredValues(answer, comparedFields(CONTACTS));
    values.custom = (answer.custom as Record<string, unknown> | undefined) ?? {};
    return values;
  },
  customAttributeNotKept: (key) =>
    `custom attribute "${key}" is not defined for contacts in this ChartMogul account (define it in ChartMogul's settings to keep it)`,
};
