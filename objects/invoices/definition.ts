// Invoices: keyed by external_id in their data source, imported one per request onto their customer (named
// by customer_external_id, looked up, never guessed), with their line items and transactions as JSON lists.
// ChartMogul keeps no idempotency key and counts every invoice in MRR, so an invoice is never sent again as
// a second one: a create that may have happened is looked up and compared (./activities.ts).

import { answeredValues, type ObjectDefinition } from '../../src/objects/definition';

export const INVOICE_COLLECTION_METHODS = ['automatic', 'manual'] as const;

/** An invoice's fields ChartMogul changes in place (PATCH); any other difference needs a new invoice. */
export const INVOICE_FIELDS_CHANGED_IN_PLACE: readonly string[] = ['date', 'due_date', 'currency'];

export const INVOICES: ObjectDefinition = {
  name: 'invoices',
  noun: 'invoice',
  // No update mode: an invoice is found by its external id alone. Upsert changes its date, due date and currency
  // in place; other changes fail, or replace the invoice when the spec says so (./procedure.ts).
  modes: ['insert', 'upsert'],
  fields: {
    external_id: { kind: 'external-id', createOnly: true },
    customer_external_id: { kind: 'reference' },
    date: { kind: 'timestamp' },
    currency: { kind: 'currency' },
    due_date: { kind: 'timestamp' },
    collection_method: { kind: 'choice', choices: INVOICE_COLLECTION_METHODS },
    line_items: { kind: 'line-items' },
    transactions: { kind: 'transactions' },
  },
  keyFields: () => ['external_id'],
  requiredFields: () => ['external_id', 'customer_external_id', 'date', 'currency', 'line_items'],
  customAttributes: 'none',
  parent: { object: 'customers', field: 'customer_external_id' },
  keyHoldsPersonalData: false,
  listEntries: 'invoices',
  listPath: '/v1/invoices',
  references: ['plans'],
  replacedOnChange: true,
  listingComparesRows: false,
  listedKey: (entry) => (typeof entry.external_id === 'string' ? entry.external_id : ''),
  remoteValues: (answer) => answeredValues(answer, ['date', 'currency', 'due_date', 'collection_method']),
  customAttributeNotKept: () => 'invoices have no custom attributes',
};
