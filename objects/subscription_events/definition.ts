// Subscription events: scheduled and immediate changes to a subscription (ChartMogul computes CMRR from the
// scheduled ones). Keyed by external_id in the data source, created by POST and changed in place by PATCH;
// every other record is named by its external id, sent as a value. The rules by event type are ChartMogul's
// (../shared/reference/chartmogul-billing.md, "Subscription events"): the emulator holds them too.

import {
  answeredValues,
  comparedFields,
  entriesAsSentAlone,
  type FieldKind,
  type ObjectDefinition,
  type RemoteValues,
} from '../../src/objects/definition';

export const SUBSCRIPTION_EVENT_TYPES = [
  'subscription_start',
  'subscription_start_scheduled',
  'scheduled_subscription_start_retracted',
  'subscription_cancelled',
  'subscription_cancellation_scheduled',
  'scheduled_subscription_cancellation_retracted',
  'subscription_updated',
  'subscription_update_scheduled',
  'scheduled_subscription_update_retracted',
  'subscription_event_retracted',
] as const;

/** Events that start or change a subscription name what it costs. */
const PRICED_EVENT_TYPES: readonly string[] = [
  'subscription_start',
  'subscription_start_scheduled',
  'subscription_updated',
  'subscription_update_scheduled',
];
const PRICE_FIELDS = ['plan_external_id', 'currency', 'amount_in_cents', 'quantity'];

/** Retractions name the event they take back. */
const RETRACTION_TYPES: readonly string[] = SUBSCRIPTION_EVENT_TYPES.filter((type) => type.endsWith('_retracted'));

/** What an event of its type needs beyond each field's own rules, in a few words each (none when the row
 * carries no event_type: an update changes only what it maps). */
export function eventTypeProblems(fields: Readonly<Record<string, unknown>>): string[] {
  const type = fields.event_type;
  if (typeof type !== 'string') return [];
  const given = (field: string) => fields[field] !== undefined && fields[field] !== null && fields[field] !== '';
  const needed = [
    ...(PRICED_EVENT_TYPES.includes(type) ? PRICE_FIELDS : []),
    ...(RETRACTION_TYPES.includes(type) ? ['retracted_event_id'] : []),
  ];
  return needed.filter((field) => !given(field)).map((field) => `${field} is required for event_type "${type}"`);
}

/** Numbers ChartMogul may answer as text: it echoes `amount_in_cents` as sent ("1000" in its docs' example). */
function asNumbers(values: RemoteValues, kinds: readonly FieldKind[]): RemoteValues {
  for (const [field, rule] of Object.entries(SUBSCRIPTION_EVENTS.fields)) {
    const value = values[field];
    if (kinds.includes(rule.kind) && typeof value === 'string' && /^-?\d+$/.test(value)) values[field] = Number(value);
  }
  return values;
}

export const SUBSCRIPTION_EVENTS: ObjectDefinition = {
  name: 'subscription_events',
  noun: 'subscription event',
  modes: ['insert', 'update', 'upsert'],
  fields: {
    external_id: { kind: 'external-id', createOnly: true },
    customer_external_id: { kind: 'text' },
    event_type: { kind: 'choice', choices: SUBSCRIPTION_EVENT_TYPES },
    event_date: { kind: 'timestamp' },
    effective_date: { kind: 'timestamp' },
    subscription_external_id: { kind: 'text' },
    subscription_set_external_id: { kind: 'text' },
    plan_external_id: { kind: 'text' },
    currency: { kind: 'currency' },
    amount_in_cents: { kind: 'amount' },
    quantity: { kind: 'integer' },
    tax_amount_in_cents: { kind: 'amount' },
    retracted_event_id: { kind: 'text' },
    event_order: { kind: 'integer' },
  },
  keyFields: () => ['external_id'],
  requiredFields: (mode) =>
    mode === 'update'
      ? ['external_id']
      : [
          'external_id',
          'customer_external_id',
          'event_type',
          'event_date',
          'effective_date',
          'subscription_external_id',
        ],
  customAttributes: 'none',
  keyHoldsPersonalData: false,
  listEntries: 'subscription_events',
  listPath: '/v1/subscription_events',
  listingComparesRows: true,
  // An event is named by its number (recorded).
  recordId: (entry) => (typeof entry.id === 'number' || typeof entry.id === 'string' ? String(entry.id) : ''),
  listedKey: (entry) => (typeof entry.external_id === 'string' ? entry.external_id : ''),
  remoteValues: (answer) =>
    asNumbers(answeredValues(answer, comparedFields(SUBSCRIPTION_EVENTS)), ['amount', 'integer']),
  rowProblems: (fields) => eventTypeProblems(fields),
  bulk: {
    entries: entriesAsSentAlone('subscription_events'),
    customerOf: (_key, fields) => (typeof fields.customer_external_id === 'string' ? fields.customer_external_id : ''),
  },
  customAttributeNotKept: () => 'subscription events have no custom attributes',
};
