// Transactions: payments and refunds that arrive after their invoice, keyed by external_id in the data
// source and added to the invoice named by invoice_external_id (looked up, never guessed). Insert only:
// ChartMogul counts each one, so one is never sent twice (./activities.ts).

import {
  answeredValues,
  comparedFields,
  entriesAsSentAlone,
  type NestedList,
  type ObjectDefinition,
} from '../../src/objects/definition';

export const TRANSACTIONS: ObjectDefinition = {
  name: 'transactions',
  noun: 'transaction',
  modes: ['insert'],
  // In the order an invoice's import has always sent them (TRANSACTIONS_IN_AN_INVOICE): row hashes depend on it.
  fields: {
    type: { kind: 'choice', choices: ['payment', 'refund'] },
    date: { kind: 'timestamp' },
    result: { kind: 'choice', choices: ['successful', 'failed'] },
    external_id: { kind: 'external-id', createOnly: true },
    amount_in_cents: { kind: 'amount' },
    transaction_fees_in_cents: { kind: 'amount' },
    transaction_fees_currency: { kind: 'currency' },
    invoice_external_id: { kind: 'reference' },
  },
  keyFields: () => ['external_id'],
  requiredFields: () => ['external_id', 'invoice_external_id', 'type', 'date', 'result'],
  customAttributes: 'none',
  parent: { object: 'invoices', field: 'invoice_external_id' },
  keyHoldsPersonalData: false,
  keepsInvalidRecords: true,
  listEntries: 'transactions',
  listPath: '/v1/transactions',
  // ChartMogul documents no list of a data source's transactions; its list of invoices shows each one's.
  listedInParent: 'transactions',
  listingComparesRows: true,
  listedKey: (entry) => (typeof entry.external_id === 'string' ? entry.external_id : ''),
  remoteValues: (answer) => answeredValues(answer, comparedFields(TRANSACTIONS)),
  bulk: {
    // Each names its invoice by external id, as a transaction row does.
    entries: entriesAsSentAlone('transactions'),
    // The invoice's customer is not in the row: one customer for all keeps a sync's transaction imports one at
    // a time, so no two being processed at once can hold one customer.
    customerOf: () => '',
  },
  customAttributeNotKept: () => 'transactions have no custom attributes',
};

/** What a transaction in its invoice's list must have: what a transaction row must, but its own key (optional
 * there) and the invoice it names (the one it is in). */
const REQUIRED_IN_AN_INVOICE = TRANSACTIONS.requiredFields('insert').filter(
  (field) => !TRANSACTIONS.keyFields('insert').includes(field) && field !== TRANSACTIONS.parent?.field,
);

/** Transactions imported with their invoice, in its `transactions` list: a transaction's own fields but the
 * invoice it names. */
export const TRANSACTIONS_IN_AN_INVOICE: NestedList = {
  noun: 'transaction',
  atLeastOne: false,
  othersMayBeHeld: true,
  keys: Object.fromEntries(Object.entries(TRANSACTIONS.fields).filter(([, rule]) => rule.kind !== 'reference')),
  problems: (_element, given) =>
    REQUIRED_IN_AN_INVOICE.filter((key) => !given(key)).map((key) => `"${key}" is missing`),
};
