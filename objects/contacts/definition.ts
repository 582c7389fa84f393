// Contacts: they belong to a customer and have no external key of their own, so rows are keyed by their
// customer and email (by their ChartMogul uuid in update mode); custom attributes as key/value pairs, kept
// only for keys the account defines.

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
