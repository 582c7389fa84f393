// Invoices: keyed by external_id in their data source, imported one per request onto their customer (named
// by customer_external_id, looked up, never guessed), with their line items and transactions as JSON lists.
// ChartMogul keeps no idempotency key and counts every invoice in MRR, so an invoice is never sent again as
// a second one: a create that may have happened is looked up and compared (./activities.ts).

import { answeredValues, type NestedList, type ObjectDefinition } from '../../src/objects/definition';
import { TRANSACTIONS_IN_AN_INVOICE } from '../transactions/definition';

export const INVOICE_COLLECTION_METHODS = ['automatic', 'manual'] as const;

/** The statuses ChartMogul's invoice status endpoint sets (2026): an invoice without one is as imported. */
export const INVOICE_STATUSES = ['voided', 'written_off'] as const;

/** An invoice's fields its PATCH changes in place. */
export const INVOICE_FIELDS_PATCHED: readonly string[] = ['date', 'due_date', 'currency', 'collection_method'];

/** An invoice's fields ChartMogul changes in place: the PATCH's, and `status` by its own endpoint (never sent
 * with an import). Any other difference needs a new invoice. */
export const INVOICE_FIELDS_CHANGED_IN_PLACE: readonly string[] = [...INVOICE_FIELDS_PATCHED, 'status'];

/** What a line item of each type must have (subscriptions and trials make a subscription: a plan, its external
 * id and the period it covers), and what its values must agree on. */
function lineItemProblems(item: Readonly<Record<string, unknown>>, given: (key: string) => boolean): string[] {
  const problems: string[] = [];
  const needs = (key: string, why: string) => {
    if (!given(key)) problems.push(`"${key}" is missing: ${why}`);
  };
  needs('type', 'subscription, one_time or trial');
  needs('amount_in_cents', 'the amount in minor units (cents), after discounts');
  if (item.type === 'subscription' || item.type === 'trial') {
    for (const key of ['plan_external_id', 'subscription_external_id', 'service_period_start', 'service_period_end'])
      needs(key, `a ${String(item.type)} line item needs its plan, subscription and service period`);
  }
  const start = item.service_period_start;
  const end = item.service_period_end;
  if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) <= Date.parse(start))
    problems.push(`the service period ends (${end}) before it starts (${start})`);
  const amount = item.amount_in_cents;
  const tax = item.tax_amount_in_cents;
  if (typeof amount === 'number' && typeof tax === 'number' && tax > amount)
    problems.push(`"tax_amount_in_cents" ${tax} is more than "amount_in_cents" ${amount}`);
  return problems;
}

/** An invoice's line items, as ChartMogul names their keys but `plan_external_id`, which the import resolves
 * to the plan's `plan_uuid` (./activities.ts). */
export const LINE_ITEMS: NestedList = {
  noun: 'line item',
  atLeastOne: true,
  keys: {
    type: { kind: 'choice', choices: ['subscription', 'one_time', 'trial'] },
    external_id: { kind: 'text' },
    subscription_external_id: { kind: 'text' },
    subscription_set_external_id: { kind: 'text' },
    plan_external_id: { kind: 'reference' },
    service_period_start: { kind: 'timestamp' },
    service_period_end: { kind: 'timestamp' },
    amount_in_cents: { kind: 'signed-amount' },
    quantity: { kind: 'non-zero-integer' },
    prorated: { kind: 'boolean' },
    proration_type: { kind: 'choice', choices: ['full', 'differential', 'differential_mrr'] },
    cancelled_at: { kind: 'past-timestamp' },
    discount_amount_in_cents: { kind: 'amount' },
    discount_code: { kind: 'text' },
    discount_description: { kind: 'text' },
    tax_amount_in_cents: { kind: 'amount' },
    transaction_fees_in_cents: { kind: 'amount' },
    transaction_fees_currency: { kind: 'currency' },
    account_code: { kind: 'text' },
    description: { kind: 'text' },
    event_order: { kind: 'integer' },
  },
  problems: lineItemProblems,
};

/** The row's (or its import body's) line items and transactions that have no external id to be matched by, in
 * a few words each: an invoice is edited in place only when there are none. */
export function elementsWithoutExternalId(fields: Readonly<Record<string, unknown>>): string[] {
  const lists: [string, string][] = [
    ['line_items', 'line item'],
    ['transactions', 'transaction'],
  ];
  return lists.flatMap(([field, noun]) => {
    const entries = Array.isArray(fields[field]) ? (fields[field] as readonly Record<string, unknown>[]) : [];
    return entries.flatMap((entry, index) =>
      typeof entry.external_id === 'string' && entry.external_id !== ''
        ? []
        : [`${noun} ${index + 1} has no external_id: options.invoiceChanges "edit" matches ${noun}s by it`],
    );
  });
}

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
    status: { kind: 'choice', choices: INVOICE_STATUSES },
    line_items: { kind: 'list', list: LINE_ITEMS },
    transactions: { kind: 'list', list: TRANSACTIONS_IN_AN_INVOICE },
  },
  keyFields: () => ['external_id'],
  requiredFields: () => ['external_id', 'customer_external_id', 'date', 'currency', 'line_items'],
  customAttributes: 'none',
  parent: { object: 'customers', field: 'customer_external_id' },
  keyHoldsPersonalData: false,
  keepsInvalidRecords: true,
  listEntries: 'invoices',
  listPath: '/v1/invoices',
  references: ['plans'],
  replacedOnChange: true,
  // Since 2026 a listed invoice's line items name their plans by external id, as its row does.
  listingComparesRows: true,
  listedKey: (entry) => (typeof entry.external_id === 'string' ? entry.external_id : ''),
  remoteValues: (answer) =>
    answeredValues(answer, [
      'date',
      'currency',
      'due_date',
      'collection_method',
      'status',
      'line_items',
      'transactions',
    ]),
  rowProblems: (fields, options) => (options.invoiceChanges === 'edit' ? elementsWithoutExternalId(fields) : []),
  editableInPlace: (fields) => elementsWithoutExternalId(fields).length === 0,
  bulk: {
    // A status is set by its own endpoint after the import: such a row goes one at a time.
    goesAlone: (fields) => fields.status !== undefined && fields.status !== null,
    entries(key, fields) {
      const list = (field: string) =>
        Array.isArray(fields[field]) ? (fields[field] as Record<string, unknown>[]) : [];
      const invoice = Object.fromEntries(
        Object.entries(fields).filter(
          ([field, value]) =>
            value !== null && field !== 'line_items' && field !== 'transactions' && field !== 'status',
        ),
      );
      // A line item and a transaction name their invoice; a line item names its plan by external id, as rows do.
      return {
        invoices: [{ ...invoice, external_id: key }],
        line_items: list('line_items').map((item) => ({ ...item, invoice_external_id: key })),
        transactions: list('transactions').map((transaction) => ({ ...transaction, invoice_external_id: key })),
      };
    },
    customerOf: (_key, fields) => (typeof fields.customer_external_id === 'string' ? fields.customer_external_id : ''),
  },
  customAttributeNotKept: () => 'invoices have no custom attributes',
};
