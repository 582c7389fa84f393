// Contacts: they belong to a customer. Rows are keyed by their customer and email (by their ChartMogul uuid in
// update mode), or, with options.contactKey "external_id", by the contact's own external_id (2026), found among
// its customer's contacts (ChartMogul lists contacts by no filter on it). Custom attributes as key/value pairs,
// kept only for keys the account defines.

import {
  answeredValues,
  comparedFields,
  type KeyOptions,
  type ObjectDefinition,
  SYNC_MODES,
} from '../../src/objects/definition';

const byExternalId = (options?: KeyOptions) => options?.contactKey === 'external_id';

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
    // The contact's own id in the source (2026): the key with options.contactKey "external_id"; else sent and
    // compared as a value (a spec can set it on contacts that ChartMogul holds without one).
    external_id: { kind: 'text' },
    /** Its place in the customer's list of contacts in ChartMogul's UI (ChartMogul gives the next when unset). */
    position: { kind: 'count' },
    uuid: { kind: 'uuid', modes: ['update'] },
  },
  keyFields: (mode, options) =>
    byExternalId(options) ? ['external_id'] : mode === 'update' ? ['uuid'] : ['customer_external_id', 'email'],
  requiredFields: (mode, options) =>
    byExternalId(options)
      ? ['customer_external_id', 'external_id']
      : mode === 'update'
        ? ['customer_external_id', 'uuid']
        : mode === 'upsert'
          ? ['customer_external_id', 'email']
          : ['customer_external_id'],
  optionalKeyFields: (mode, options) => (mode === 'insert' && !byExternalId(options) ? ['email'] : []),
  customAttributes: 'key-value',
  parent: { object: 'customers', field: 'customer_external_id' },
  keyHoldsPersonalData: true,
  listEntries: 'entries',
  listingComparesRows: true,
  listPath: '/v1/contacts',
  readPath: '/v1/contacts',
  listedKey(entry, mode, options) {
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    if (byExternalId(options)) return text(entry.external_id);
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
