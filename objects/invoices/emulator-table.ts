// The emulated account's invoices and the subscriptions their line items make, as the emulator keeps them
// (the routes: ./emulator.ts, ./emulator-subscriptions.ts; transactions added later: ../transactions/).

import { randomUUID } from 'node:crypto';

import type { EmulatorStore, RecordTable } from '../../src/emulator/store';

/** A subscription: the import API names it `sub_<uuid>`, the metrics API by another, bare UUID and a number
 * (recorded: go subscriptions.yaml, customer_subscriptions.yaml). */
export interface Subscription {
  id: number;
  uuid: string;
  metrics_uuid: string;
}

/** An imported invoice, as ChartMogul answers it (line items and transactions with their UUIDs). */
export interface Invoice {
  id: number;
  uuid: string;
  data_source_uuid: string;
  customer_uuid: string;
  external_id: string;
  date: string;
  due_date: string | null;
  currency: string;
  collection_method: string | null;
  /** `voided` or `written_off`, once set by the status endpoint (2026); null as imported. */
  status: string | null;
  line_items: Record<string, unknown>[];
  transactions: Record<string, unknown>[];
  /** ChartMogul's errors by field for an invoice it keeps as invalid; empty when valid. */
  errors: Record<string, string>;
}

/** The subscription a customer's subscription line items name; made by the first that names it (kept if the
 * import is refused: the uuid is only ever seen with an invoice that was kept). */
export function subscriptionOf(
  store: EmulatorStore,
  customerUuid: string,
  subscriptionExternalId: string,
): Subscription {
  const subscriptions = store.state('subscriptions', () => new Map<string, Subscription>());
  const key = `${customerUuid}\u0000${subscriptionExternalId}`;
  let subscription = subscriptions.get(key);
  if (!subscription) {
    subscription = { id: store.newId(), uuid: `sub_${randomUUID()}`, metrics_uuid: randomUUID() };
    subscriptions.set(key, subscription);
  }
  return subscription;
}

/** The emulated account's invoices. */
export function invoicesIn(store: EmulatorStore): RecordTable<Invoice> {
  return store.table<Invoice>('invoices');
}
