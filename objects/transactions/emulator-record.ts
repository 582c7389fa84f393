// A transaction as the emulator keeps it inside its invoice, whether imported with the invoice
// (../invoices/emulator.ts) or added later (./emulator.ts): its checks, its answer's keys, and its lookup.

import { randomUUID } from 'node:crypto';

import { asString } from '../../src/emulator/http';
import type { EmulatorStore } from '../../src/emulator/store';
import { checkedDate, isCentsOrAbsent, pick } from '../../src/emulator/values';
import { invoicesIn } from '../invoices/emulator-table';

/** The Go client's constant for a repeated external id; no recording has it. */
export const DUPLICATE_TRANSACTION = 'has already been taken';

/** The keys a transaction answer carries with its invoice, in the recorded order. */
export const TRANSACTION_KEYS = [
  'uuid',
  'external_id',
  'amount_in_cents',
  'type',
  'date',
  'result',
  'transaction_fees_in_cents',
  'transaction_fees_currency',
];

export const TRANSACTION_DEFAULTS: Record<string, unknown> = {
  external_id: null,
  amount_in_cents: null,
  transaction_fees_in_cents: null,
  transaction_fees_currency: null,
};

export function findTransaction(store: EmulatorStore, dataSourceUuid: string, externalId: string) {
  for (const invoice of invoicesIn(store).values()) {
    if (invoice.data_source_uuid !== dataSourceUuid) continue;
    const found = invoice.transactions.find((transaction) => transaction.external_id === externalId);
    if (found) return { invoice, transaction: found };
  }
  return undefined;
}

/** The transaction external ids a data source's invoices hold. */
export function transactionIds(store: EmulatorStore, dataSourceUuid: string): Set<unknown> {
  return new Set(
    [...invoicesIn(store).values()]
      .filter((invoice) => invoice.data_source_uuid === dataSourceUuid)
      .flatMap((invoice) => invoice.transactions.map((transaction) => transaction.external_id)),
  );
}

/** A transaction to keep in an invoice of `dataSourceUuid`, and ChartMogul's errors by key: one with errors is
 * kept as invalid (hidden from default reads), unless its external id is taken (then nothing is kept). */
export function checkTransaction(
  store: EmulatorStore,
  dataSourceUuid: string,
  body: Record<string, unknown>,
  /** The transaction being changed (PATCH): its own external id is no repeat, and it keeps its UUID. */
  changing?: Record<string, unknown>,
  /** Whether the data source holds a transaction with this external id (a request that checks many gathers
   * them once: transactionIds). */
  taken: (externalId: string) => boolean = (externalId) => !!findTransaction(store, dataSourceUuid, externalId),
): { transaction?: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (body.type !== 'payment' && body.type !== 'refund') errors.type = 'must be one of payment, refund';
  if (body.result !== 'successful' && body.result !== 'failed') errors.result = 'must be one of successful, failed';
  const when = checkedDate(body.date, true);
  if ('error' in when) errors.date = when.error;
  for (const key of ['amount_in_cents', 'transaction_fees_in_cents'])
    if (!isCentsOrAbsent(body[key])) errors[key] = 'is not an integer';
  const externalId = asString(body.external_id);
  if (externalId && externalId !== changing?.external_id && taken(externalId)) {
    errors.external_id = DUPLICATE_TRANSACTION;
    return { errors };
  }
  const values = {
    ...TRANSACTION_DEFAULTS,
    ...body,
    uuid: typeof changing?.uuid === 'string' ? changing.uuid : `tr_${randomUUID()}`,
    date: 'value' in when ? when.value : null,
  };
  return { transaction: { ...pick(values, TRANSACTION_KEYS), errors }, errors };
}
