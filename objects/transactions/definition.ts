// Transactions: payments and refunds that arrive after their invoice, keyed by external_id in the data
// source and added to the invoice named by invoice_external_id (looked up, never guessed). Insert only:
// ChartMogul counts each one, so one is never sent twice (./activities.ts).

import { answeredValues, comparedFields, type ObjectDefinition } from '../../src/objects/definition';

export const TRANSACTIONS: ObjectDefinition = {
  name: 'transactions',
  noun: 'transaction',
  modes: ['insert'],
  fields: {
    external_id: { kind: 'external-id', createOnly: true },
    invoice_external_id: { kind: 'reference' },
    type: { kind: 'choice', choices: ['payment', 'refund'] },
    date: { kind: 'timestamp' },
    result: { kind: 'choice', choices: ['successful', 'failed'] },
    amount_in_cents: { kind: 'amount' },
    transaction_fees_in_cents: { kind: 'amount' },
    transaction_fees_currency: { kind: 'currency' },
  },
  keyFields: () => ['external_id'],
  requiredFields: () => ['external_id', 'invoice_external_id', 'type', 'date', 'result'],
  customAttributes: 'none',
  parent: { object: 'invoices', field: 'invoice_external_id' },
  keyHoldsPersonalData: false,
  listEntries: 'transactions',
  listPath: '/v1/transactions',
  listingComparesRows: true,
  listedKey: (entry) => (typeof entry.external_id === 'string' ? entry.external_id : ''),
  remoteValues: (answer) => answeredValues(answer, comparedFields(TRANSACTIONS)),
  customAttributeNotKept: () => 'transactions have no custom attributes',
};
