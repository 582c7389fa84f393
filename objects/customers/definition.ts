// Customers: keyed by external_id in their data source; typed custom attributes.

import {
  answeredValues,
  blankToNull,
  comparedFields,
  entriesAsSentAlone,
  type ObjectDefinition,
  SYNC_MODES,
} from '../../src/objects/definition';

/** The statuses a sync may set: a lead's. ChartMogul assigns the others (Active, Past Due, Cancelled) from a
 * customer's subscriptions, and answers them in the same `status` key. */
export const LEAD_STATUSES = ['New Lead', 'Working Lead', 'Qualified Lead', 'Unqualified Lead'] as const;

/** The fields a bulk import's customers take: the standard fields of the docs' example only (no attributes,
 * tags, owner, website or lead status: ChartMogul's 2026 docs). */
export const BULK_CUSTOMER_FIELDS: readonly string[] = [
  'external_id',
  'name',
  'email',
  'company',
  'country',
  'state',
  'city',
  'zip',
  'lead_created_at',
  'free_trial_started_at',
];

export const CUSTOMERS: ObjectDefinition = {
  name: 'customers',
  noun: 'customer',
  modes: SYNC_MODES,
  fields: {
    external_id: { kind: 'external-id', createOnly: true },
    name: { kind: 'text' },
    email: { kind: 'email' },
    company: { kind: 'text' },
    country: { kind: 'country' },
    state: { kind: 'state' },
    city: { kind: 'text' },
    zip: { kind: 'text' },
    lead_created_at: { kind: 'past-timestamp' },
    free_trial_started_at: { kind: 'past-timestamp' },
    owner: { kind: 'email' },
    website_url: { kind: 'url' },
    status: { kind: 'choice', choices: LEAD_STATUSES },
    tags: { kind: 'tags' },
  },
  keyFields: () => ['external_id'],
  requiredFields: () => ['external_id'],
  customAttributes: 'typed',
  keyHoldsPersonalData: false,
  listEntries: 'entries',
  listingComparesRows: true,
  listPath: '/v1/customers',
  readPath: '/v1/customers',
  listedKey: (entry) => (typeof entry.external_id === 'string' ? entry.external_id : ''),
  remoteValues(answer) {
    const values = answeredValues(answer, comparedFields(CUSTOMERS, ['state', 'status', 'tags']));
    // A lead status is compared while the customer is a lead; once ChartMogul assigns a lifecycle status, the
    // row's lead status has no say (ChartMogul would not keep it), so it is neither compared nor sent again.
    if ((LEAD_STATUSES as readonly unknown[]).includes(answer.status)) values.status = answer.status;
    const attributes = answer.attributes as { tags?: unknown } | undefined;
    if (attributes && Array.isArray(attributes.tags)) values.tags = attributes.tags;
    // ChartMogul answers `state` as the bare code; rows carry ISO 3166-2.
    if ('state' in answer) {
      const state = blankToNull(answer.state);
      values.state =
        typeof state === 'string' && !state.includes('-') && typeof answer.country === 'string'
          ? `${answer.country}-${state}`
          : state;
    }
    values.custom = (answer.attributes as { custom?: Record<string, unknown> } | undefined)?.custom ?? {};
    return values;
  },
  bulk: {
    entries: entriesAsSentAlone('customers'),
    customerOf: (key) => key,
    // Any other field would cost its own request after the import, the one the import saved: such a customer
    // goes one by one, in the one request that sets it all.
    goesAlone: (fields) =>
      Object.entries(fields).some(
        ([field, value]) =>
          value !== null && !(Array.isArray(value) && value.length === 0) && !BULK_CUSTOMER_FIELDS.includes(field),
      ),
  },
  customAttributeNotKept: (key) => `custom attribute "${key}" was not kept by ChartMogul`,
};
