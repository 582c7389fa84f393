// Deciding what a row costs: a canonical hash of its payload (unchanged rows cost nothing), and a
// comparison with ChartMogul's current values after a prefetch. Node-side (uses node:crypto).

import { createHash } from 'node:crypto';

import type { MappedRow } from '../spec/mapping';
import type { SyncSpec } from '../spec/schema';

/** The same payload always hashes the same: fields and attributes sorted, numbers and dates in one form. */
export function payloadHash(spec: SyncSpec, row: MappedRow): string {
  const canonical = {
    object: spec.object,
    dataSource: spec.dataSourceUuid,
    fields: Object.entries(row.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    custom: [...row.custom].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ key, type, value }) => [key, type, value]),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 40);
}

/** ChartMogul's answer in the row's terms: `{ field: value, custom: { key: value } }`, '' as null. */
export type RemoteValues = Record<string, unknown> & { custom?: Record<string, unknown> };

const CUSTOMER_FIELDS = ['name', 'email', 'company', 'country', 'city', 'zip', 'lead_created_at', 'free_trial_started_at', 'owner', 'website_url'] as const;
const CONTACT_FIELDS = ['first_name', 'last_name', 'email', 'title', 'phone', 'linked_in', 'twitter', 'notes'] as const;

function blankToNull(value: unknown): unknown {
  return value === '' || value === undefined ? null : value;
}

/** A field the answer does not carry at all (a list entry may leave some out) is left out too: unknown, not
 * empty, so it never counts as a difference. */
export function customerRemoteValues(customer: Record<string, unknown>): RemoteValues {
  const values: RemoteValues = {};
  for (const field of CUSTOMER_FIELDS) if (field in customer) values[field] = blankToNull(customer[field]);
  // ChartMogul answers `state` as the bare code; rows carry ISO 3166-2.
  const state = blankToNull(customer.state);
  if ('state' in customer) values.state = typeof state === 'string' && !state.includes('-') && typeof customer.country === 'string' ? `${customer.country}-${state}` : state;
  values.custom = ((customer.attributes as { custom?: Record<string, unknown> } | undefined)?.custom) ?? {};
  return values;
}

export function contactRemoteValues(contact: Record<string, unknown>): RemoteValues {
  const values: RemoteValues = {};
  for (const field of CONTACT_FIELDS) if (field in contact) values[field] = blankToNull(contact[field]);
  values.custom = (contact.custom as Record<string, unknown> | undefined) ?? {};
  return values;
}

function same(ours: unknown, theirs: unknown): boolean {
  const a = blankToNull(ours);
  const b = blankToNull(theirs);
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b)) return Date.parse(a) === Date.parse(b);
  return a === b;
}

/** True when ChartMogul already holds every value the row would send. */
export function matchesRemote(row: MappedRow, remote: RemoteValues, keyFields: readonly string[]): boolean {
  for (const [field, value] of Object.entries(row.fields)) {
    if (keyFields.includes(field) || field === 'uuid' || field === 'customer_external_id' || !(field in remote)) continue;
    if (!same(value, remote[field])) return false;
  }
  const custom = remote.custom ?? {};
  return row.custom.every((attribute) => same(attribute.value, custom[attribute.key]));
}
