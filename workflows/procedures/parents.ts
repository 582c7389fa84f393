// A row's parent record (src/objects: `parent`): a contact's or an invoice's customer, a transaction's
// invoice: the one the store knows, else one looked up by its external id; a missing one rejects the row.

import type { RowToSend } from '../../src/contracts/sync-types';
import type { Destination } from '../../src/contracts/activities';
import { textField } from '../../src/sync-spec/mapping';
import { callApi } from '../activities';
import { onStoredRecord, RowRejected, type Calls } from './shared';

/** Looks a customer up by external_id; given the row, the answer says whether it already holds the row. */
export async function lookupCustomer(target: Destination, key: string, summary: string, calls: Calls, row?: RowToSend) {
  calls.read();
  return callApi('lookupCustomer', summary, row ? { target, externalId: key, row } : { target, externalId: key });
}

/** The record a row belongs to (src/objects: `parent`): a contact's or an invoice's customer, a
 * transaction's invoice. */
interface Parent {
  object: 'customers' | 'invoices';
  /** The row's field that names it by external id. */
  field: string;
  /** The row's own record, in summaries: `contact`. */
  child: string;
}

export const CUSTOMER_OF_CONTACT: Parent = { object: 'customers', field: 'customer_external_id', child: 'contact' };
export const CUSTOMER_OF_INVOICE: Parent = { object: 'customers', field: 'customer_external_id', child: 'invoice' };
export const INVOICE_OF_TRANSACTION: Parent = {
  object: 'invoices',
  field: 'invoice_external_id',
  child: 'transaction',
};

async function findParent(target: Destination, row: RowToSend, calls: Calls, parent: Parent): Promise<string> {
  const key = textField(row, parent.field);
  const noun = parent.object === 'customers' ? 'customer' : 'invoice';
  const summary = `look up ${noun} ${key} for ${parent.child} ${row.key}`;
  let found: { uuid: string } | null;
  if (parent.object === 'customers') found = await lookupCustomer(target, key, summary, calls);
  else {
    calls.read();
    found = await callApi('lookupInvoice', summary, { target, externalId: key });
  }
  if (!found) throw new RowRejected(`${noun} "${key}" not found in the data source: sync ${parent.object} first`);
  return found.uuid;
}

/** Runs an action on the row's parent record: the one the store knows, else one looked up. A stored parent
 * that ChartMogul no longer has is forgotten, looked up again, and the action runs once more. */
export async function withParent<T>(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  parent: Parent,
  action: (parentUuid: string) => Promise<T>,
): Promise<T> {
  const stored = row.parentUuid;
  if (stored) {
    const result = await onStoredRecord(calls, 'parent', async () => ({ value: await action(stored) }));
    if (result) return result.value;
  }
  return action(await findParent(target, row, calls, parent));
}
